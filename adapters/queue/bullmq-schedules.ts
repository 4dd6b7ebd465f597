import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES, RETRIES } from '../../jobs/queues.js';

/** Scheduler ids: upserting them at every start is idempotent. */
export const SCHEDULER_IDS = {
  syncAll: 'sync-all',
  scanDaily: 'scan-daily',
  reconcileExecutions: 'reconcile-executions',
} as const;

/** How often the reconciler looks for executions left half-done (a resumed one ends within a minute). */
const RECONCILE_EVERY_MS = 30_000;

/**
 * Installs the fixed schedules as BullMQ job schedulers: the cloud sync fan-out and the daily anomaly scan, both in
 * UTC. Digest subscriptions have their own schedulers (one per subscription).
 */
export async function installSchedules(options: {
  syncQueue: Queue;
  scanQueue: Queue;
  syncCron: string;
  scanCron: string;
  /** Without cloud sources there is nothing to sync: the sync schedule is removed. */
  syncing: boolean;
}): Promise<void> {
  if (options.syncing)
    await options.syncQueue.upsertJobScheduler(
      SCHEDULER_IDS.syncAll,
      { pattern: options.syncCron, tz: 'UTC' },
      { name: 'sync-all', data: {}, opts: RETRIES.schedule },
    );
  else await options.syncQueue.removeJobScheduler(SCHEDULER_IDS.syncAll);
  await options.scanQueue.upsertJobScheduler(
    SCHEDULER_IDS.scanDaily,
    { pattern: options.scanCron, tz: 'UTC' },
    { name: 'scan', data: {}, opts: RETRIES.schedule },
  );
}

/** The `execution-reconcile` queue, with its fixed schedule (every 30 s) installed by `install`. */
export class BullmqReconcileSchedule {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(QUEUES.reconcile, {
      connection,
      prefix,
      defaultJobOptions: { ...RETRIES.reconcile, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
  }

  /** Upserts the schedule (idempotent, at every start). */
  async install(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SCHEDULER_IDS.reconcileExecutions,
      { every: RECONCILE_EVERY_MS },
      { name: 'reconcile', data: {}, opts: RETRIES.reconcile },
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
