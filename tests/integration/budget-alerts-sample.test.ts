// Issue 16, item 3 over the sample (the eval's FOCUS file, the built-in sample written out): the statuses of many
// budgets computed together (one grouped query per scope shape) equal each budget's own status; a budget check alerts
// each threshold once per period, to the channel and the owners (email and SMS too at 100%), with the figures and the
// top three drivers this test sums from the FOCUS file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import { MemoryBudgetRepository } from '../../adapters/memory/memory-budget.repository.js';
import { type AppDeps, createDeps } from '../../src/bootstrap/deps.js';
import { BudgetService } from '../../src/budgets/budget.service.js';
import type { Budget } from '../../src/budgets/budget.types.js';
import { defaultApprovalPolicy } from '../../src/config/approval-policy.schema.js';
import { loadConfig } from '../../src/config/env.js';
import { budgetAlertMessages } from '../../src/conversation/replies/budget-alert.reply.js';
import type { AggregateQuery } from '../../src/costs/cost-query.types.js';
import type { CostRepository } from '../../src/costs/cost-repository.port.js';
import { ForecastService } from '../../src/costs/forecast.service.js';
import { BudgetAlertService } from '../../src/notifications/budget-alert.service.js';
import { deliveryId } from '../../src/notifications/delivery-id.js';
import type { Delivery, NotifyQueue } from '../../src/notifications/notification.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { EVAL_DAY, EVAL_FIXTURE, evalFixtureRows } from '../eval/eval-fixture.js';
import { testDataDir } from '../support/data-dir.js';
import { expectedFocusSums, type FocusRow } from '../support/focus-oracle.js';

const THROUGH = '2026-06-09';
const clock = fixedClock(new Date(`${EVAL_DAY}T12:00:00Z`));
const logger = createPinoLogger({ level: 'silent' });
const PEOPLE = {
  ...defaultApprovalPolicy(),
  people: [{ key: 'alice', name: 'Alice', slack: 'U0ALICE', email: 'alice@example.com', phone: '+15550100001' }],
};

let deps: AppDeps;
beforeAll(async () => {
  deps = await createDeps(loadConfig({ TALLY_TODAY: EVAL_DAY, TALLY_DATA_DIR: testDataDir() }), {
    focusPath: EVAL_FIXTURE,
    clock,
    logger,
  });
}, 120_000);
afterAll(async () => {
  await deps?.close();
});

/** Counts the store's aggregate queries and passes everything through (a decorator, not a stub). */
function counting(store: CostRepository): { repo: CostRepository; queries: () => number } {
  let n = 0;
  const repo = Object.create(store) as CostRepository;
  repo.aggregate = (q: AggregateQuery) => {
    n++;
    return store.aggregate(q);
  };
  repo.sources = () => store.sources();
  return { repo, queries: () => n };
}

const tagOf = (r: FocusRow) => JSON.parse(r.Tags ?? '{}') as Record<string, string>;
const distinct = (f: (r: FocusRow) => string | null | undefined) =>
  [...new Set(evalFixtureRows().map(f))].filter((v): v is string => !!v).sort();

function budget(name: string, over: Partial<Budget>): Budget {
  return {
    name,
    filter: {},
    metric: 'effective',
    period: 'monthly',
    amount: 10_000,
    currency: 'USD',
    owners: [],
    thresholds: { actual: [50, 80, 100], forecast: [100] },
    origin: 'policy',
    updatedBy: 'test',
    updatedAt: '2026-06-01T00:00:00.000Z',
    ...over,
  };
}

function service(repo: CostRepository | undefined, policyBudgets: Budget[]): BudgetService {
  const forecast = new ForecastService(deps.costs);
  return new BudgetService({
    repo: new MemoryBudgetRepository(),
    policyBudgets,
    costs: deps.costs,
    forecast,
    ...(repo ? { store: repo } : {}),
    clock,
    fiscalYearStart: 4,
    tagKeys: async () => [],
    people: ['alice'],
    mayEdit: async () => false,
  });
}

describe('budget statuses computed together', () => {
  it('equal each budget computed on its own, for every period, metric and scope shape, in a few queries', async () => {
    const teams = distinct((r) => tagOf(r).team);
    const services = distinct((r) => r.ServiceName);
    const accounts = distinct((r) => r.SubAccountId);
    expect(teams.length).toBeGreaterThan(2);
    const periods = ['monthly', 'quarterly', 'yearly', 'fiscal-quarter', 'fiscal-year'] as const;
    const budgets: Budget[] = [
      ...teams.map((t, i) =>
        budget(`team-${i}`, { filter: { tags: [{ key: 'team', value: t }] }, period: periods[i % 5]! }),
      ),
      ...teams.map((t, i) =>
        budget(`team-notax-${i}`, { filter: { tags: [{ key: 'team', value: t }], exclude: { charges: ['Tax'] } } }),
      ),
      ...services.map((s, i) => budget(`svc-${i}`, { filter: { services: [s] }, metric: i % 2 ? 'billed' : 'list' })),
      ...accounts.map((a, i) => budget(`acct-${i}`, { filter: { subAccountIds: [a] }, period: 'quarterly' })),
      ...accounts.flatMap((a, i) =>
        services
          .slice(0, 3)
          .map((s, j) => budget(`acct-svc-${i}-${j}`, { filter: { subAccountIds: [a], services: [s] } })),
      ),
      budget('all', {}),
      budget('two-teams', { filter: { tags: teams.slice(0, 2).map((value) => ({ key: 'team', value })) } }),
      budget('eur', { filter: { tags: [{ key: 'team', value: teams[0]! }] }, currency: 'EUR' }),
    ];
    const alone = await Promise.all(budgets.map(async (b) => (await service(undefined, budgets).status(b)).status));
    const batched = counting(deps.stores.costs);
    const together = (await service(batched.repo, budgets).statuses(budgets)).map((s) => s.status);
    expect(together).toEqual(alone);
    expect(together.map((s) => s.budget.name)).toEqual(budgets.map((b) => b.name));
    // Spend that is there, not zeros alike: the first team's monthly spend is summed from the file.
    const team0 = expectedFocusSums(evalFixtureRows(), {
      from: '2026-06-01',
      to: THROUGH,
      amount: 'EffectiveCost',
      key: (r) => tagOf(r).team ?? '',
    });
    expect(together[0]!.spent).toBeCloseTo(team0.get('USD')?.get(teams[0]!) ?? Number.NaN, 2);
    // Two grouped queries (spend by day; by day and charge, every metric at once) per shape: team tags (with the EUR
    // budget), team tags without tax, services (billed and list), accounts, an account's service; and two each for
    // the budgets without a single value (all costs, two teams). Alone, every budget asks two of its own.
    expect(batched.queries()).toBe(14);
  });
});

/** Records every enqueue, duplicates included. */
class RecordingQueue implements NotifyQueue {
  readonly enqueued: Delivery[] = [];
  async enqueue(delivery: Delivery): Promise<void> {
    this.enqueued.push(delivery);
  }
}

describe('budget checks', () => {
  const spentBy = (key: (r: FocusRow) => string) =>
    expectedFocusSums(evalFixtureRows(), { from: '2026-06-01', to: THROUGH, amount: 'EffectiveCost', key }).get('USD')!;
  const payments = (r: FocusRow) => (tagOf(r).team === 'payments' ? 'payments' : '');

  it('alert each threshold once a period, to the channel and the owner, with the drivers since the period start', async () => {
    const spent = spentBy(payments).get('payments')!;
    // 85% used: the check alerts 80% (passing 50% with it); the forecast threshold is out of reach.
    const amount = Math.round(spent / 0.85);
    const b = budget('payments', {
      filter: { tags: [{ key: 'team', value: 'payments' }] },
      amount,
      owners: ['alice'],
      channel: 'C0PAY',
      thresholds: { actual: [50, 80, 100], forecast: [1000] },
    });
    const repo = new MemoryBudgetRepository();
    const budgets = new BudgetService({
      repo,
      policyBudgets: [b],
      costs: deps.costs,
      forecast: new ForecastService(deps.costs),
      store: deps.stores.costs,
      clock,
      fiscalYearStart: 1,
      tagKeys: async () => [],
      people: ['alice'],
      mayEdit: async () => false,
    });
    const queue = new RecordingQueue();
    const check = new BudgetAlertService({
      budgets,
      repo,
      notify: queue,
      messages: budgetAlertMessages,
      people: PEOPLE,
      clock,
      logger,
    });

    const first = await check.checkAndAlert();
    expect(first).toEqual({ budgets: 1, alerted: 1, deliveries: 2, seen: 0 });
    const event = 'budget-payments-2026-06-actual-80';
    expect(queue.enqueued.map((d) => [d.id, d.to]).sort()).toEqual(
      [
        [deliveryId(event, 'chat', 'slack/C0PAY'), 'slack/C0PAY'],
        [deliveryId(event, 'chat', 'slack/@U0ALICE'), 'slack/@U0ALICE'],
      ].sort(),
    );
    const reply = queue.enqueued[0]!.reply;
    expect(reply.title).toBe('Budget payments: 80% spent — June 2026');
    const money = (n: number) =>
      `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n)} USD`;
    expect(reply.text).toContain(`${money(spent)} of ${money(amount)} spent (${((spent / amount) * 100).toFixed(1)}%)`);
    expect(reply.text).toContain('It also passed 50%.');
    // The top three drivers since the period's start, by service and account, summed from the file.
    const byPair = spentBy((r) => (payments(r) ? `${r.ServiceName} · ${r.SubAccountName} (${r.SubAccountId})` : ''));
    const top = [...byPair]
      .filter(([k]) => k !== '')
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3);
    const drivers = reply.fields?.find((f) => f.label === `Top drivers, 2026-06-01 to ${THROUGH}`)?.value;
    expect(drivers).toBe(top.map(([k, v]) => `${k}: ${money(v)}`).join('\n'));
    expect(reply.buttons?.map((x) => [x.label, x.value])).toEqual([
      ['Acknowledge', 'payments|2026-06|actual|80'],
      ['Investigate', `compare from 2026-06-01 to ${THROUGH} vs the period before by service for tag:team=payments`],
      ['Request increase', 'payments'],
    ]);
    expect((await repo.crossings('payments', '2026-06')).map((c) => [c.kind, c.percent, c.through])).toEqual([
      ['actual', 50, THROUGH],
      ['actual', 80, THROUGH],
    ]);

    // Checked again on the same data: nothing new.
    expect(await check.checkAndAlert()).toEqual({ budgets: 1, alerted: 0, deliveries: 0, seen: 1 });
    expect(queue.enqueued).toHaveLength(2);

    // The amount lowered below the spend: 100% is critical, so the owner also gets email and SMS. No day of data came
    // after the last alert's, so the drivers are the period's so far again.
    const lower = { ...b, amount: Math.floor(spent * 0.99) };
    const again = new BudgetAlertService({
      budgets: new BudgetService({ ...budgetsDeps(repo), policyBudgets: [lower] }),
      repo,
      notify: queue,
      messages: budgetAlertMessages,
      people: PEOPLE,
      clock,
      logger,
    });
    expect(await again.checkAndAlert()).toMatchObject({ alerted: 1, deliveries: 4 });
    const critical = queue.enqueued.slice(2);
    expect(critical.map((d) => [d.channel, d.to]).sort()).toEqual(
      [
        ['chat', 'slack/C0PAY'],
        ['chat', 'slack/@U0ALICE'],
        ['email', 'alice@example.com'],
        ['sms', '+15550100001'],
      ].sort(),
    );
    expect(critical.find((d) => d.channel === 'email')?.subject).toBe('Critical: budget payments 100% spent');
    expect(critical[0]!.reply.fields?.find((f) => f.label.startsWith('Top drivers'))).toEqual({
      label: `Top drivers, 2026-06-01 to ${THROUGH}`,
      value: drivers,
    });
    expect(await again.checkAndAlert()).toMatchObject({ alerted: 0, seen: 1 });
  });
});

function budgetsDeps(repo: MemoryBudgetRepository) {
  return {
    repo,
    policyBudgets: [] as Budget[],
    costs: deps.costs,
    forecast: new ForecastService(deps.costs),
    store: deps.stores.costs,
    clock,
    fiscalYearStart: 1,
    tagKeys: async () => [],
    people: ['alice'],
    mayEdit: async () => false,
  };
}
