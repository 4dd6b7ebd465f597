// The cloud sync jobs of Tally wired as createScheduledWork wires them, on the test Redis under a prefix of their own:
// the real SyncService with the real AwsCostExplorerSource (acting as one moto account), a real cost store in a
// temporary folder, memory import runs, the real syncProcessor on the `sync` queue, and a recording processor on
// `anomaly-scan` (the scan itself is tested elsewhere).
import type { Job, Queue } from 'bullmq';
import { Queue as BullQueue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAwsClients } from '../../adapters/aws/aws-clients.js';
import { AwsCostExplorerSource } from '../../adapters/aws/aws-cost-explorer.source.js';
import type { DuckDbCostRepository } from '../../adapters/duckdb/duckdb-cost.repository.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { createQueueConnection } from '../../adapters/queue/queue-connection.js';
import { syncProcessor } from '../../jobs/processors/sync.processor.js';
import { QUEUES } from '../../jobs/queues.js';
import { startWorkers, type Workers } from '../../jobs/worker-registry.js';
import { SyncService } from '../../src/costs/sync.service.js';
import type { Clock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { dropPrefix } from './approval-runtime.js';
import { createTestCostStore } from './cost-store.js';
import { awsTestConfig } from './moto.js';
import { asMotoAccount } from './moto-ce.js';
import { redisUrl, uniqueName } from './services.js';

/** A clock that moves on by `stepMs` at every reading (so runs are ordered), and can be set to another instant. */
export interface SteppingClock extends Clock {
  set(at: Date): void;
}

export function steppingClock(start: Date, stepMs = 1000): SteppingClock {
  let t = start.getTime();
  return {
    now() {
      const at = new Date(t);
      t += stepMs;
      return at;
    },
    set(at) {
      t = at.getTime();
    },
  };
}

export interface SyncHarnessOptions {
  /** Where the AWS clients go: moto, or a proxy in front of it. */
  awsEndpoint: string;
  /** The moto account the clients act as (the payer, and the owner of the seeded CE results). */
  accountId: string;
  clock: Clock;
  historyDays?: number;
  resyncDays?: number;
  /** The sync processor's scan debounce. @defaultValue 1000 */
  scanDebounceMs?: number;
  /** Attempts of a sync job. @defaultValue 3 */
  attempts?: number;
  /** First retry delay of the sync queue's exponential backoff, in ms. @defaultValue 300 */
  backoffMs?: number;
}

/** One anomaly-scan job as the recording processor saw it. */
export interface ScanSeen {
  at: number;
  /** How many sync runs were recorded when the scan ran. */
  runsSeen: number;
}

export interface SyncHarness {
  prefix: string;
  syncQueue: Queue;
  scanQueue: Queue;
  costs: DuckDbCostRepository;
  runs: MemoryImportRunRepository;
  sync: SyncService;
  scans: ScanSeen[];
  /** Resolves with a job of the sync queue once it has completed or failed (read again from Redis). */
  settled(job: Job, timeoutMs?: number): Promise<Job>;
  /** Resolves with the finished jobs of `queue` once `accept` holds for them. */
  until(queue: Queue, accept: (jobs: Job[]) => boolean, timeoutMs?: number): Promise<Job[]>;
  close(): Promise<void>;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Builds the harness and starts the `sync` (one job at a time) and `anomaly-scan` workers. */
export async function createSyncHarness(options: SyncHarnessOptions): Promise<SyncHarness> {
  const prefix = uniqueName('sync_jobs');
  const connection: Redis = createQueueConnection(redisUrl());
  const store = await createTestCostStore();
  const costs = store.repo;
  const runs = new MemoryImportRunRepository();
  const clients = asMotoAccount(createAwsClients(awsTestConfig(options.awsEndpoint)), options.accountId);
  const source = new AwsCostExplorerSource(clients, { clock: options.clock });
  const sync = new SyncService({
    sources: [source],
    costs,
    runs,
    clock: options.clock,
    logger: silentLogger,
    ...(options.historyDays === undefined ? {} : { historyDays: options.historyDays }),
    ...(options.resyncDays === undefined ? {} : { resyncDays: options.resyncDays }),
  });
  const syncQueue = new BullQueue(QUEUES.sync, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 300 },
    },
  });
  const scanQueue = new BullQueue(QUEUES.anomalyScan, { connection, prefix });
  const scans: ScanSeen[] = [];
  const workers: Workers = startWorkers({
    connection,
    prefix,
    queues: [QUEUES.sync, QUEUES.anomalyScan],
    processors: {
      [QUEUES.sync]: syncProcessor({ sync, syncQueue, scanQueue, scanDebounceMs: options.scanDebounceMs ?? 1000 }),
      [QUEUES.anomalyScan]: async () => {
        scans.push({ at: Date.now(), runsSeen: (await runs.latest(1000)).length });
        return { scanned: true };
      },
    },
    // One sync at a time: moto hands out queued CE results by arrival order of new request bodies.
    concurrency: { [QUEUES.sync]: 1, [QUEUES.anomalyScan]: 1 },
    logger: silentLogger,
  });
  return {
    prefix,
    syncQueue,
    scanQueue,
    costs,
    runs,
    sync,
    scans,
    async settled(job, timeoutMs = 20_000) {
      await poll(
        () => job.getState(),
        (s) => s === 'completed' || s === 'failed',
        timeoutMs,
        `${job.name} job ${job.id} to finish`,
      );
      const fresh = await syncQueue.getJob(job.id ?? '');
      if (!fresh) throw new Error(`job ${job.id} is gone`);
      return fresh;
    },
    until(queue, accept, timeoutMs = 20_000) {
      return poll(
        async () => [...(await queue.getCompleted()), ...(await queue.getFailed())],
        accept,
        timeoutMs,
        `jobs of ${queue.name}`,
      );
    },
    async close() {
      await workers.close();
      await syncQueue.close();
      await scanQueue.close();
      await connection.quit();
      clients.costExplorer.destroy();
      clients.sts.destroy();
      await dropPrefix(prefix);
      await store.cleanup();
    },
  };
}
