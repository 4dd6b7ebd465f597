import type { Identity } from '../approvals/approval.types.js';
import { CostQueryService } from '../costs/cost-query.service.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import { ForecastService } from '../costs/forecast.service.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import type { Day } from '../shared/day.js';
import { addDays, addMonths, dayOf, minDay, startOfMonth } from '../shared/day.js';
import type { Budget, BudgetRepository } from './budget.types.js';
import { BudgetCostPrefetch } from './budget-cost-prefetch.js';
import type { PeriodForecastDeps } from './budget-forecast.js';
import { periodForecast } from './budget-forecast.js';
import { withOverride } from './budget-override.js';
import { periodRange } from './budget-period.js';
import { budgetVisibleIn } from './budget-scope.js';
import type { BudgetStatus } from './budget-status.js';
import { budgetStatus } from './budget-status.js';
import type { BudgetDraft, BudgetProblem } from './budget-validation.js';
import { checkBudget } from './budget-validation.js';

/** Who changes a budget: the identity they used, and the person it is (a people key, or `platform:id`). */
export interface BudgetActor {
  identity: Identity;
  person: string;
}

export interface BudgetServiceDeps extends PeriodForecastDeps {
  repo: BudgetRepository;
  /** The budgets of the policy file (`budgets:`); read-only from chat. */
  policyBudgets: readonly Budget[];
  clock: Clock;
  /** `TALLY_FISCAL_YEAR_START`, 1–12. */
  fiscalYearStart: number;
  /** The tag keys of the cost data, to check a budget's scope against. */
  tagKeys: () => Promise<string[]>;
  /** People keys of the policy file: the owners a budget may name besides Slack and Teams ids. */
  people: readonly string[];
  /** Whether the identity may create, change and remove budgets (`budgets.admins`, else `access.admins`). */
  mayEdit: (identity: Identity) => Promise<boolean>;
  /**
   * The cost store, for the status of many budgets at once ({@link BudgetService.statuses}): their daily queries are
   * then summed in one grouped query per budget shape. Absent: each budget is queried on its own.
   */
  store?: CostRepository;
}

/** The outcome of `budget set`. */
export type SetBudgetOutcome =
  | { ok: true; budget: Budget; created: boolean }
  | { ok: false; reason: 'NOT_ALLOWED' }
  | { ok: false; reason: 'POLICY_BUDGET'; budget: Budget }
  | { ok: false; reason: 'INVALID'; problems: BudgetProblem[] };

/** The outcome of `budget remove`. */
export type RemoveBudgetOutcome =
  | { ok: true; budget: Budget }
  | { ok: false; reason: 'NOT_ALLOWED' | 'NOT_FOUND' }
  | { ok: false; reason: 'POLICY_BUDGET'; budget: Budget };

/** A budget's status, with the days behind its spend (for the chart). */
export interface BudgetStatusWithDays {
  status: BudgetStatus;
  daily: { day: Day; amount: number }[];
}

function forecastDeps(costs: CostQueryService): PeriodForecastDeps {
  return { costs, forecast: new ForecastService(costs) };
}

/** The statuses of many budgets and cost queries about them, sharing grouped queries ({@link BudgetService.batch}). */
export interface BudgetBatch {
  statuses(): Promise<BudgetStatusWithDays[]>;
  /** Cost queries over the same grouped rows: the drivers of the budgets' alerts. */
  costs: CostQueryService;
}

/**
 * Budgets (docs/budgets.md): those of the policy file and those made in chat, one list by name (a policy budget wins
 * a name both use). Setting checks everything first and stores nothing on any problem. Policy budgets are changed in
 * the policy file only.
 */
export class BudgetService {
  constructor(private readonly deps: BudgetServiceDeps) {}

  /** Every budget the viewer may see, by name. */
  async list(scope?: ViewScope): Promise<Budget[]> {
    const policy = new Map(this.deps.policyBudgets.map((b) => [b.name, b]));
    const stored = await this.deps.repo.list();
    const chat = stored.filter((b) => !policy.has(b.name));
    // A stored budget of a policy budget's name is the approved changes over it (docs/budgets.md#budget-changes).
    const overrides = new Map(stored.map((b) => [b.name, b]));
    return [...[...policy.values()].map((b) => withOverride(b, overrides.get(b.name))), ...chat]
      .filter((b) => budgetVisibleIn(b.filter, scope))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The budget of that name, when the viewer may see it. */
  async get(name: string, scope?: ViewScope): Promise<Budget | null> {
    const key = name.toLowerCase();
    const fromFile = this.deps.policyBudgets.find((b) => b.name === key);
    const stored = await this.deps.repo.get(key);
    const found = fromFile ? withOverride(fromFile, stored) : stored;
    return found && budgetVisibleIn(found.filter, scope) ? found : null;
  }

  /** Creates or replaces a chat budget; nothing is stored when anything is wrong. */
  async set(draft: BudgetDraft, actor: BudgetActor): Promise<SetBudgetOutcome> {
    if (!(await this.deps.mayEdit(actor.identity))) return { ok: false, reason: 'NOT_ALLOWED' };
    const fromPolicy = this.deps.policyBudgets.find((b) => b.name === draft.name.toLowerCase());
    if (fromPolicy) return { ok: false, reason: 'POLICY_BUDGET', budget: fromPolicy };
    const checked = checkBudget(draft, { tagKeys: await this.deps.tagKeys(), people: this.deps.people });
    if (!checked.ok) return { ok: false, reason: 'INVALID', problems: checked.problems };
    const before = await this.deps.repo.get(checked.budget.name);
    const budget: Budget = {
      ...checked.budget,
      // A change keeps this period's exception: it was granted for the period, not for the old amount.
      ...(before?.exception ? { exception: before.exception } : {}),
      origin: 'chat',
      updatedBy: actor.person,
      updatedAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.repo.save(budget);
    return { ok: true, budget, created: !before };
  }

  async remove(name: string, actor: BudgetActor): Promise<RemoveBudgetOutcome> {
    if (!(await this.deps.mayEdit(actor.identity))) return { ok: false, reason: 'NOT_ALLOWED' };
    const key = name.toLowerCase();
    const fromPolicy = this.deps.policyBudgets.find((b) => b.name === key);
    if (fromPolicy) return { ok: false, reason: 'POLICY_BUDGET', budget: fromPolicy };
    const budget = await this.deps.repo.get(key);
    if (!budget || !(await this.deps.repo.remove(key))) return { ok: false, reason: 'NOT_FOUND' };
    return { ok: true, budget };
  }

  /** Spend so far, forecast, percentages, days left and the daily rate that keeps within the amount. */
  status(budget: Budget): Promise<BudgetStatusWithDays> {
    return this.statusWith(this.deps, budget, dayOf(this.deps.clock.now()));
  }

  /**
   * The status of each budget, in their order, as {@link BudgetService.status} gives it, for the same day. With the
   * cost store, budgets whose scopes differ in their single values are summed together (docs/budgets.md#alerts), so a
   * thousand budgets take a few queries, not thousands.
   */
  statuses(budgets: readonly Budget[]): Promise<BudgetStatusWithDays[]> {
    return this.batch(budgets).statuses();
  }

  /** The statuses of many budgets, and cost questions about them, answered from the same grouped queries. */
  batch(budgets: readonly Budget[]): BudgetBatch {
    const today = dayOf(this.deps.clock.now());
    const prefetch = this.deps.store ? this.prefetch(this.deps.store, budgets, today) : null;
    const deps: PeriodForecastDeps = prefetch ? forecastDeps(new CostQueryService(prefetch)) : this.deps;
    return {
      costs: deps.costs,
      statuses: async () => {
        await prefetch?.warm();
        const out: BudgetStatusWithDays[] = [];
        for (const b of budgets) out.push(await this.statusWith(deps, b, today));
        return out;
      },
    };
  }

  /** The cost store behind one grouped query per budget shape (docs/budgets.md#alerts). */
  private prefetch(store: CostRepository, budgets: readonly Budget[], today: Day): BudgetCostPrefetch {
    // The month-end forecast reads last month and the four weeks before the last day of data (a source lagging by
    // more than two weeks makes that earlier; such days are read from the store as asked).
    const forecastFrom = minDay(addMonths(startOfMonth(today), -1), addDays(today, -42));
    const prefetch = new BudgetCostPrefetch(store, { forecastFrom, to: today });
    for (const b of budgets) prefetch.register(b.filter, periodRange(b.period, today, this.deps.fiscalYearStart).from);
    return prefetch;
  }

  private async statusWith(deps: PeriodForecastDeps, budget: Budget, today: Day): Promise<BudgetStatusWithDays> {
    const period = periodRange(budget.period, today, this.deps.fiscalYearStart);
    const f = await periodForecast(deps, {
      today,
      period,
      metric: budget.metric,
      filter: budget.filter,
      currency: budget.currency,
    });
    return { status: budgetStatus(budget, period, today, f), daily: f.daily };
  }
}
