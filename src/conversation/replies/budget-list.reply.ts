import type { BudgetState, BudgetStatus } from '../../budgets/budget-status.js';
import { ACTIONS } from '../../shared/action-ids.js';
import { formatMoney } from '../../shared/money.js';
import type { Reply, ReplyItem } from '../../shared/reply.types.js';
import { STATE_LABELS, scopeText, statusData } from './budget-status.reply.js';

const ORDER: readonly BudgetState[] = ['over', 'at-risk', 'fine'];

/**
 * `budgets`: every budget the asker may see, over first, then at risk, then fine; each with a button to its status.
 * The summary line names them by state too, for App Home (docs/budgets.md#alerts), which shows it without the items.
 */
export function budgetListReply(statuses: readonly BudgetStatus[]): Reply {
  if (statuses.length === 0)
    return {
      kind: 'answer',
      title: 'Budgets',
      text: 'No budgets yet. Try `budget set payments-team 12000 USD monthly for tag:team=payments owner @alice`.',
      data: { budgets: [] },
      visibility: 'channel',
    };
  const sorted = [...statuses].sort(
    (a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || (a.budget.name < b.budget.name ? -1 : 1),
  );
  return {
    kind: 'answer',
    title: 'Budgets',
    text: `${ORDER.map((state) => stateCount(sorted, state)).join(', ')}.`,
    items: sorted.map(item),
    data: { budgets: sorted.map(statusData) },
    visibility: 'channel',
  };
}

/** Names listed per state in the summary line (App Home shows that line, not the items). */
const NAMES_PER_STATE = 5;
const STATE_WORDS: Readonly<Record<BudgetState, string>> = {
  over: 'over',
  'at-risk': 'at risk',
  fine: 'within budget',
};

/** `2 over (pay-slack 108.3%, pay-teams 101.2%)`: how many, and the first names with the percent used. */
function stateCount(sorted: readonly BudgetStatus[], state: BudgetState): string {
  const mine = sorted.filter((s) => s.state === state);
  const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);
  const names = mine.slice(0, NAMES_PER_STATE).map((s) => `${s.budget.name} ${pct(s.usedRatio)}`);
  const more = mine.length > NAMES_PER_STATE ? ` and ${mine.length - NAMES_PER_STATE} more` : '';
  return `${mine.length} ${STATE_WORDS[state]}${names.length ? ` (${names.join(', ')}${more})` : ''}`;
}

function item(s: BudgetStatus): ReplyItem {
  const m = (n: number) => formatMoney(n, s.budget.currency);
  const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);
  return {
    title: `${s.budget.name}: ${STATE_LABELS[s.state]}`,
    text: `${m(s.spent)} of ${m(s.amount)} (${pct(s.usedRatio)}), forecast ${m(s.forecast)} (${pct(s.forecastRatio)}) — ${s.period.label}, ${scopeText(s.budget)}`,
    button: { actionId: ACTIONS.RUN_COMMAND, label: 'Details', value: `budget ${s.budget.name}` },
  };
}
