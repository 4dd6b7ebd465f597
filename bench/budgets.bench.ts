/**
 * Budget benchmark (issue 16): checking 1,000 budgets over the built-in sample dataset (13 months, three clouds, USD
 * and EUR) in the cost store (DuckDB over Parquet in a temporary folder), loaded as `tally shell` loads it.
 *
 * The budgets' scopes are drawn from the data: each team, env and cost-center tag value, account, service, provider
 * and region, a team on one provider, an account without tax, a service in an account, and all costs; their periods
 * cycle through monthly, quarterly, yearly and the fiscal ones (fiscal year from April), a fifth count billed cost, and
 * their amounts put them at 30% to 110% of their spend so far, so a check finds crossings of every kind.
 *
 * It reports:
 * - each budget's status on its own (what `budget NAME` computes): p50 / p95 / max per budget and the total;
 * - the budget check as the `budget-check` job runs it after a sync (statuses of all budgets together, one grouped
 *   query per scope shape; then the crossings, drivers and deliveries of the budgets that crossed a threshold): the
 *   total, per budget on average, the store queries it made, and the alerts; then the same check again (the next
 *   sync: nothing new to alert).
 *
 *   npm run bench                        # every bench
 *   BENCH_ONLY=budgets npm run bench     # this one only
 *
 * Knobs: BENCH_BUDGETS (1000).
 */
import { createPinoLogger } from '../adapters/logging/pino-logger.js';
import { MemoryBudgetRepository } from '../adapters/memory/memory-budget.repository.js';
import { BudgetService } from '../src/budgets/budget.service.js';
import type { Budget, BudgetPeriod } from '../src/budgets/budget.types.js';
import { defaultApprovalPolicy } from '../src/config/approval-policy.schema.js';
import { budgetAlertMessages } from '../src/conversation/replies/budget-alert.reply.js';
import { CostQueryService } from '../src/costs/cost-query.service.js';
import type { AggregateQuery, CostFilter, Dimension } from '../src/costs/cost-query.types.js';
import type { CostRepository } from '../src/costs/cost-repository.port.js';
import { ForecastService } from '../src/costs/forecast.service.js';
import { loadSample } from '../src/costs/sample/load-sample.js';
import { BudgetAlertService } from '../src/notifications/budget-alert.service.js';
import type { Delivery } from '../src/notifications/notification.types.js';
import { fixedClock } from '../src/shared/clock.js';
import { addDays } from '../src/shared/day.js';
import { BENCH_TODAY } from './bench-data.js';
import { envInt, int, ms, percentile, secs, table } from './bench-stats.js';
import { benchCostStore } from './bench-stores.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const BUDGETS = Math.max(1, envInt('BENCH_BUDGETS', 1000));
const PERIODS: BudgetPeriod[] = ['monthly', 'quarterly', 'yearly', 'fiscal-quarter', 'fiscal-year'];
/** Amount as a share of the spend so far: from well within to over. */
const USED = [0.3, 0.55, 0.85, 0.95, 1.1];

async function main(): Promise<void> {
  log(`Tally budget benchmark — ${BUDGETS} budgets, node ${process.version}, today pinned to ${BENCH_TODAY}`);
  const store = await benchCostStore();
  try {
    const t0 = performance.now();
    await loadSample(store.costs, BENCH_TODAY);
    const range = await store.costs.dataRange();
    log(`[data] sample dataset ${range?.from}..${range?.to} loaded in ${secs(performance.now() - t0)}`);
    await benchBudgets(store.costs);
  } finally {
    await store.close();
  }
}

/** Counts the store's aggregate queries and passes every call through. */
function counting(store: CostRepository): { repo: CostRepository; queries: () => number } {
  let n = 0;
  const repo = Object.create(store) as CostRepository;
  repo.aggregate = (q: AggregateQuery) => {
    n++;
    return store.aggregate(q);
  };
  return { repo, queries: () => n };
}

async function benchBudgets(store: CostRepository): Promise<void> {
  const clock = fixedClock(new Date(`${BENCH_TODAY}T07:00:00Z`));
  const costs = new CostQueryService(store);
  const counted = counting(store);
  const deps = (policyBudgets: Budget[], withStore: boolean) => ({
    repo: new MemoryBudgetRepository(),
    policyBudgets,
    costs,
    forecast: new ForecastService(costs),
    ...(withStore ? { store: counted.repo } : {}),
    clock,
    fiscalYearStart: 4,
    tagKeys: () => store.tagKeys(),
    people: ['alice'],
    mayEdit: async () => false,
  });

  // Budgets of amount 1 first, to read their spend; then amounts that put each at a share of it.
  const drafts = (await scopes(store)).slice(0, BUDGETS);
  const spent = await new BudgetService(deps(drafts, true)).statuses(drafts);
  const budgets = drafts.map((b, i) => ({
    ...b,
    amount: Math.max(1, Math.round((spent[i]?.status.spent ?? 0) / USED[i % USED.length]!)),
  }));
  log(
    `[budgets] ${int(budgets.length)} budgets over ${int(new Set(budgets.map((b) => JSON.stringify(b.filter))).size)} scopes`,
  );

  // Each budget alone, as `budget NAME` computes it (one unmeasured first, as a running process would have had).
  const alone = new BudgetService(deps(budgets, false));
  await alone.status(budgets[0]!);
  const times: number[] = [];
  const t1 = performance.now();
  for (const b of budgets) {
    const t = performance.now();
    await alone.status(b);
    times.push(performance.now() - t);
  }
  const aloneTotal = performance.now() - t1;

  // The check the budget-check job runs after a sync, twice: the first alerts every crossing, the second nothing.
  const repo = new MemoryBudgetRepository();
  const enqueued: Delivery[] = [];
  const check = new BudgetAlertService({
    budgets: new BudgetService({ ...deps(budgets, true), repo }),
    repo,
    notify: { enqueue: async (d) => void enqueued.push(d) },
    messages: budgetAlertMessages,
    people: {
      ...defaultApprovalPolicy(),
      people: [{ key: 'alice', slack: 'U0ALICE', email: 'alice@example.com', phone: '+15550100001' }],
    },
    clock,
    logger: createPinoLogger({ level: 'silent' }),
  });
  const runs: string[][] = [];
  for (const label of ['check after a sync', 'check again (next sync)']) {
    const before = counted.queries();
    const t = performance.now();
    const outcome = await check.checkAndAlert();
    const total = performance.now() - t;
    runs.push([
      label,
      int(outcome.budgets),
      secs(total),
      ms(total / outcome.budgets),
      int(counted.queries() - before),
      `${int(outcome.alerted)} alerts, ${int(outcome.deliveries)} deliveries, ${int(outcome.seen)} seen`,
    ]);
  }
  const sorted = [...times].sort((a, b) => a - b);
  log(
    table(
      ['budget status alone', 'budgets', 'total', 'p50 ms', 'p95 ms', 'max ms'],
      [
        [
          'one query set per budget',
          int(budgets.length),
          secs(aloneTotal),
          ms(percentile(sorted, 50)),
          ms(percentile(sorted, 95)),
          ms(sorted.at(-1) ?? Number.NaN),
        ],
      ],
    ),
  );
  log(table(['budget check', 'budgets', 'total', 'per budget ms', 'store queries', 'outcome'], runs));
}

/** Scopes from the data's values, each with a period and metric, cycled to {@link BUDGETS}. */
async function scopes(store: CostRepository): Promise<Budget[]> {
  const from = addDays(BENCH_TODAY, -90);
  const to = addDays(BENCH_TODAY, -1);
  const values = async (d: Dimension) =>
    [...new Set((await store.aggregate({ from, to, groupBy: [d], metrics: ['effective'] })).map((r) => r.keys[0]))]
      .filter((v): v is string => !!v && v !== '(untagged)')
      .sort();
  const tags = async (key: string) => (await values({ kind: 'tag', key })).map((value) => ({ key, value }));
  const [teams, envs, centres, accounts, services, providers, regions] = await Promise.all([
    tags('team'),
    tags('env'),
    tags('cost-center'),
    values({ kind: 'account' }),
    values({ kind: 'service' }),
    values({ kind: 'provider' }),
    values({ kind: 'region' }),
  ]);
  const filters: CostFilter[] = [
    {},
    ...[...teams, ...envs, ...centres].map((t) => ({ tags: [t] })),
    ...accounts.map((a) => ({ subAccountIds: [a] })),
    ...services.map((s) => ({ services: [s] })),
    ...providers.map((p) => ({ providers: [p] })),
    ...regions.map((r) => ({ regions: [r] })),
    ...teams.flatMap((t) => providers.map((p) => ({ tags: [t], providers: [p] }))),
    ...accounts.map((a) => ({ subAccountIds: [a], exclude: { charges: ['Tax'] } })),
    ...accounts.flatMap((a) => services.slice(0, 12).map((s) => ({ subAccountIds: [a], services: [s] }))),
  ];
  return Array.from({ length: BUDGETS }, (_, i) => ({
    name: `budget-${i}`,
    filter: filters[i % filters.length]!,
    metric: i % 5 === 4 ? 'billed' : 'effective',
    period: PERIODS[Math.floor(i / filters.length + i) % PERIODS.length]!,
    amount: 1,
    currency: i % 7 === 6 ? 'EUR' : 'USD',
    owners: ['alice'],
    channel: 'C0BUDGETS',
    thresholds: { actual: [50, 80, 100], forecast: [100] },
    origin: 'policy' as const,
    updatedBy: 'bench',
    updatedAt: `${BENCH_TODAY}T00:00:00.000Z`,
  }));
}

main().catch((err: unknown) => {
  process.stderr.write(`budget bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
