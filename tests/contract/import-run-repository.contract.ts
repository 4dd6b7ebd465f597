import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportRun, ImportRunRepository } from '../../src/costs/import-run.types.js';

function run(id: string, startedAt: string, o: Partial<ImportRun> = {}): ImportRun {
  const start = new Date(startedAt);
  return {
    id,
    source: 'aws-cur',
    startedAt: start,
    finishedAt: new Date(start.getTime() + 1500),
    rowsRead: 10,
    rowsImported: 8,
    rowsRejected: 2,
    rejected: [
      { file: 'cur/2026-03.csv', line: 4, column: 'BilledCost', reason: 'not a number' },
      { file: 'cur/2026-03.csv', line: 9, column: 'ChargePeriodStart', reason: 'not a date' },
    ],
    totals: [
      { currency: 'USD', billed: 120.55, effective: 110.1 },
      { currency: 'EUR', billed: 3, effective: 2.5 },
    ],
    range: { from: '2026-03-01', to: '2026-03-31' },
    ...o,
  };
}

/**
 * The contract every `ImportRunRepository` must pass. `make` returns an empty repository and a cleanup for it;
 * it is called before each test.
 */
export function importRunRepositoryContract(
  name: string,
  make: () => Promise<{ repo: ImportRunRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`ImportRunRepository contract: ${name}`, () => {
    let repo: ImportRunRepository;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('has no runs when empty', async () => {
      expect(await repo.latest(10)).toEqual([]);
    });

    it('returns runs newest first, whatever the recording order', async () => {
      const a = run('run-a', '2026-03-01T10:00:00.000Z');
      const b = run('run-b', '2026-03-03T08:30:00.250Z', { source: 'azure-export', range: null, rejected: [] });
      const c = run('run-c', '2026-03-02T23:59:59.999Z', { totals: [], rowsRejected: 0 });
      for (const r of [a, b, c]) await repo.record(r);
      const latest = await repo.latest(10);
      expect(latest).toEqual([b, c, a]);
      expect(latest[0]?.startedAt).toBeInstanceOf(Date);
      expect(latest[0]?.range).toBeNull();
    });

    it('honours the limit', async () => {
      for (const [n, day] of ['01', '04', '02', '03'].entries()) {
        await repo.record(run(`run-${n}`, `2026-03-${day}T00:00:00.000Z`));
      }
      expect((await repo.latest(2)).map((r) => r.id)).toEqual(['run-1', 'run-3']);
      expect((await repo.latest(1)).map((r) => r.id)).toEqual(['run-1']);
      expect(await repo.latest(0)).toEqual([]);
      expect(await repo.latest(50)).toHaveLength(4);
    });

    it('keeps recording order among runs that started together', async () => {
      const at = '2026-03-05T12:00:00.000Z';
      for (const id of ['first', 'second', 'third']) await repo.record(run(id, at));
      expect((await repo.latest(3)).map((r) => r.id)).toEqual(['first', 'second', 'third']);
    });

    it('returns copies, unaffected by later changes to what was recorded or returned', async () => {
      const original = run('run-x', '2026-03-01T00:00:00.000Z');
      const recorded = structuredClone(original);
      await repo.record(recorded);
      recorded.rejected.push({ file: 'f', line: 1, column: 'c', reason: 'r' });
      const [first] = await repo.latest(1);
      first!.totals.length = 0;
      first!.startedAt.setUTCFullYear(1999);
      expect(await repo.latest(1)).toEqual([original]);
    });

    it('keeps the kind and error of sync runs, and finds the last success of a source', async () => {
      const ok = run('sync-1', '2026-03-02T00:00:00.000Z', { source: 'aws-ce:111', kind: 'sync' });
      const failed = run('sync-2', '2026-03-03T00:00:00.000Z', {
        source: 'aws-ce:111',
        kind: 'sync',
        error: 'CLOUD_THROTTLED: slow down',
        rowsImported: 0,
        range: null,
      });
      const other = run('sync-3', '2026-03-04T00:00:00.000Z', { source: 'azure:sub' });
      for (const r of [ok, failed, other]) await repo.record(r);
      expect(await repo.lastSuccess('aws-ce:111')).toEqual(ok);
      expect((await repo.latest(3))[1]).toEqual(failed);
      expect(await repo.lastSuccess('gcp')).toBeNull();
    });

    it('keeps the notes of an account listing', async () => {
      const listing = run('sync-4', '2026-03-05T00:00:00.000Z', {
        source: 'gcp-bigquery:*',
        kind: 'sync',
        rowsRead: 0,
        rowsImported: 0,
        totals: [],
        range: null,
        notes: ['legacy-app-0001 is not on billing account 01A2B3-C4D5E6-F7A8B9', 'second note'],
      });
      await repo.record(listing);
      expect(await repo.lastSuccess('gcp-bigquery:*')).toEqual(listing);
    });
  });
}
