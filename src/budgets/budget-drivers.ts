import type { CostQueryService } from '../costs/cost-query.service.js';
import type { Day } from '../shared/day.js';
import { addDays, dayOf, maxDay } from '../shared/day.js';
import type { Budget, BudgetCrossing } from './budget.types.js';
import type { BudgetStatus } from './budget-status.js';

/** How many drivers a budget alert lists. */
const DRIVERS = 3;

/** What drove a budget's spend since its last alert: a service in an account, and its cost. */
interface BudgetDriver {
  /** `Amazon EC2 · payments-prod (111122223333)`. */
  label: string;
  amount: number;
}

/** The drivers of an alert and the days they cover. */
export interface BudgetDrivers {
  from: Day;
  to: Day;
  drivers: BudgetDriver[];
}

/**
 * The days since the last alert of this period: from the day after the last day of data the latest recorded crossing
 * was found on (or the day it was recorded, for a crossing without that day), else from the period's first day;
 * through the status's last day of data. When no day of data came after the last alert's (a late delivery of earlier
 * days crossed the threshold), the whole period so far.
 */
export function sinceLastAlert(s: BudgetStatus, recorded: readonly BudgetCrossing[]): { from: Day; to: Day } {
  const starts = recorded.map((c) => (c.through ? addDays(c.through, 1) : dayOf(new Date(c.at))));
  const latest = starts.reduce<Day | null>((a, b) => (a === null || b > a ? b : a), null);
  const from = latest ? maxDay(latest, s.period.from) : s.period.from;
  return { from: from > s.through ? s.period.from : from, to: s.through };
}

/**
 * The top three drivers (by service and account) of a budget's cost over `days`, in the budget's currency and metric,
 * largest first; none when the range is empty.
 */
export async function budgetDrivers(
  costs: Pick<CostQueryService, 'breakdown'>,
  budget: Budget,
  days: { from: Day; to: Day },
): Promise<BudgetDrivers> {
  if (days.from > days.to) return { ...days, drivers: [] };
  const result = await costs.breakdown({
    period: { ...days, label: `${days.from} to ${days.to}` },
    metric: budget.metric,
    groupBy: { kind: 'service' },
    thenBy: { kind: 'account' },
    filter: budget.filter,
    top: DRIVERS,
  });
  const mine = result.currencies.find((c) => c.currency === budget.currency);
  return { ...days, drivers: (mine?.rows ?? []).map((r) => ({ label: r.label, amount: r.amount })) };
}
