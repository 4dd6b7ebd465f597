import type { Day } from '../shared/day.js';
import { addDays, daysBetween, eachDay, maxDay } from '../shared/day.js';
import type { ChartSpec } from '../shared/reply.types.js';
import type { Budget, BudgetPeriodRange } from './budget.types.js';
import type { PeriodForecast } from './budget-forecast.js';

/** Over: spent past the amount. At risk: forecast past it. Fine: neither. */
export type BudgetState = 'over' | 'at-risk' | 'fine';

/** The figures of `budget <name>` (docs/budgets.md#status). Ratios are fractions (0.5 = 50%). */
export interface BudgetStatus {
  budget: Budget;
  period: BudgetPeriodRange;
  today: Day;
  /** The amount in force this period: the exception's for its period, else the budget's. */
  amount: number;
  /** Whether `amount` is a one-off exception for this period. */
  exception: boolean;
  spent: number;
  forecast: number;
  range: { low: number; high: number };
  through: Day;
  /** `spent / amount`; null for a zero amount. */
  usedRatio: number | null;
  /** `forecast / amount`; null for a zero amount. */
  forecastRatio: number | null;
  /** Calendar days from today to the period's last day, both counted. */
  daysLeft: number;
  /** Days of the period after `through`: those whose cost is still to come. */
  daysToCome: number;
  /** What may still be spent per day over `daysToCome` to stay within the amount (0 when already over). */
  neededPerDay: number;
  state: BudgetState;
  method: string;
  otherCurrencies: string[];
}

/** The status of a budget from its period forecast. */
export function budgetStatus(budget: Budget, period: BudgetPeriodRange, today: Day, f: PeriodForecast): BudgetStatus {
  const exception = budget.exception?.period === period.key;
  const amount = exception && budget.exception ? budget.exception.amount : budget.amount;
  const daysToCome = Math.max(0, daysBetween(maxDay(f.through, addDays(period.from, -1)), period.to));
  const left = amount - f.spent;
  return {
    budget,
    period,
    today,
    amount,
    exception,
    spent: f.spent,
    forecast: f.forecast,
    range: f.range,
    through: f.through,
    usedRatio: amount === 0 ? null : f.spent / amount,
    forecastRatio: amount === 0 ? null : f.forecast / amount,
    daysLeft: Math.max(0, daysBetween(today, period.to) + 1),
    daysToCome,
    neededPerDay: left > 0 && daysToCome > 0 ? left / daysToCome : 0,
    state: f.spent > amount ? 'over' : f.forecast > amount ? 'at-risk' : 'fine',
    method: f.method,
    otherCurrencies: f.otherCurrencies,
  };
}

/** Series names of the budget chart. */
const BUDGET_SERIES = { actual: 'Actual (cumulative)', budget: 'Budget', forecast: 'Forecast' } as const;

/**
 * Cumulative actual spend per day through the last day of data, the budget as a flat line, and the forecast as a
 * straight line from the spend so far to the forecast at the period's end. A day a series does not cover is NaN (not
 * drawn).
 */
export function budgetChart(s: BudgetStatus, daily: readonly { day: Day; amount: number }[]): ChartSpec {
  const labels = eachDay(s.period.from, s.period.to);
  const perDay = new Map<Day, number>();
  for (const d of daily) perDay.set(d.day, (perDay.get(d.day) ?? 0) + d.amount);
  let running = 0;
  const actual = labels.map((d) => {
    if (d > s.through) return Number.NaN;
    running += perDay.get(d) ?? 0;
    return running;
  });
  // Through a day before the period (no data in it yet), the forecast line starts at its first day.
  const start = Math.max(0, labels.indexOf(s.through));
  const steps = labels.length - 1 - start;
  const forecast = labels.map((_, i) => {
    if (i < start) return Number.NaN;
    return steps === 0 ? s.forecast : s.spent + ((s.forecast - s.spent) * (i - start)) / steps;
  });
  return {
    kind: 'lines',
    title: `Budget ${s.budget.name} — ${s.period.label}`,
    currency: s.budget.currency,
    labels,
    series: [
      { name: BUDGET_SERIES.actual, values: actual },
      { name: BUDGET_SERIES.budget, values: labels.map(() => s.amount) },
      { name: BUDGET_SERIES.forecast, values: forecast },
    ],
  };
}
