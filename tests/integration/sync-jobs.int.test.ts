// Cloud cost syncs as BullMQ jobs (docs/architecture.md#job-queues): the schedules installed from
// configuration, the `sync-all` fan-out into one `sync` job per linked account, incremental idempotent syncs of the
// real AwsCostExplorerSource against moto, retries with backoff on throttling, permanent failures shown by
// `/cost status`, and the debounced anomaly scan after the syncs. Each test acts as a moto account of its own (its own
// CE result queue) and runs its queues under a Redis prefix of its own. CE errors come from a fault proxy in front of
// moto, since moto never throttles or denies.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installSchedules, SCHEDULER_IDS } from '../../adapters/queue/bullmq-schedules.js';
import { createQueueConnection } from '../../adapters/queue/queue-connection.js';
import { QUEUES } from '../../jobs/queues.js';
import { loadConfig } from '../../src/config/env.js';
import { statusReply } from '../../src/conversation/replies/status.reply.js';
import type { ImportRun } from '../../src/costs/import-run.types.js';
import { dropPrefix } from '../support/approval-runtime.js';
import { type AwsFaultProxy, startAwsFaultProxy } from '../support/aws-fault-proxy.js';
import {
  addExpectations,
  type CeExpectation,
  type CeResult,
  ceAccountGroup,
  ceDay,
  ceGroup,
  centsOf,
  expectedFromCe,
  newMotoAccountId,
  seedCostAndUsage,
} from '../support/moto-ce.js';
import { drained, jobEvents } from '../support/queue-state.js';
import { awsEndpoint, redisUrl, uniqueName } from '../support/services.js';
import {
  createSyncHarness,
  type SyncHarness,
  type SyncHarnessOptions,
  steppingClock,
} from '../support/sync-harness.js';

const endpoint = awsEndpoint();
const NOW = new Date('2026-06-10T08:00:00Z');
const EC2 = 'Amazon Elastic Compute Cloud - Compute';
const S3 = 'Amazon Simple Storage Service';
const RDS = 'Amazon Relational Database Service';

let proxy: AwsFaultProxy;
const harnesses: SyncHarness[] = [];

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  proxy = await startAwsFaultProxy(endpoint);
});

afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

afterAll(async () => {
  await proxy.close();
  vi.unstubAllEnvs();
});

/** A harness acting as a fresh moto account, its AWS calls going through the fault proxy. */
async function harness(options: Partial<SyncHarnessOptions> = {}) {
  const payer = newMotoAccountId();
  const clock = steppingClock(NOW);
  const h = await createSyncHarness({ awsEndpoint: proxy.url, accountId: payer, clock, historyDays: 3, ...options });
  harnesses.push(h);
  return { h, payer, clock, seed: (results: CeResult[]) => seedCostAndUsage(endpoint, payer, results) };
}

/** Tally's stored totals of one linked account over a day range, in cents, and its row count. */
async function storedTotals(h: SyncHarness, account: string, range: { from: string; to: string }) {
  const rows = await h.costs.aggregate({ ...range, groupBy: [], filter: { subAccountIds: [account] } });
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
  return {
    billed: Math.round(sum((r) => r.billed) * 100) / 100,
    effective: Math.round(sum((r) => r.effective) * 100) / 100,
    rows: sum((r) => r.rows),
    currencies: rows.map((r) => r.currency),
  };
}

const inCents = (e: CeExpectation) => ({
  billed: centsOf(e.billed),
  effective: centsOf(e.effective),
  rows: e.rows,
  currencies: e.rows > 0 ? ['USD'] : [],
});

/** The `GetCostAndUsage` bodies that reached the proxy for one linked account's fetch (DAILY, filtered). */
function fetchBodies(account: string): { TimePeriod: { Start: string; End: string }; NextPageToken?: string }[] {
  return proxy.requests
    .filter((r) => r.action === 'GetCostAndUsage' && r.body.includes(`"Values":["${account}"]`))
    .map((r) => JSON.parse(r.body));
}

/** The runs of one account's source key, oldest first. */
async function runsOf(h: SyncHarness, account: string): Promise<ImportRun[]> {
  return (await h.runs.latest(100)).filter((r) => r.source === `aws-ce:${account}`).reverse();
}

/** The next instant after `after` (whole minutes, UTC) that `matches`, found by trying every minute of 2 days. */
function nextUtcMinute(after: number, matches: (d: Date) => boolean): number {
  for (let t = Math.floor(after / 60_000) * 60_000 + 60_000; t < after + 2 * 86_400_000; t += 60_000) {
    if (matches(new Date(t))) return t;
  }
  throw new Error('no matching minute within 2 days');
}

describe('sync and scan schedules', () => {
  const prefix = uniqueName('sync_sched');
  let connection: Redis;
  let syncQueue: Queue;
  let scanQueue: Queue;

  beforeAll(() => {
    connection = createQueueConnection(redisUrl());
    syncQueue = new Queue(QUEUES.sync, { connection, prefix });
    scanQueue = new Queue(QUEUES.anomalyScan, { connection, prefix });
  });

  afterAll(async () => {
    await syncQueue.close();
    await scanQueue.close();
    await connection.quit();
    await dropPrefix(prefix);
  });

  it('upserts sync-all and scan-daily from the configured crons in UTC, and drops sync-all without sources', async () => {
    const config = loadConfig({ TALLY_SYNC_CRON: '15 */4 * * *', TALLY_SCAN_CRON: '45 6 * * *' });
    const install = (syncing: boolean) =>
      installSchedules({
        syncQueue,
        scanQueue,
        syncCron: config.schedules.syncCron,
        scanCron: config.schedules.scanCron,
        syncing,
      });
    const before = Date.now();
    await install(true);
    await install(true); // every start upserts again: still one scheduler per queue

    const syncSchedulers = await syncQueue.getJobSchedulers();
    expect(syncSchedulers).toHaveLength(1);
    expect(syncSchedulers[0]).toMatchObject({
      key: SCHEDULER_IDS.syncAll,
      name: 'sync-all',
      pattern: '15 */4 * * *',
      tz: 'UTC',
      next: nextUtcMinute(before, (d) => d.getUTCMinutes() === 15 && d.getUTCHours() % 4 === 0),
    });
    const scanSchedulers = await scanQueue.getJobSchedulers();
    expect(scanSchedulers).toHaveLength(1);
    expect(scanSchedulers[0]).toMatchObject({
      key: SCHEDULER_IDS.scanDaily,
      name: 'scan',
      pattern: '45 6 * * *',
      tz: 'UTC',
      next: nextUtcMinute(before, (d) => d.getUTCMinutes() === 45 && d.getUTCHours() === 6),
    });
    const [nextSync] = await syncQueue.getDelayed();
    expect(await syncQueue.getDelayed()).toHaveLength(1);
    expect(nextSync?.name).toBe('sync-all');
    expect(nextSync?.opts.attempts).toBeGreaterThan(1);

    await install(false);
    expect(await syncQueue.getJobSchedulers()).toEqual([]);
    expect(await syncQueue.getJobScheduler(SCHEDULER_IDS.syncAll)).toBeUndefined();
    expect(await syncQueue.getDelayed()).toEqual([]);
    expect((await scanQueue.getJobSchedulers()).map((s) => s.key)).toEqual([SCHEDULER_IDS.scanDaily]);
  });
});

describe('sync jobs on BullMQ with Cost Explorer on moto', () => {
  it('fans sync-all out into one sync per linked account, stores each, and scans once after them', async () => {
    const { h, seed } = await harness({ historyDays: 3, scanDebounceMs: 1500 });
    // Linked accounts of this test only (the proxy's record is shared by the file); fan-out syncs them in this order.
    const [linkedA, linkedB] = [newMotoAccountId(), newMotoAccountId()].sort() as [string, string];
    const accounts: CeResult = {
      ResultsByTime: [
        ceDay('2026-05-06', [ceAccountGroup(linkedB, '5'), ceAccountGroup(linkedA, '9')], '2026-06-01'),
        ceDay('2026-06-01', [ceAccountGroup(linkedA, '2')], '2026-06-10'),
      ],
      DimensionValueAttributes: [
        { Value: linkedA, Attributes: { description: 'payments-prod' } },
        { Value: linkedB, Attributes: { description: 'data-dev' } },
      ],
    };
    // Account A over two pages; B on one, with a zero group CE lists but Tally drops.
    const aPage1: CeResult = {
      ResultsByTime: [
        ceDay('2026-06-07', [
          ceGroup(EC2, 'us-east-1', '41.2500000001', '12.75'),
          ceGroup(S3, 'eu-west-1', '3.01', '3.01'),
        ]),
        ceDay('2026-06-08', [ceGroup(EC2, 'us-east-1', '40.125', '11.5')]),
      ],
      NextPageToken: 'a-page-2',
    };
    const aPage2: CeResult = {
      ResultsByTime: [ceDay('2026-06-09', [ceGroup(EC2, 'us-east-1', '39.0000000004', '10.3333333333')])],
    };
    const bPage: CeResult = {
      ResultsByTime: [
        ceDay('2026-06-07', [ceGroup(RDS, 'eu-central-1', '7.1', '7.1'), ceGroup('AWS Lambda', 'us-east-1', '0', '0')]),
        ceDay('2026-06-08', [ceGroup(RDS, 'eu-central-1', '7.1', '7.1')]),
        ceDay('2026-06-09', [ceGroup(RDS, 'eu-central-1', '8.2049999999', '8.2049999999')]),
      ],
    };
    // In request order: the accounts query, A's two pages, B's page (one sync at a time, A first).
    await seed([accounts, aPage1, aPage2, bPage]);

    const all = await h.settled(await h.syncQueue.add('sync-all', {}));
    expect(await all.getState()).toBe('completed');
    expect(all.returnvalue).toEqual({ jobs: 2 });
    const syncs = await h.until(h.syncQueue, (jobs) => jobs.filter((j) => j.name === 'sync').length === 2);
    const perAccount = syncs.filter((j) => j.name === 'sync');
    expect(perAccount.map((j) => j.data).sort((x, y) => x.account.localeCompare(y.account))).toEqual([
      { source: 'aws-ce', account: linkedA },
      { source: 'aws-ce', account: linkedB },
    ]);
    expect(await Promise.all(perAccount.map((j) => j.getState()))).toEqual(['completed', 'completed']);

    // The first sync of an account fetches historyDays (3) up to yesterday.
    const window = { from: '2026-06-07', to: '2026-06-09' };
    const expected = { [linkedA]: expectedFromCe([aPage1, aPage2]), [linkedB]: expectedFromCe([bPage]) };
    for (const account of [linkedA, linkedB]) {
      const e = expected[account]!;
      expect(await storedTotals(h, account, window)).toEqual(inCents(e));
      const [run, ...more] = await runsOf(h, account);
      expect(more).toEqual([]);
      expect(run).toMatchObject({ kind: 'sync', range: window, rowsRead: e.rows, rowsImported: e.rows });
      expect(run?.error).toBeUndefined();
      const cents = (n: number) => Math.round(n * 100) / 100;
      expect(run?.totals.map((t) => ({ ...t, billed: cents(t.billed), effective: cents(t.effective) }))).toEqual([
        { currency: 'USD', billed: centsOf(e.billed), effective: centsOf(e.effective) },
      ]);
    }
    expect(fetchBodies(linkedA).map((b) => [b.TimePeriod, b.NextPageToken])).toEqual([
      [{ Start: window.from, End: '2026-06-10' }, undefined],
      [{ Start: window.from, End: '2026-06-10' }, 'a-page-2'],
    ]);
    expect(fetchBodies(linkedB).map((b) => b.TimePeriod)).toEqual([{ Start: window.from, End: '2026-06-10' }]);
    expect((await h.costs.accounts()).map((a) => [a.subAccountId, a.subAccountName])).toEqual([
      [linkedA, 'payments-prod'],
      [linkedB, 'data-dev'],
    ]);

    // Both syncs asked for a scan; the debounce made it one, and it ran after both syncs were recorded.
    await vi.waitFor(() => expect(h.scans).toHaveLength(1), { timeout: 10_000, interval: 50 });
    // Nothing is left to run on either queue, so no second scan can come.
    await drained(h.syncQueue);
    await drained(h.scanQueue);
    expect(h.scans).toEqual([{ at: expect.any(Number), runsSeen: 2 }]);
    expect(await h.scanQueue.getJobCounts('completed', 'delayed', 'waiting')).toEqual({
      completed: 1,
      delayed: 0,
      waiting: 0,
    });
  });

  it('is incremental and idempotent: a second run re-syncs the last days to the same totals, late data replaces them', async () => {
    const { h, clock, seed } = await harness({ historyDays: 5, resyncDays: 2 });
    const amounts: Record<string, [string, string]> = {
      '2026-06-05': ['10.1', '10.1'],
      '2026-06-06': ['11.2200000001', '9.5'],
      '2026-06-07': ['12.33', '12.33'],
      '2026-06-08': ['13.4444444444', '13.4444444444'],
      '2026-06-09': ['14.55', '14.05'],
    };
    const first: CeResult = {
      ResultsByTime: Object.entries(amounts).map(([d, [a, u]]) =>
        ceDay(d, [ceGroup(EC2, 'us-east-1', a, u), ceGroup(S3, 'us-east-1', '0.5', '0.5')]),
      ),
    };
    // The re-sync window (resyncDays 2) gets the same figures for its days: nothing changed at AWS.
    const resync: CeResult = { ResultsByTime: first.ResultsByTime.filter((r) => r.TimePeriod.Start >= '2026-06-08') };
    // A day later: 06-09 was completed late, 06-10 is new.
    const late: CeResult = {
      ResultsByTime: [
        ...resync.ResultsByTime.filter((r) => r.TimePeriod.Start === '2026-06-08'),
        ceDay('2026-06-09', [ceGroup(EC2, 'us-east-1', '21.75', '20.5'), ceGroup(S3, 'us-east-1', '0.5', '0.5')]),
        ceDay('2026-06-10', [ceGroup(EC2, 'us-east-1', '15.05', '15.05')]),
      ],
    };
    await seed([first, resync, late]);
    const all = { from: '2026-06-05', to: '2026-06-10' };
    const account = newMotoAccountId();
    const payload = { source: 'aws-ce', account };

    const one = await h.settled(await h.syncQueue.add('sync', payload));
    expect(one.returnvalue).toEqual({
      rows: expectedFromCe([first]).rows,
      range: { from: '2026-06-05', to: '2026-06-09' },
    });
    const afterOne = await storedTotals(h, account, all);
    expect(afterOne).toEqual(inCents(expectedFromCe([first])));

    const two = await h.settled(await h.syncQueue.add('sync', payload));
    expect(two.returnvalue).toEqual({
      rows: expectedFromCe([resync]).rows,
      range: { from: '2026-06-08', to: '2026-06-09' },
    });
    expect(await storedTotals(h, account, all)).toEqual(afterOne);
    for (const day of Object.keys(amounts)) {
      expect(await storedTotals(h, account, { from: day, to: day })).toEqual(
        inCents(expectedFromCe([first], (d) => d === day)),
      );
    }

    clock.set(new Date('2026-06-11T08:00:00Z'));
    const three = await h.settled(await h.syncQueue.add('sync', payload));
    expect(three.returnvalue).toEqual({
      rows: expectedFromCe([late]).rows,
      range: { from: '2026-06-08', to: '2026-06-10' },
    });
    expect(await storedTotals(h, account, all)).toEqual(
      inCents(
        addExpectations(
          expectedFromCe([first], (d) => d < '2026-06-08'),
          expectedFromCe([late]),
        ),
      ),
    );
    expect(await storedTotals(h, account, { from: '2026-06-09', to: '2026-06-09' })).toEqual(
      inCents(expectedFromCe([late], (d) => d === '2026-06-09')),
    );

    expect(fetchBodies(account).map((b) => b.TimePeriod)).toEqual([
      { Start: '2026-06-05', End: '2026-06-10' },
      { Start: '2026-06-08', End: '2026-06-10' },
      { Start: '2026-06-08', End: '2026-06-11' },
    ]);
    expect((await runsOf(h, account)).map((r) => [r.range, r.rowsImported, r.error])).toEqual([
      [{ from: '2026-06-05', to: '2026-06-09' }, expectedFromCe([first]).rows, undefined],
      [{ from: '2026-06-08', to: '2026-06-09' }, expectedFromCe([resync]).rows, undefined],
      [{ from: '2026-06-08', to: '2026-06-10' }, expectedFromCe([late]).rows, undefined],
    ]);
  });

  // Cost Explorer's own rate-limit error is LimitExceededException ("You made too many calls in a short period of
  // time. Try again later."); ThrottlingException is the generic AWS one.
  it.each(['ThrottlingException', 'LimitExceededException'])(
    'retries a sync throttled by Cost Explorer (%s) after a backoff, and it succeeds',
    async (awsCode) => {
      const backoffMs = 400;
      const { h, seed } = await harness({ historyDays: 3, backoffMs, attempts: 3 });
      const page: CeResult = {
        ResultsByTime: [
          ceDay('2026-06-08', [ceGroup(EC2, 'us-west-2', '5.5', '5.25')]),
          ceDay('2026-06-09', [ceGroup(EC2, 'us-west-2', '6.0000000001', '6')]),
        ],
      };
      await seed([page]);
      const account = newMotoAccountId();
      proxy.failNext('GetCostAndUsage', { status: 400, type: awsCode, message: 'Rate exceeded' });

      const job = await h.settled(await h.syncQueue.add('sync', { source: 'aws-ce', account }));
      // Completed on the second attempt (BullMQ keeps the first attempt's failedReason on the job).
      expect(await job.getState()).toBe('completed');
      expect(job.attemptsMade).toBe(2);
      const calls = proxy.requests.filter(
        (r) => r.action === 'GetCostAndUsage' && r.body.includes(`"Values":["${account}"]`),
      );
      expect(calls.map((c) => c.fault)).toEqual([awsCode, undefined]);
      // The retry waited out the queue's backoff: after the throttled attempt the job was delayed, then ran again.
      expect(job.opts.backoff).toEqual({ type: 'exponential', delay: backoffMs });
      expect(await jobEvents(h.syncQueue, job.id!)).toEqual([
        'added',
        'waiting',
        'active',
        'delayed',
        'waiting',
        'active',
        'completed',
      ]);

      const window = { from: '2026-06-07', to: '2026-06-09' };
      expect(await storedTotals(h, account, window)).toEqual(inCents(expectedFromCe([page])));
      const [throttled, ok] = await runsOf(h, account);
      expect(throttled?.error).toMatch(/^CLOUD_THROTTLED: /);
      expect(throttled?.rowsImported).toBe(0);
      expect(ok).toMatchObject({ range: window, rowsImported: expectedFromCe([page]).rows });
      expect(ok?.error).toBeUndefined();

      // The later success clears the error from /cost status.
      const status = statusReply({ store: 'memory', dataRange: null, imports: await h.runs.latest(20), notes: [] });
      expect((status.data as { sources: unknown[] }).sources).toEqual([
        {
          source: `aws-ce:${account}`,
          kind: 'sync',
          lastSuccess: ok?.finishedAt.toISOString(),
          rows: expectedFromCe([page]).rows,
          range: window,
          lastError: null,
        },
      ]);
    },
  );

  it('fails a denied sync at once, keeps the stored data, and /cost status shows the last success and the error', async () => {
    const { h, seed } = await harness({ historyDays: 3, attempts: 3, backoffMs: 200, scanDebounceMs: 100 });
    const page: CeResult = {
      ResultsByTime: [
        ceDay('2026-06-07', [ceGroup(S3, 'eu-west-1', '1.23', '1.23')]),
        ceDay('2026-06-09', [ceGroup(EC2, 'eu-west-1', '99.999', '98.5')]),
      ],
    };
    await seed([page]);
    const account = newMotoAccountId();
    const window = { from: '2026-06-07', to: '2026-06-09' };
    const first = await h.settled(await h.syncQueue.add('sync', { source: 'aws-ce', account }));
    expect(await first.getState()).toBe('completed');
    const stored = await storedTotals(h, account, window);
    expect(stored).toEqual(inCents(expectedFromCe([page])));
    await vi.waitFor(() => expect(h.scans).toHaveLength(1), { timeout: 10_000, interval: 25 });

    proxy.failNext('GetCostAndUsage', { status: 400, type: 'AccessDeniedException', message: 'not authorized' });
    const denied = await h.settled(await h.syncQueue.add('sync', { source: 'aws-ce', account }));
    expect(await denied.getState()).toBe('failed');
    expect(denied.attemptsMade).toBe(1);
    expect(denied.failedReason).toBeTruthy();
    expect(await storedTotals(h, account, window)).toEqual(stored);

    const [ok, bad] = await runsOf(h, account);
    expect(ok).toMatchObject({ range: window, rowsImported: expectedFromCe([page]).rows });
    expect(bad).toMatchObject({ range: null, rowsImported: 0, error: expect.stringMatching(/^CLOUD_DENIED: /) });
    const status = statusReply({
      store: 'memory',
      dataRange: await h.costs.dataRange(),
      imports: await h.runs.latest(20),
      notes: [],
    });
    expect((status.data as { sources: unknown[] }).sources).toEqual([
      {
        source: `aws-ce:${account}`,
        kind: 'sync',
        lastSuccess: ok?.finishedAt.toISOString(),
        rows: expectedFromCe([page]).rows,
        range: window,
        lastError: { at: bad?.finishedAt.toISOString(), error: bad?.error },
      },
    ]);
    const row = status.tables?.[0]?.rows[0]?.map((cell) => (cell.kind === 'text' ? cell.text : ''));
    expect(row?.[0]).toBe(`aws-ce:${account} (sync)`);
    expect(row?.[3]).toBe(String(expectedFromCe([page]).rows));
    expect(row?.[6]).toContain('CLOUD_DENIED');
    // A denied sync asks for no scan: only the successful one did. Once nothing is left to run, that is settled.
    await drained(h.syncQueue);
    await drained(h.scanQueue);
    expect(h.scans).toHaveLength(1);
    expect(await h.scanQueue.getJobCounts('delayed', 'waiting', 'active')).toEqual({
      delayed: 0,
      waiting: 0,
      active: 0,
    });
  });

  it('with resyncDays 0, a second sync on the same day asks Cost Explorer for no empty period', async () => {
    const { h, seed } = await harness({ historyDays: 3, resyncDays: 0 });
    const page: CeResult = { ResultsByTime: [ceDay('2026-06-09', [ceGroup(EC2, 'us-east-1', '4.5', '4.5')])] };
    // What a fetch of just yesterday would get (the same figures), in case the fix re-fetches the last day.
    await seed([page, page]);
    const account = newMotoAccountId();
    const payload = { source: 'aws-ce', account };
    expect(await (await h.settled(await h.syncQueue.add('sync', payload))).getState()).toBe('completed');
    const second = await h.settled(await h.syncQueue.add('sync', payload));
    expect(await second.getState()).toBe('completed');

    // CE rejects Start ≥ End (moto does not check it, so the request itself is asserted).
    for (const { TimePeriod } of fetchBodies(account)) expect(TimePeriod.Start < TimePeriod.End).toBe(true);
    expect(await storedTotals(h, account, { from: '2026-06-07', to: '2026-06-09' })).toEqual(
      inCents(expectedFromCe([page])),
    );
  });
});
