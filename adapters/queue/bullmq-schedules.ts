import type { Queue } from 'bullmq';
import { RETRIES } from '../../jobs/queues.js';

/** Scheduler ids: upserting them at every start is idempotent. */
export const SCHEDULER_IDS = { syncAll: 'sync-all', scanDaily: 'scan-daily' } as const;

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
