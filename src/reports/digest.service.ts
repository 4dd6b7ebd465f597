import type { Anomaly } from '../anomalies/anomaly.types.js';
import { anomalyInScope } from '../anomalies/anomaly-scope.js';
import type { ApprovalRepository } from '../approvals/approval-repository.port.js';
import { approvalInScope } from '../approvals/approval-scope.js';
import type { SavingsService } from '../approvals/savings.service.js';
import type { BudgetStatus } from '../budgets/budget-status.js';
import { trendChart } from '../costs/chart-spec.js';
import type { CostQueryService } from '../costs/cost-query.service.js';
import type { CostFilter } from '../costs/cost-query.types.js';
import type { ForecastService } from '../costs/forecast.service.js';
import type { Period } from '../costs/period.js';
import { previousPeriod, resolvePeriod } from '../costs/period.js';
import type { ViewScope } from '../costs/view-scope.js';
import { applyScope, describeScope, isEmptyScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import type { Day } from '../shared/day.js';
import { addDays, dayOf } from '../shared/day.js';
import { sumAmounts } from '../shared/money.js';
import type { ChartSpec, Reply } from '../shared/reply.types.js';
import type { DigestFigures, DigestSavings } from './digest-figures.types.js';
import { digestReply } from './digest-reply.js';

/** How many movers, anomalies and pending approvals a digest shows. */
const DIGEST_LIMITS = { movers: 5, anomalies: 5, approvals: 3 } as const;

/** The anomalies found in a range of days (the anomaly scan service in production). */
type AnomalySource = (range: { from: Day; to: Day }) => Promise<Anomaly[]>;

export interface DigestServiceDeps {
  costs: CostQueryService;
  forecast: ForecastService;
  approvals: ApprovalRepository;
  /** The savings ledger; null leaves realised savings out of the digest. */
  savings: SavingsService | null;
  anomalies: AnomalySource;
  /**
   * The budgets a scope may see, with their status (docs/budgets.md), for the budgets section. Absent: no section.
   */
  budgets?: (scope: ViewScope | undefined) => Promise<BudgetStatus[]>;
  clock: Clock;
}

/** Options of {@link DigestService.build}. */
export interface DigestOptions {
  /** The day the digest is made on (UTC). @defaultValue the clock's day */
  today?: Day;
  /** Only what the channel or person may see (docs/architecture.md#who-sees-what). @defaultValue everything */
  scope?: ViewScope;
  /**
   * `weekly`: the last complete week (Monday to Sunday before `today`) against the week before. `daily`: yesterday
   * against the same weekday a week earlier.
   * @defaultValue 'weekly'
   */
  cadence?: 'weekly' | 'daily';
}

/** A filter no row passes (a tag that must have one of no values). */
const MATCHES_NOTHING: CostFilter = { tagsIn: [{ key: 'tally:nothing', values: [] }] };

/**
 * The scheduled digest (issue 6): the last complete week's total and its change against the week before, the top
 * movers by service, the month-end forecast against last month, the week's anomalies, pending approvals, realised
 * savings, a daily trend chart, and the budgets over, at risk and within. Amounts are effective cost, per currency (never mixed); days are UTC.
 */
export class DigestService {
  constructor(private readonly deps: DigestServiceDeps) {}

  /** The digest as a platform-neutral reply (chat and email render the same reply); `data` holds every figure. */
  async build(options: DigestOptions = {}): Promise<Reply> {
    if (options.scope && isEmptyScope(options.scope))
      return {
        kind: 'notice',
        title: 'No digest',
        text: `${describeScope(options.scope)} Ask an admin for access.`,
        visibility: 'ephemeral',
      };
    return digestReply(await this.figures(options));
  }

  /** The digest's figures. */
  async figures(options: DigestOptions = {}): Promise<DigestFigures> {
    const today = options.today ?? dayOf(this.deps.clock.now());
    const cadence = options.cadence ?? 'weekly';
    const { period, previous, chartRange } = windowOf(cadence, today);
    // An empty filter is out of scope only for a scope that allows nothing: then nothing is counted.
    const filter: CostFilter = applyScope({}, options.scope) ?? MATCHES_NOTHING;
    const [comparison, forecast, anomalies, approvals, savings, chart, budgets] = await Promise.all([
      this.deps.costs.compare({
        metric: 'effective',
        current: period,
        previous,
        groupBy: { kind: 'service' },
        filter,
        top: DIGEST_LIMITS.movers,
      }),
      this.deps.forecast.forecast({ today, metric: 'effective', filter }),
      this.anomaliesIn(period, options.scope),
      this.pendingApprovals(options.scope),
      this.savingsOf(period, options.scope),
      this.chartOf(chartRange, filter),
      this.deps.budgets ? this.deps.budgets(options.scope) : Promise.resolve([]),
    ]);
    return {
      cadence,
      today,
      period,
      previous,
      scope: options.scope ?? null,
      comparison,
      forecast,
      anomalies,
      approvals,
      savings,
      chart,
      budgets,
    };
  }

  private async anomaliesIn(period: Period, scope: ViewScope | undefined) {
    const found = await this.deps.anomalies({ from: period.from, to: period.to });
    const visible = found.filter((a) => a.day >= period.from && a.day <= period.to && anomalyInScope(a, scope));
    const shown = [...visible]
      .sort((a, b) => Math.abs(b.impact) - Math.abs(a.impact) || a.day.localeCompare(b.day) || a.id.localeCompare(b.id))
      .slice(0, DIGEST_LIMITS.anomalies);
    return { total: visible.length, shown };
  }

  private async pendingApprovals(scope: ViewScope | undefined) {
    const pending = (await this.deps.approvals.list({ states: ['PENDING'], limit: 1000 })).filter((a) =>
      approvalInScope(a, scope),
    );
    const shown = [...pending]
      .sort((a, b) => b.action.monthlySavings - a.action.monthlySavings || a.createdAt.localeCompare(b.createdAt))
      .slice(0, DIGEST_LIMITS.approvals);
    return {
      pending: pending.length,
      estimatedMonthly: sumAmounts(pending.map((a) => a.action.monthlySavings)),
      shown,
    };
  }

  private async savingsOf(period: Period, scope: ViewScope | undefined): Promise<DigestSavings | null> {
    if (!this.deps.savings) return null;
    const { entries: visible } = await this.deps.savings.ledger(scope);
    return {
      executed: visible.length,
      executedInPeriod: visible.filter((e) => e.executedOn >= period.from && e.executedOn <= period.to).length,
      waiting: visible.filter((e) => e.realised === null).length,
      realised: sumAmounts(visible.map((e) => e.realised?.amount ?? 0)),
      estimatedMonthly: sumAmounts(visible.map((e) => e.estimatedMonthly)),
    };
  }

  private async chartOf(range: { from: Day; to: Day }, filter: CostFilter): Promise<ChartSpec | null> {
    const service = { kind: 'service' } as const;
    const daily = await this.deps.costs.daily(range, 'effective', filter, service);
    return trendChart(daily, {
      title: `Daily cost by service — ${range.from} to ${range.to}`,
      range,
      top: DIGEST_LIMITS.movers,
      label: await this.deps.costs.labeller(service),
    });
  }
}

/** The digest's period, the one it is compared with, and the days its chart shows. */
function windowOf(
  cadence: 'weekly' | 'daily',
  today: Day,
): { period: Period; previous: Period; chartRange: { from: Day; to: Day } } {
  if (cadence === 'daily') {
    const day = addDays(today, -1);
    const before = addDays(day, -7);
    return {
      period: { from: day, to: day, label: 'yesterday' },
      previous: { from: before, to: before, label: 'the same day a week before' },
      chartRange: { from: addDays(day, -6), to: day },
    };
  }
  const spec = { kind: 'last-week' } as const;
  const period = resolvePeriod(spec, today);
  return { period, previous: previousPeriod(spec, period), chartRange: { from: period.from, to: period.to } };
}
