import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbCostRepository } from '../../adapters/duckdb/duckdb-cost.repository.js';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { createTestCostStore } from '../support/cost-store.js';

/** A usage record of one resource on one day (hourly rows of a day are summed by the store). */
function rec(o: Partial<CostRecord> & { day: string; hour?: number }): CostRecord {
  const start = new Date(`${o.day}T${String(o.hour ?? 0).padStart(2, '0')}:00:00Z`);
  return {
    provider: 'AWS',
    billingAccountId: 'payer-1',
    subAccountId: '111',
    subAccountName: 'prod',
    serviceName: 'Amazon Elastic Compute Cloud',
    serviceCategory: 'Compute',
    region: 'us-east-1',
    resourceId: 'i-1',
    resourceName: 'web-1',
    chargePeriodStart: start,
    chargePeriodEnd: new Date(start.getTime() + 3_600_000),
    chargeCategory: 'Usage',
    billedCost: '1.10',
    effectiveCost: '1.00',
    listCost: '1.20',
    currency: 'USD',
    tags: [],
    ...o,
  };
}

async function write(repo: DuckDbCostRepository, source: string, records: CostRecord[], rejected = 0) {
  const w = await repo.writer(source);
  await w.add(records);
  return w.commit({
    files: [`${source}.csv`],
    skipped: [],
    rowsRejected: rejected,
    rejected: [],
    rejectedByMonth: rejected ? { '2026-05': rejected } : {},
  });
}

describe('cost store: sources, resources, coverage', () => {
  let repo: DuckDbCostRepository;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ repo, dir, cleanup } = await createTestCostStore());
  });
  afterEach(() => cleanup());

  it('sums hourly rows of a resource into its day and groups by resource with its name', async () => {
    const hours = Array.from({ length: 24 }, (_, hour) => rec({ day: '2026-05-03', hour }));
    await write(repo, 'a', [
      ...hours,
      rec({ day: '2026-05-03', resourceId: 'i-2', resourceName: 'db-1', effectiveCost: '5' }),
    ]);
    const rows = await repo.aggregate({
      from: '2026-05-01',
      to: '2026-05-31',
      groupBy: [{ kind: 'resource' }],
      metrics: ['effective'],
    });
    const byKey = Object.fromEntries(rows.map((r) => [r.keys[0], { amount: r.effective, name: r.names?.[0] }]));
    expect(byKey).toEqual({ 'i-1': { amount: 24, name: 'web-1' }, 'i-2': { amount: 5, name: 'db-1' } });
  });

  it('sums a day written in several staging files, with more days written at once than files are kept open', async () => {
    // 250 days, each written twice far apart: past 200 open staging files the oldest days go on in new files.
    const days = Array.from({ length: 250 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    const w = await repo.writer('many-days');
    await w.add(days.map((day) => rec({ day, billedCost: '1.10' })));
    await w.add(days.map((day) => rec({ day, hour: 5, billedCost: '2.25' })));
    await w.commit({ files: ['many-days.csv'], skipped: [], rowsRejected: 0, rejected: [], rejectedByMonth: {} });
    const rows = await repo.aggregate({ from: days[0]!, to: days.at(-1)!, groupBy: [], byDay: true });
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.billed))).toEqual(new Set([3.35]));
    expect(rows.reduce((n, r) => n + r.rows, 0)).toBe(500);
  });

  it('keeps every digit of large and small amounts', async () => {
    await write(repo, 'idr', [
      rec({ day: '2026-05-03', currency: 'IDR', effectiveCost: '12345678901.23' }),
      rec({ day: '2026-05-04', currency: 'IDR', effectiveCost: '0.0000000000000001' }),
    ]);
    const [row] = await repo.aggregate({ from: '2026-05-01', to: '2026-05-31', groupBy: [] });
    expect(row?.effective).toBe(12345678901.23);
  });

  it('lists sources with rows, days and rejected rows, and removes one', async () => {
    await write(repo, 'one', [rec({ day: '2026-05-03' }), rec({ day: '2026-06-01' })], 2);
    await write(repo, 'two', [rec({ day: '2026-05-10', billingAccountId: 'payer-2' })]);
    const sources = await repo.sources();
    expect(sources.map((s) => [s.name, s.rows, s.rejectedRows, s.range])).toEqual([
      ['one', 2, 2, { from: '2026-05-03', to: '2026-06-01' }],
      ['two', 1, 0, { from: '2026-05-10', to: '2026-05-10' }],
    ]);
    expect(await repo.removeSource('one')).toBe(true);
    expect(await repo.removeSource('one')).toBe(false);
    expect((await repo.sources()).map((s) => s.name)).toEqual(['two']);
    expect(await repo.dataRange()).toEqual({ from: '2026-05-10', to: '2026-05-10' });
  });

  it('says which periods hold rejected rows, and which sources count the same account twice', async () => {
    await write(repo, 'export-a', [rec({ day: '2026-05-03' }), rec({ day: '2026-06-02' })], 3);
    // The same days of the same billing account again, under another name.
    await write(repo, 'export-b', [rec({ day: '2026-05-03' }), rec({ day: '2026-05-04' })]);
    await write(repo, 'other-account', [rec({ day: '2026-05-20', billingAccountId: 'payer-9' })]);
    const may = await repo.coverage({ from: '2026-05-01', to: '2026-05-31' });
    expect(may.rejected).toEqual([{ source: 'export-a', rows: 3, undated: 0 }]);
    expect(may.overlaps).toEqual([
      { sources: ['export-a', 'export-b'], billingAccountId: 'payer-1', from: '2026-05-03', to: '2026-05-03' },
    ]);
    const june = await repo.coverage({ from: '2026-06-01', to: '2026-06-30' });
    expect(june).toEqual({ rejected: [], overlaps: [] });
  });

  it('an aborted write changes nothing and leaves no staging files', async () => {
    await write(repo, 'keep', [rec({ day: '2026-05-03' })]);
    const w = await repo.writer('keep');
    await w.add([rec({ day: '2026-05-03', effectiveCost: '999' })]);
    await w.abort();
    const [row] = await repo.aggregate({ from: '2026-05-01', to: '2026-05-31', groupBy: [] });
    expect(row?.effective).toBe(1);
    expect(await readdir(`${dir}/staging`)).toEqual([]);
  });

  it('filters and groups by any tag key, and by resource', async () => {
    await write(repo, 't', [
      rec({
        day: '2026-05-03',
        tags: [
          { key: 'aws:createdBy', value: 'x' },
          { key: 'Name', value: 'web-1' },
        ],
      }),
      rec({ day: '2026-05-03', resourceId: 'i-2', effectiveCost: '2', tags: [{ key: 'Name', value: 'db-1' }] }),
    ]);
    const byName = await repo.aggregate({
      from: '2026-05-01',
      to: '2026-05-31',
      groupBy: [{ kind: 'tag', key: 'Name' }],
      filter: { resourceIds: ['i-1', 'i-2'] },
    });
    expect(Object.fromEntries(byName.map((r) => [r.keys[0], r.effective]))).toEqual({ 'web-1': 1, 'db-1': 2 });
    const created = await repo.aggregate({
      from: '2026-05-01',
      to: '2026-05-31',
      groupBy: [],
      filter: { tags: [{ key: 'aws:createdBy', value: 'x' }] },
    });
    expect(created.map((r) => r.effective)).toEqual([1]);
  });
});

describe('cost store: top N in the store', () => {
  it('returns the N largest groups per currency and folds the rest into one row with their count and sum', async () => {
    const { repo, cleanup } = await createTestCostStore();
    try {
      const amounts = [5, 40, 12, 7, 30, 1, 18];
      await write(
        repo,
        'top',
        amounts.map((a, i) => rec({ day: '2026-05-03', resourceId: `i-${i}`, effectiveCost: `${a}.01` })),
      );
      const rows = await repo.aggregate({
        from: '2026-05-01',
        to: '2026-05-31',
        groupBy: [{ kind: 'resource' }],
        metrics: ['effective'],
        top: { n: 3, metric: 'effective' },
      });
      const kept = rows.filter((r) => r.folded === undefined).map((r) => [r.keys[0], r.effective]);
      expect(kept.sort()).toEqual([
        ['i-1', 40.01],
        ['i-4', 30.01],
        ['i-6', 18.01],
      ]);
      const folded = rows.find((r) => r.folded !== undefined);
      // 12.01 + 7.01 + 5.01 + 1.01, summed exactly.
      expect([folded?.folded, folded?.exact?.effective]).toEqual([4, '25.0400000000000000']);
    } finally {
      await cleanup();
    }
  });
});
