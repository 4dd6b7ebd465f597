import type { Budget } from '../../budgets/budget.types.js';
import { PERIOD_WORDS } from '../../budgets/budget-period.js';
import type { BudgetState, BudgetStatus } from '../../budgets/budget-status.js';
import { budgetChart } from '../../budgets/budget-status.js';
import { filterContext, METRIC_LABELS } from '../../costs/cost-labels.js';
import type { Day } from '../../shared/day.js';
import { formatMoney, roundCents } from '../../shared/money.js';
import type { Reply } from '../../shared/reply.types.js';

/** How a state reads in answers. */
export const STATE_LABELS: Readonly<Record<BudgetState, string>> = {
  over: 'over budget',
  'at-risk': 'at risk (forecast over)',
  fine: 'within budget',
};

/** `tag team=payments` for a budget's scope; `all costs` for none. */
export function scopeText(b: Budget): string {
  return filterContext(b.filter)?.replace(/^Only: /, '') ?? 'all costs';
}

/** Used and forecast percentages as a ratio of the amount. */
function share(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`;
}

/**
 * `budget <name>`: spend so far, the forecast to the period's end with its 80% range, the amount, percent used and
 * forecast, days left and the daily rate that keeps within it; the chart of cumulative spend, the budget line and the
 * forecast; the forecast's method in the footnote (docs/budgets.md#status).
 */
export function budgetStatusReply(
  s: BudgetStatus,
  daily: readonly { day: Day; amount: number }[],
  options: { chart: boolean; readOnly?: boolean },
): Reply {
  const { budget: b, period } = s;
  const m = (n: number) => formatMoney(n, b.currency);
  const over = s.spent >= s.amount;
  return {
    kind: 'answer',
    title: `Budget ${b.name} — ${period.label}: ${STATE_LABELS[s.state]}`,
    text:
      `${m(s.spent)} of ${m(s.amount)} spent (${share(s.usedRatio)}); forecast ${m(s.forecast)} ` +
      `(${share(s.forecastRatio)}) by ${period.to}.`,
    fields: [
      { label: 'Spent so far', value: `${m(s.spent)} (through ${s.through})` },
      {
        label: 'Forecast to the end of the period',
        value: `${m(s.forecast)} (80% range ${m(s.range.low)} to ${m(s.range.high)})`,
      },
      { label: s.exception ? 'Budget (one-off for this period)' : 'Budget', value: m(s.amount) },
      { label: 'Used', value: share(s.usedRatio) },
      { label: 'Forecast of budget', value: share(s.forecastRatio) },
      { label: 'Days left', value: `${s.daysLeft} (to ${period.to})` },
      {
        label: 'To stay within',
        value: over
          ? `already ${m(s.spent - s.amount)} over`
          : `at most ${m(s.neededPerDay)} a day for the ${s.daysToCome} days still to come`,
      },
    ],
    ...(options.chart ? { chart: budgetChart(s, daily) } : {}),
    context: [
      `Metric: ${METRIC_LABELS[b.metric]}`,
      `Period: ${period.label} (${period.from} to ${period.to}), ${PERIOD_WORDS[b.period]}`,
      `Scope: ${scopeText(b)}; only costs in ${b.currency}`,
      `Owners: ${b.owners.length ? b.owners.join(', ') : 'none'}; channel: ${b.channel ?? 'none'}`,
      `Alerts at ${b.thresholds.actual.join(', ')}% of actual and ${b.thresholds.forecast.join(', ')}% of forecast`,
      ...(s.otherCurrencies.length
        ? [`Not counted: this scope also has costs in ${s.otherCurrencies.join(', ')}`]
        : []),
      ...(options.readOnly ? ['Defined in the policy file: change it there'] : []),
    ],
    footnote: s.method,
    data: statusData(s),
    visibility: 'channel',
  };
}

/** The figures of a status as `tally ask --json` prints them (rounded to cents; ratios as fractions). */
export function statusData(s: BudgetStatus): Record<string, unknown> {
  return {
    name: s.budget.name,
    origin: s.budget.origin,
    period: { key: s.period.key, from: s.period.from, to: s.period.to },
    metric: s.budget.metric,
    currency: s.budget.currency,
    filter: s.budget.filter,
    amount: roundCents(s.amount),
    exception: s.exception,
    spent: roundCents(s.spent),
    through: s.through,
    forecast: roundCents(s.forecast),
    range: { low: roundCents(s.range.low), high: roundCents(s.range.high) },
    usedRatio: s.usedRatio,
    forecastRatio: s.forecastRatio,
    daysLeft: s.daysLeft,
    daysToCome: s.daysToCome,
    neededPerDay: roundCents(s.neededPerDay),
    state: s.state,
    method: s.method,
  };
}
