// An import that the store fails midway (docs/cost-data.md): the new months are written beside the old ones and
// renamed into place only when all are written, so the previous import keeps answering for every month; the failed
// run is recorded and `status` says it failed. The failure is real: the staging file of the second month disappears
// before the commit reads it (as on a full or broken disk), so DuckDB fails after the first month is written.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFocusCsv } from '../../adapters/focus-file/focus-csv.writer.js';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { statusReply } from '../../src/conversation/replies/status.reply.js';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import type { CostRepository } from '../../src/costs/cost-repository.port.js';
import { ImportService } from '../../src/costs/import.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';

const MONTHS = ['2026-03', '2026-04', '2026-05'];

/** One usage record per day on days 1..`days` of each month, each costing `cost`. */
function records(cost: string, days: number): CostRecord[] {
  const out: CostRecord[] = [];
  for (const month of MONTHS)
    for (let d = 1; d <= days; d++) {
      const start = new Date(`${month}-${String(d).padStart(2, '0')}T00:00:00Z`);
      out.push({
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
        billedCost: cost,
        effectiveCost: cost,
        listCost: cost,
        currency: 'USD',
        tags: [],
      });
    }
  return out;
}

let store: TestCostStore;
let folder: string;
beforeAll(async () => {
  store = await createTestCostStore();
  folder = await mkdtemp(join(tmpdir(), 'tally-interrupted-'));
});
afterAll(async () => {
  await store.cleanup();
  await rm(folder, { recursive: true, force: true });
});

/** Effective cost per month, in cents, as the store answers it. */
async function monthlyCents(): Promise<Record<string, number>> {
  const rows = await store.repo.aggregate({ from: '2026-03-01', to: '2026-05-31', groupBy: [], byDay: true });
  const byMonth: Record<string, number> = {};
  for (const r of rows) {
    const month = r.day!.slice(0, 7);
    byMonth[month] = (byMonth[month] ?? 0) + Math.round(r.effective * 100);
  }
  return byMonth;
}

/** The cost store, with a commit that first loses one month's staging files. */
function storeLosingStagedMonth(month: string): CostRepository {
  const repo = store.repo;
  const lose = async () => {
    const staging = join(store.dir, 'staging');
    for (const id of await readdir(staging))
      for (const f of await readdir(join(staging, id)))
        if (f.startsWith(`${month}-`)) await rm(join(staging, id, f), { force: true });
  };
  return Object.assign(Object.create(repo) as CostRepository, {
    writer: async (source: string) => {
      const w = await repo.writer(source);
      return {
        add: (r: readonly CostRecord[]) => w.add(r),
        commit: async (summary: Parameters<typeof w.commit>[0]) => {
          await lose();
          return w.commit(summary);
        },
        abort: () => w.abort(),
      };
    },
  });
}

describe('an import the store fails midway', () => {
  it('keeps every month of the previous import answering, records the failure, and status says it failed', async () => {
    const file = join(folder, 'export.csv');
    const runs = new MemoryImportRunRepository();
    const reader = new FocusExportReader(store.engine);

    await writeFocusCsv(file, records('1.00', 10));
    const first = await new ImportService({ reader, costs: store.repo, runs, clock: systemClock }).importPath(file);
    const before = await monthlyCents();
    expect(before).toEqual({ '2026-03': 1000, '2026-04': 1000, '2026-05': 1000 });

    // The next export changes every month (and covers more days); its commit fails in the second month.
    await writeFocusCsv(file, records('2.50', 20));
    const failing = new ImportService({ reader, costs: storeLosingStagedMonth('2026-04'), runs, clock: systemClock });
    await expect(failing.importPath(file)).rejects.toThrow();

    expect(await monthlyCents()).toEqual(before);
    expect(await store.repo.dataRange()).toEqual({ from: '2026-03-01', to: '2026-05-10' });
    // No half-written partition is left behind.
    const sourceDir = join(store.dir, 'costs', 'v1', encodeURIComponent(`focus:${file}`));
    expect((await readdir(sourceDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const [failed, ok] = await runs.latest(10);
    expect(ok?.id).toBe(first.id);
    expect(failed).toMatchObject({ source: `focus:${file}`, kind: 'import', rowsImported: 0 });
    expect(failed?.error).toBeTruthy();
    const status = statusReply({
      store: 'duckdb',
      dataRange: await store.repo.dataRange(),
      imports: await runs.latest(10),
      notes: [],
    });
    expect((status.data as { sources: unknown[] }).sources).toEqual([
      {
        source: `focus:${file}`,
        kind: 'import',
        lastSuccess: first.finishedAt.toISOString(),
        rows: first.rowsImported,
        range: first.range,
        lastError: { at: failed?.finishedAt.toISOString(), error: failed?.error },
      },
    ]);
    expect(status.footnote).toContain(`The last import of focus:${file} failed`);
    expect(status.footnote).toContain('the data is still that of');

    // The same export imported again with a healthy store replaces every month, and the failure is history.
    const again = await new ImportService({ reader, costs: store.repo, runs, clock: systemClock }).importPath(file);
    expect(await monthlyCents()).toEqual({ '2026-03': 5000, '2026-04': 5000, '2026-05': 5000 });
    const healed = statusReply({ store: 'duckdb', dataRange: null, imports: await runs.latest(10), notes: [] });
    expect((healed.data as { sources: { lastError: unknown }[] }).sources[0]?.lastError).toBeNull();
    expect(healed.footnote ?? '').not.toContain('failed');
    expect(again.rowsImported).toBe(60);
  });
});
