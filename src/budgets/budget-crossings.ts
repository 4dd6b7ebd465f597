import type { BudgetCrossing } from './budget.types.js';
import type { BudgetStatus } from './budget-status.js';

/** A threshold a budget's status has reached: `actual` against the spend, `forecast` against the forecast. */
export interface ThresholdReached {
  kind: BudgetCrossing['kind'];
  percent: number;
}

/**
 * The thresholds the status has reached this period, lowest first per kind (docs/budgets.md#alerts): an actual
 * threshold when the spend so far is at least that percent of the amount, a forecast threshold when the forecast to
 * the period's end is. Evaluated on the period's data as it is now, so a day that arrives late counts as soon as it
 * is there. A budget of amount 0 reaches none.
 */
export function thresholdsReached(s: BudgetStatus): ThresholdReached[] {
  const reached = (kind: ThresholdReached['kind'], ratio: number | null) =>
    ratio === null
      ? []
      : s.budget.thresholds[kind].filter((p) => ratio * 100 >= p).map((percent) => ({ kind, percent }));
  return [...reached('actual', s.usedRatio), ...reached('forecast', s.forecastRatio)];
}

/** One alert of a check: the highest new threshold of a kind, with the lower ones it passed at the same time. */
export interface CrossingAlert {
  kind: ThresholdReached['kind'];
  percent: number;
  /** Lower thresholds of the same kind reached since the last check, recorded without an alert of their own. */
  passed: number[];
}

/**
 * What a check alerts: per kind, the highest threshold reached and not recorded yet, naming the lower new ones with
 * it (a sync that moves spend from 40% to 85% alerts 80% once, saying it passed 50% too). Thresholds already recorded
 * for the period alert nothing.
 */
export function crossingAlerts(
  reached: readonly ThresholdReached[],
  recorded: readonly BudgetCrossing[],
): CrossingAlert[] {
  const alerts: CrossingAlert[] = [];
  for (const kind of ['actual', 'forecast'] as const) {
    const fresh = reached
      .filter((r) => r.kind === kind && !recorded.some((c) => c.kind === kind && c.percent === r.percent))
      .map((r) => r.percent)
      .sort((a, b) => a - b);
    const top = fresh.pop();
    if (top !== undefined) alerts.push({ kind, percent: top, passed: fresh });
  }
  return alerts;
}

/** `payments-team|2026-06|actual|80`: a crossing's id, the value of its alert's Acknowledge button. */
export function crossingId(c: Pick<BudgetCrossing, 'budget' | 'period' | 'kind' | 'percent'>): string {
  return `${c.budget}|${c.period}|${c.kind}|${c.percent}`;
}
