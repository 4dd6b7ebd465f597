import type { BudgetState, BudgetStatus } from '../budgets/budget-status.js';
import { formatMoney, roundCents } from '../shared/money.js';
import type { ReplyField } from '../shared/reply.types.js';

/** The budgets section's states, in the order a digest lists them, and their headings. */
const STATES: readonly [BudgetState, string][] = [
  ['over', 'Budgets over'],
  ['at-risk', 'Budgets at risk (forecast over)'],
  ['fine', 'Budgets within'],
];

function share(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`;
}

/** `Budgets: 1 over, 2 at risk, 3 within budget.`; null without budgets. */
export function budgetSummaryLine(statuses: readonly BudgetStatus[]): string | null {
  if (statuses.length === 0) return null;
  const n = (state: BudgetState) => statuses.filter((s) => s.state === state).length;
  return `Budgets: ${n('over')} over, ${n('at-risk')} at risk, ${n('fine')} within budget.`;
}

/**
 * The digest's budgets section (docs/budgets.md#alerts): one field per state that has budgets (over, at risk,
 * within), each budget on a line with its spend, amount, percent used and forecast, by name.
 */
export function budgetFields(statuses: readonly BudgetStatus[]): ReplyField[] {
  return STATES.flatMap(([state, label]) => {
    const mine = statuses
      .filter((s) => s.state === state)
      .sort((a, b) => (a.budget.name < b.budget.name ? -1 : a.budget.name > b.budget.name ? 1 : 0));
    if (mine.length === 0) return [];
    const lines = mine.map((s) => {
      const m = (x: number) => formatMoney(x, s.budget.currency);
      return (
        `${s.budget.name}: ${m(s.spent)} of ${m(s.amount)} (${share(s.usedRatio)}), ` +
        `forecast ${m(s.forecast)} (${share(s.forecastRatio)}) — ${s.period.label}`
      );
    });
    return [{ label: label, value: lines.join('\n') }];
  });
}

/** The section's figures for `data.budgets` (rounded to cents; ratios as fractions). */
export function budgetDigestData(statuses: readonly BudgetStatus[]): Record<string, unknown>[] {
  return statuses.map((s) => ({
    name: s.budget.name,
    state: s.state,
    period: s.period.key,
    currency: s.budget.currency,
    amount: roundCents(s.amount),
    spent: roundCents(s.spent),
    forecast: roundCents(s.forecast),
    usedRatio: s.usedRatio,
    forecastRatio: s.forecastRatio,
  }));
}
