/**
 * Digest benchmark: builds the weekly (and some daily) digest for N channels (default 100) over the built-in sample
 * dataset (13 months, three clouds, USD and EUR) in the cost store (DuckDB over Parquet in a temporary folder), loaded
 * as `tally shell` loads it (`loadSample`). Each channel has its own scope (all data, one provider, one or two
 * sub-accounts, a provider and an account), so every digest runs its own queries: the week and the week before by
 * service, the month-end forecast, the daily trend of the week, anomalies (the sample's injected anomalies, as the
 * scan would report them), pending approvals (25, in memory) and the savings ledger. It reports the time per digest (p50 / p95 / max) one at a time,
 * then the wall time of all N with the digest worker's concurrency.
 *
 *   npm run bench                        # every bench
 *   BENCH_ONLY=digest npm run bench      # this one only
 *
 * Knobs: BENCH_DIGEST_CHANNELS (100), BENCH_DIGEST_CONCURRENCY (4, the worker's default), BENCH_DIGEST_DAILY_EVERY
 * (5: every fifth channel has a daily digest).
 */
import { MemoryApprovalRepository } from '../adapters/memory/memory-approval.repository.js';
import type { Anomaly } from '../src/anomalies/anomaly.types.js';
import type { Approval } from '../src/approvals/approval.types.js';
import { SavingsService } from '../src/approvals/savings.service.js';
import { CostQueryService } from '../src/costs/cost-query.service.js';
import type { AccountName, CostRepository } from '../src/costs/cost-repository.port.js';
import { ForecastService } from '../src/costs/forecast.service.js';
import { loadSample } from '../src/costs/sample/load-sample.js';
import { generateSample } from '../src/costs/sample/sample-data.js';
import type { ViewScope } from '../src/costs/view-scope.js';
import { type DigestOptions, DigestService } from '../src/reports/digest.service.js';
import { fixedClock } from '../src/shared/clock.js';
import { addDays, type Day } from '../src/shared/day.js';
import { BENCH_TODAY } from './bench-data.js';
import { envInt, int, ms, percentile, secs, table } from './bench-stats.js';
import { benchCostStore } from './bench-stores.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const CHANNELS = Math.max(1, envInt('BENCH_DIGEST_CHANNELS', 100));
const CONCURRENCY = Math.max(1, envInt('BENCH_DIGEST_CONCURRENCY', 4));
const DAILY_EVERY = envInt('BENCH_DIGEST_DAILY_EVERY', 5);

async function main(): Promise<void> {
  log(`Tally digest benchmark — ${CHANNELS} channels, node ${process.version}, today pinned to ${BENCH_TODAY}`);
  const store = await benchCostStore();
  try {
    await benchDigests(store.costs);
  } finally {
    await store.close();
  }
}

async function benchDigests(repo: CostRepository): Promise<void> {
  const t0 = performance.now();
  await loadSample(repo, BENCH_TODAY);
  const range = await repo.dataRange();
  log(`[data] sample dataset ${range?.from}..${range?.to} loaded in ${secs(performance.now() - t0)}`);

  const clock = fixedClock(new Date(`${BENCH_TODAY}T07:00:00Z`));
  const approvals = new MemoryApprovalRepository();
  // Billing-account-level charges have no sub-account id; no channel is scoped to that.
  const accounts = (await repo.accounts()).filter((a) => a.subAccountId !== '');
  for (const a of pendingApprovals(accounts, clock.now())) await approvals.create(a);
  const anomalies = sampleAnomalies();
  const costs = new CostQueryService(repo);
  const service = new DigestService({
    costs,
    forecast: new ForecastService(costs),
    approvals,
    savings: new SavingsService({ approvals, costs: repo, clock }),
    anomalies: async (r) => anomalies.filter((a) => a.day >= r.from && a.day <= r.to),
    clock,
  });
  const channels = channelOptions(accounts, CHANNELS);

  // One unmeasured digest first, as a running worker would have had (JIT, account names cached).
  await service.build(channels[0]);
  const times: number[] = [];
  let empty = 0;
  const t1 = performance.now();
  for (const options of channels) {
    const t = performance.now();
    const reply = await service.build(options);
    times.push(performance.now() - t);
    if (((reply.data?.currencies as unknown[]) ?? []).length === 0) empty++;
  }
  const sequential = performance.now() - t1;
  const t2 = performance.now();
  await inLanes(channels, CONCURRENCY, (o) => service.build(o));
  const concurrent = performance.now() - t2;

  const sorted = [...times].sort((a, b) => a - b);
  const daily = channels.filter((c) => c.cadence === 'daily').length;
  log(`[digest] ${CHANNELS} channels (${CHANNELS - daily} weekly, ${daily} daily), ${empty} without data in scope`);
  log(
    table(
      ['run', 'digests', 'total', 'p50 ms', 'p95 ms', 'max ms'],
      [
        [
          'one at a time',
          int(CHANNELS),
          secs(sequential),
          ms(percentile(sorted, 50)),
          ms(percentile(sorted, 95)),
          ms(sorted.at(-1) ?? Number.NaN),
        ],
        [`${CONCURRENCY} at a time`, int(CHANNELS), secs(concurrent), '-', '-', '-'],
      ],
    ),
  );
  if (empty > 0) log(`warning: ${empty} digests had no cost data in their scope`);
}

/** Scopes of N channels: everything, each provider, each account, pairs of accounts, a provider with an account. */
function channelOptions(accounts: AccountName[], n: number): DigestOptions[] {
  const providers = [...new Set(accounts.map((a) => a.provider))].sort();
  const scopes: (ViewScope | undefined)[] = [
    undefined,
    ...providers.map((p) => ({ providers: [p] })),
    ...accounts.map((a) => ({ subAccountIds: [a.subAccountId] })),
    ...accounts.slice(1).map((a, i) => ({ subAccountIds: [accounts[i]!.subAccountId, a.subAccountId] })),
    ...accounts.map((a) => ({ providers: [a.provider], subAccountIds: [a.subAccountId] })),
  ];
  return Array.from({ length: n }, (_, i) => {
    const scope = scopes[i % scopes.length];
    const cadence = DAILY_EVERY > 0 && i % DAILY_EVERY === DAILY_EVERY - 1 ? 'daily' : 'weekly';
    return { cadence, ...(scope ? { scope } : {}) };
  });
}

/** The sample's injected anomalies as the scan reports them (a stand-in for the scan service). */
function sampleAnomalies(): Anomaly[] {
  const { anomalies } = generateSample({ endDay: addDays(BENCH_TODAY, -1) });
  return anomalies.map((a, i) => ({
    id: `anm_${i}`,
    day: a.day as Day,
    dimension: a.dimension,
    key: a.key,
    label: a.key,
    provider: a.provider,
    currency: a.currency,
    actual: 0,
    expected: 0,
    impact: a.expectedImpact,
    relative: null,
    direction: a.expectedImpact >= 0 ? 'spike' : 'drop',
    severity: 'high',
    contributors: [],
  }));
}

/** 25 pending approvals to stop an instance, spread over the AWS accounts of the sample. */
function pendingApprovals(accounts: AccountName[], now: Date): Approval[] {
  const aws = accounts.filter((a) => a.provider === 'AWS');
  const hour = 3_600_000;
  return Array.from({ length: 25 }, (_, i) => {
    const accountId = aws[i % Math.max(1, aws.length)]?.subAccountId ?? '000000000000';
    const id = `i-${(0xabc000 + i).toString(16).padStart(17, '0')}`;
    const createdAt = new Date(now.getTime() - (i + 1) * hour).toISOString();
    return {
      id: `apr_bench${String(i).padStart(3, '0')}`,
      version: 1,
      state: 'PENDING',
      action: {
        kind: 'stop_instance',
        target: { provider: 'AWS', accountId, region: 'us-east-1', resourceType: 'instance', resourceId: id },
        facts: { resourceType: 'instance', id, instanceType: 't3.large', state: 'running', tags: [] },
        params: {},
        monthlySavings: 20 + i * 3.5,
        currency: 'USD',
        risk: 'medium',
        summary: `Stop ${id} (t3.large) in us-east-1`,
      },
      reason: 'idle',
      requester: { person: 'dave', via: { platform: 'slack', id: 'U0DAVE' } },
      rule: {
        tiers: [{ approvers: ['alice', 'bob'], quorum: 1 }],
        requesterMayVote: false,
        remindAfterMs: hour,
        escalateAfterMs: 4 * hour,
        expireAfterMs: 48 * hour,
        onExpiry: 'reject',
      },
      tier: 0,
      votes: [],
      origin: { platform: 'slack', channel: 'C0FINOPS' },
      messages: [],
      createdAt,
      updatedAt: createdAt,
      expiresAt: new Date(Date.parse(createdAt) + 48 * hour).toISOString(),
    };
  });
}

async function inLanes<T>(items: T[], lanes: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

main().catch((err: unknown) => {
  process.stderr.write(`digest bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
