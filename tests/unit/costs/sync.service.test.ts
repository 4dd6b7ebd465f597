import { describe, expect, it } from 'vitest';
import { MemoryImportRunRepository } from '../../../adapters/memory/memory-import-run.repository.js';
import { sourceStatuses } from '../../../src/conversation/replies/status.reply.js';
import type { CostRecord } from '../../../src/costs/cost-record.types.js';
import type { CostSource } from '../../../src/costs/cost-source.port.js';
import { SyncService } from '../../../src/costs/sync.service.js';
import type { Clock } from '../../../src/shared/clock.js';
import { TallyError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import { testCostRepository } from '../../support/cost-store.js';

/** A billing API in memory: a cost per day per account, and the windows it was asked for. */
class TableSource implements CostSource {
  readonly name = 'table';
  readonly asked: { account: string; from: string; to: string }[] = [];
  failNext: TallyError | null = null;
  constructor(readonly daily: Map<string, number>) {}
  async accounts() {
    return ['111'];
  }
  async *fetch(account: string, range: { from: string; to: string }): AsyncIterable<CostRecord> {
    this.asked.push({ account, ...range });
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = null;
      throw err;
    }
    for (const [day, cost] of this.daily) {
      if (day < range.from || day > range.to) continue;
      yield {
        provider: 'AWS',
        billingAccountId: 'payer',
        subAccountId: account,
        subAccountName: account,
        serviceName: 'Amazon EC2',
        serviceCategory: 'Compute',
        region: 'us-east-1',
        resourceId: '',
        chargePeriodStart: new Date(`${day}T00:00:00Z`),
        chargePeriodEnd: new Date(`${day}T23:59:59Z`),
        chargeCategory: 'Usage',
        billedCost: cost,
        effectiveCost: cost,
        listCost: cost,
        currency: 'USD',
        tags: [],
      };
    }
  }
}

const clockAt = (iso: string): Clock & { set(iso: string): void } => {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (s) => (now = new Date(s)) };
};

async function setup(days: Record<string, number>) {
  const source = new TableSource(new Map(Object.entries(days)));
  const costs = await testCostRepository();
  const runs = new MemoryImportRunRepository();
  const clock = clockAt('2026-06-10T08:00:00Z');
  const sync = new SyncService({ sources: [source], costs, runs, clock, logger: silentLogger, historyDays: 30 });
  const total = async (from: string, to: string) =>
    (await costs.aggregate({ from, to, groupBy: [] })).reduce((sum, r) => sum + r.effective, 0);
  return { source, costs, runs, clock, sync, total };
}

describe('SyncService', () => {
  it('first syncs the history window up to yesterday, then re-fetches only the last days', async () => {
    const t = await setup({ '2026-05-11': 5, '2026-06-08': 7, '2026-06-09': 11, '2026-06-10': 999 });
    const first = await t.sync.sync('table', '111');
    expect(t.source.asked[0]).toEqual({ account: '111', from: '2026-05-11', to: '2026-06-09' });
    expect(first.range).toEqual({ from: '2026-05-11', to: '2026-06-09' });
    expect(first.rowsImported).toBe(3);
    expect(await t.total('2026-05-01', '2026-06-30')).toBe(5 + 7 + 11);

    // Two days later, a late correction of 06-09 and a new day; the re-sync window covers 3 days before.
    t.source.daily.set('2026-06-09', 13);
    t.source.daily.set('2026-06-11', 17);
    t.clock.set('2026-06-12T08:00:00Z');
    await t.sync.sync('table', '111');
    expect(t.source.asked[1]).toEqual({ account: '111', from: '2026-06-07', to: '2026-06-11' });
    // 06-10 was "today" at the first sync (not fetched); now it is in the window.
    expect(await t.total('2026-05-01', '2026-06-30')).toBe(5 + 7 + 13 + 999 + 17);
  });

  it('is idempotent: syncing the same window twice leaves the same data', async () => {
    const t = await setup({ '2026-06-01': 3.33, '2026-06-02': 4.44 });
    await t.sync.sync('table', '111');
    await t.sync.sync('table', '111');
    expect(await t.total('2026-06-01', '2026-06-30')).toBeCloseTo(7.77, 10);
  });

  it('records a failure with its code and rethrows it; status shows the last success and the error', async () => {
    const t = await setup({ '2026-06-01': 1 });
    await t.sync.sync('table', '111');
    t.clock.set('2026-06-10T09:00:00Z');
    t.source.failNext = new TallyError('CLOUD_THROTTLED', 'Rate exceeded');
    const err = await t.sync.sync('table', '111').catch((e: unknown) => e);
    expect((err as TallyError).code).toBe('CLOUD_THROTTLED');
    const [status] = sourceStatuses(await t.runs.latest(10));
    expect(status?.source).toBe('table:111');
    expect(status?.lastSuccess?.rowsImported).toBe(1);
    expect(status?.lastError?.error).toBe('CLOUD_THROTTLED: Rate exceeded');
    // The failed run is not a success: the next sync re-fetches from the last good window.
    expect((await t.runs.lastSuccess('table:111'))?.error).toBeUndefined();
  });

  it('records a failure to list the accounts under <source>:*, for status', async () => {
    const t = await setup({});
    t.source.accounts = async () => {
      throw new TallyError('CLOUD_DENIED', 'not authorised to list accounts');
    };
    const err = await t.sync.accounts('table').catch((e: unknown) => e);
    expect((err as TallyError).code).toBe('CLOUD_DENIED');
    const [status] = sourceStatuses(await t.runs.latest(10));
    expect(status).toMatchObject({ source: 'table:*', kind: 'sync', lastSuccess: null });
    expect(status?.lastError?.error).toMatch(/^CLOUD_DENIED: listing accounts failed/);
  });

  it('records every listing of a source that lists with notes, so status shows the latest notes, not an older failure', async () => {
    const t = await setup({});
    let notes = ['111 is not on the vendor list'];
    let denied = true;
    const source: CostSource = t.source;
    source.listAccounts = async () => {
      if (denied) throw new TallyError('CLOUD_DENIED', 'not authorised to list accounts');
      return { accounts: ['111', '222'], notes };
    };
    await expect(t.sync.accounts('table')).rejects.toMatchObject({ code: 'CLOUD_DENIED' });
    denied = false;
    t.clock.set('2026-06-10T09:00:00Z');
    expect(await t.sync.accounts('table')).toEqual(['111', '222']);
    let [status] = sourceStatuses(await t.runs.latest(10));
    expect(status).toMatchObject({ source: 'table:*', lastError: null, lastSuccess: { notes } });
    t.clock.set('2026-06-10T10:00:00Z');
    notes = [];
    await t.sync.accounts('table');
    [status] = sourceStatuses(await t.runs.latest(10));
    expect(status?.lastSuccess?.notes).toBeUndefined();
  });
});
