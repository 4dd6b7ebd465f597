import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvAsParquet, importIntoTestStore } from '../support/focus-import.js';

/**
 * A month with more staged rows than one aggregate sums (65,536: adapters/duckdb/partition-writer.ts) is summed a
 * group of days at a time, and a day larger than that in passes over hash buckets of resources. 130,000 rows over
 * four days and 110,000 more on a fifth, with resource ids that repeat within a day, must give the same daily figures
 * as the test computes from the rows, from CSV (staged row by row) and from Parquet (in bulk).
 */
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'];
const LARGE_DAY = '2026-03-05';
const SPREAD_ROWS = 130_000;
const ROWS = SPREAD_ROWS + 110_000;
const RESOURCES = 5_000;
const dir = mkdtempSync(join(tmpdir(), 'tally-large-month-'));
const csvPath = join(dir, 'march.csv');

/** Row `i`: its day, resource and cost in cents (integers, so that the test's sums are exact). */
const rowOf = (i: number) => ({
  day: i < SPREAD_ROWS ? DAYS[i % DAYS.length]! : LARGE_DAY,
  resource: `i-${(i * 7) % RESOURCES}`,
  cents: (i % 997) + 1,
});

const expected = new Map<string, { cents: number; resources: Set<string> }>();
const lines = [
  'ProviderName,BillingAccountId,SubAccountId,ServiceName,ChargePeriodStart,ChargeCategory,BilledCost,EffectiveCost,ListCost,BillingCurrency,ResourceId',
];
for (let i = 0; i < ROWS; i++) {
  const r = rowOf(i);
  const cost = (r.cents / 100).toFixed(2);
  lines.push(`AWS,p1,a1,Amazon EC2,${r.day}T00:00:00Z,Usage,${cost},${cost},${cost},USD,${r.resource}`);
  const e = expected.get(r.day) ?? { cents: 0, resources: new Set<string>() };
  e.cents += r.cents;
  e.resources.add(r.resource);
  expected.set(r.day, e);
}
writeFileSync(csvPath, `${lines.join('\n')}\n`);

describe('a month larger than one aggregate', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function imported(path: string) {
    const { store, run } = await importIntoTestStore(path, 'march', cleanups);
    const byDay = await store.repo.aggregate({ from: '2026-03-01', to: '2026-03-31', groupBy: [], byDay: true });
    const resources = await store.repo.aggregate({
      from: '2026-03-01',
      to: '2026-03-31',
      groupBy: [{ kind: 'resource' }],
      byDay: true,
    });
    return { run, byDay, resources };
  }

  for (const format of ['CSV', 'Parquet'] as const)
    it(`sums every day exactly, each resource once a day (${format})`, async () => {
      const { run, byDay, resources } = await imported(
        format === 'CSV' ? csvPath : await csvAsParquet(csvPath, dir, 'march.parquet'),
      );
      expect(run.rowsImported).toBe(ROWS);
      const days = byDay.map((r) => [String(r.day), Math.round(r.billed * 100)] as const);
      const all = [...DAYS, LARGE_DAY];
      expect([...days].sort(([a], [b]) => a.localeCompare(b))).toEqual(all.map((d) => [d, expected.get(d)?.cents]));
      for (const d of all) expect(resources.filter((r) => r.day === d).length, d).toBe(expected.get(d)?.resources.size);
    });
});
