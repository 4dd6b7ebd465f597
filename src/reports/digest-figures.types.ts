import type { Anomaly } from '../anomalies/anomaly.types.js';
import type { Approval } from '../approvals/approval.types.js';
import type { BudgetStatus } from '../budgets/budget-status.js';
import type { ComparisonResult, ForecastResult } from '../costs/cost-results.types.js';
import type { Period } from '../costs/period.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Day } from '../shared/day.js';
import type { ChartSpec } from '../shared/reply.types.js';

/** Realised savings of executed actions (amounts in USD, like every action's estimate). */
export interface DigestSavings {
  executed: number;
  executedInPeriod: number;
  /** Executed actions whose realised savings need cost data after them. */
  waiting: number;
  realised: number;
  estimatedMonthly: number;
}

/** Every figure of a digest, before it becomes a reply. */
export interface DigestFigures {
  cadence: 'weekly' | 'daily';
  today: Day;
  period: Period;
  previous: Period;
  scope: ViewScope | null;
  /** Totals and the top movers by service, per currency. */
  comparison: ComparisonResult;
  forecast: ForecastResult;
  anomalies: { total: number; shown: Anomaly[] };
  approvals: { pending: number; estimatedMonthly: number; shown: Approval[] };
  savings: DigestSavings | null;
  chart: ChartSpec | null;
  /** The budgets the digest's audience may see, with their status; empty without budgets. */
  budgets: BudgetStatus[];
}
