// Issue 14, item 5: a period that is not complete is compared like for like. Two real FOCUS files, imported as two
// sources into the DuckDB store: AWS has data through 2026-12-05, Azure through 2026-12-04. "This month vs last
// month" on 2026-12-06 compares, per source, the days that source has: AWS Dec 1–5 with Nov 1–5, Azure Dec 1–4
// with Nov 1–4, and says so; expected figures are summed here from the rows written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { CostQueryService } from '../../src/costs/cost-query.service.js';
import { ImportService } from '../../src/costs/import.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';

const HEADER =
  'BillingAccountId,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ListCost,ProviderName,ServiceName,ServiceCategory,SubAccountId,RegionId';

/** One row per day from `from` through `to`; day n of the month costs `base + n` (two decimals). */
function rows(provider: string, service: string, from: string, to: string, base: number): string[][] {
  const out: string[][] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t);
    const cost = (base + day.getUTCDate() + 0.25).toFixed(2);
    out.push([
      `${provider}-billing`,
      'USD',
      'Usage',
      day.toISOString(),
      new Date(t + 86_400_000).toISOString(),
      cost,
      cost,
      cost,
      provider,
      service,
      'Compute',
      `${provider}-acct`,
      'eu-west-1',
    ]);
  }
  return out;
}

const aws = rows('AWS', 'Amazon Elastic Compute Cloud', '2026-11-01', '2026-12-05', 100);
const azure = rows('Microsoft', 'Virtual Machines', '2026-11-01', '2026-12-04', 40);
/** Cents of the rows whose day is in [from, to]. */
const cents = (list: string[][], from: string, to: string) =>
  list
    .filter((r) => r[3]!.slice(0, 10) >= from && r[3]!.slice(0, 10) <= to)
    .reduce((s, r) => s + Math.round(Number(r[5]) * 100), 0);

let store: TestCostStore;
let folder: string;
beforeAll(async () => {
  store = await createTestCostStore();
  folder = await mkdtemp(join(tmpdir(), 'tally-lfl-'));
  const importer = new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  });
  for (const [name, list] of [
    ['aws-export', aws],
    ['azure-export', azure],
  ] as const) {
    const file = join(folder, `${name}.csv`);
    await writeFile(file, [HEADER, ...list.map((r) => r.join(','))].join('\n'));
    await importer.importPath(file, { source: name });
  }
});
afterAll(async () => {
  await store.cleanup();
  await rm(folder, { recursive: true, force: true });
});

describe('like for like', () => {
  it('cuts this month and last month per source to the days that source has, and says which source is behind', async () => {
    const costs = new CostQueryService(store.repo);
    const r = await costs.compare({
      metric: 'effective',
      current: { from: '2026-12-01', to: '2026-12-06', label: 'this month' },
      previous: { from: '2026-11-01', to: '2026-11-30', label: 'the month before' },
    });
    expect([r.current.from, r.current.to, r.previous.from, r.previous.to]).toEqual([
      '2026-12-01',
      '2026-12-05',
      '2026-11-01',
      '2026-11-05',
    ]);
    const usd = r.currencies.find((c) => c.currency === 'USD')!;
    const current = cents(aws, '2026-12-01', '2026-12-05') + cents(azure, '2026-12-01', '2026-12-04');
    const previous = cents(aws, '2026-11-01', '2026-11-05') + cents(azure, '2026-11-01', '2026-11-04');
    expect(Math.round(usd.current * 100)).toBe(current);
    expect(Math.round(usd.previous * 100)).toBe(previous);
    expect(r.likeForLike).toBe(
      'Like for like: 2026-12-01 to 2026-12-05 against 2026-11-01 to 2026-11-05; azure-export through 2026-12-04 against 2026-11-01 to 2026-11-04.',
    );
  });

  it('leaves complete periods as they are', async () => {
    const costs = new CostQueryService(store.repo);
    const r = await costs.compare({
      metric: 'effective',
      current: { from: '2026-11-08', to: '2026-11-14', label: 'a week' },
      previous: { from: '2026-11-01', to: '2026-11-07', label: 'the week before' },
    });
    expect([r.current.to, r.previous.to]).toEqual(['2026-11-14', '2026-11-07']);
    expect(r.likeForLike).toBeUndefined();
  });
});
