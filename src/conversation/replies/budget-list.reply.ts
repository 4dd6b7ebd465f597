import type { BudgetState, BudgetStatus } from '../../budgets/budget-status.js';
import { ACTIONS } from '../../shared/action-ids.js';
import { formatMoney } from '../../shared/money.js';
import type { Reply, ReplyItem } from '../../shared/reply.types.js';
import { STATE_LABELS, scopeText, statusData } from './budget-status.reply.js';

const ORDER: readonly BudgetState[] = ['over', 'at-risk', 'fine'];

/** `budgets`: every budget the asker may see, over first, then at risk, then fine; each with a button to its status. */
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
  const count = (state: BudgetState) => statuses.filter((s) => s.state === state).length;
  return {
    kind: 'answer',
    title: 'Budgets',
    text: `${count('over')} over, ${count('at-risk')} at risk, ${count('fine')} within budget.`,
    items: sorted.map(item),
    data: { budgets: sorted.map(statusData) },
    visibility: 'channel',
  };
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
