import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { syncProcessor } from '../../jobs/processors/sync.processor.js';
import { QUEUES } from '../../jobs/queues.js';
import { startWorkers, type Workers } from '../../jobs/worker-registry.js';
import { ImportService } from '../../src/costs/import.service.js';
import { SyncService } from '../../src/costs/sync.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { dropPrefix } from '../support/approval-runtime.js';
import { createTestCostStore } from '../support/cost-store.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { redisUrl, uniqueName } from '../support/services.js';

// A FOCUS export folder on the sync schedule: each `sync-all` imports it again, so files added later land, and
// a scan follows. Real BullMQ on the test Redis; a real cost store in a temporary folder.
const FIXTURE = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const prefix = uniqueName('focus_job');
let connection: Redis;
let workers: Workers;
let syncQueue: Queue;
let scanQueue: Queue;
let folder: string;
const store = await createTestCostStore();
const costs = store.repo;
const runs = new MemoryImportRunRepository();

beforeAll(async () => {
  connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  folder = await mkdtemp(join(tmpdir(), 'tally-focus-'));
  await copyFile(FIXTURE, join(folder, '2026-05.csv'));
  syncQueue = new Queue(QUEUES.sync, { connection, prefix });
  scanQueue = new Queue(QUEUES.anomalyScan, { connection, prefix });
  const importer = new ImportService({ reader: new FocusExportReader(store.engine), costs, runs, clock: systemClock });
  const sync = new SyncService({ sources: [], costs, runs, clock: systemClock, logger: silentLogger });
  workers = startWorkers({
    connection,
    prefix,
    queues: [QUEUES.sync],
    processors: {
      [QUEUES.sync]: syncProcessor({
        sync,
        syncQueue,
        scanQueue,
        // Longer than the test: both syncs fall in one debounce window however busy the machine is.
        scanDebounceMs: 120_000,
        focus: { path: folder, importer },
      }),
    },
    logger: silentLogger,
  });
});

afterAll(async () => {
  await workers?.close();
  await syncQueue?.close();
  await scanQueue?.close();
  connection?.disconnect();
  await dropPrefix(prefix);
  await store.cleanup();
});

async function runSyncAll(): Promise<void> {
  const before = (await runs.latest(100)).length;
  await syncQueue.add('sync-all', {});
  const until = Date.now() + 20_000;
  while ((await runs.latest(100)).length === before) {
    if (Date.now() > until) throw new Error('the import job did not run');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Effective USD cost of the store over the days, rounded to cents. */
const total = async (from: string, to: string) =>
  Math.round(
    (await costs.aggregate({ from, to, groupBy: [] }))
      .filter((r) => r.currency === 'USD')
      .reduce((s, r) => s + r.effective, 0) * 100,
  ) / 100;

describe('FOCUS folder on the sync schedule', () => {
  it('imports the folder, then again with a new file, and asks for one scan', async () => {
    const may = expectedSums(readFixture(FIXTURE), {
      from: '2026-05-01',
      to: '2026-05-31',
      amount: 'EffectiveCost',
      key: () => 'all',
    });
    await runSyncAll();
    expect(await total('2026-05-01', '2026-05-31')).toBe(may.get('USD')?.get('all'));

    // June arrives as a second file: one S3 row per day, copied from a May row with the day moved.
    const lines = (await readFile(FIXTURE, 'utf8')).split('\n');
    const template = lines[1]!;
    const june = ['2026-06-01', '2026-06-02'].map((d) =>
      template.replaceAll('2026-05-01T00:00:00Z', `${d}T00:00:00Z`).replace('2026-05-02T00:00:00Z', `${d}T23:00:00Z`),
    );
    await writeFile(join(folder, '2026-06.csv'), `${lines[0]}\n${june.join('\n')}\n`);
    await runSyncAll();
    // The May export has a few rows whose UTC day is already in June (time-zone boundary rows): both files count.
    const juneRows = [...readFixture(FIXTURE), ...readFixture(join(folder, '2026-06.csv'))];
    const juneSum = expectedSums(juneRows, {
      from: '2026-06-01',
      to: '2026-06-30',
      amount: 'EffectiveCost',
      key: () => 'all',
    });
    expect(await total('2026-06-01', '2026-06-30')).toBe(juneSum.get('USD')?.get('all'));
    // Importing May again did not double it.
    expect(await total('2026-05-01', '2026-05-31')).toBe(may.get('USD')?.get('all'));
    const [latest] = await runs.latest(1);
    expect(latest?.source).toBe(`focus:${folder}`);
    expect(await scanQueue.count()).toBe(1);
  });
});
