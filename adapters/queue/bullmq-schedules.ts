import type { Queue } from 'bullmq';

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
  const retry = { attempts: 3, backoff: { type: 'exponential' as const, delay: 30_000 } };
  if (options.syncing)
    await options.syncQueue.upsertJobScheduler(
      SCHEDULER_IDS.syncAll,
      { pattern: options.syncCron, tz: 'UTC' },
      { name: 'sync-all', data: {}, opts: retry },
    );
  else await options.syncQueue.removeJobScheduler(SCHEDULER_IDS.syncAll);
  await options.scanQueue.upsertJobScheduler(
    SCHEDULER_IDS.scanDaily,
    { pattern: options.scanCron, tz: 'UTC' },
    { name: 'scan', data: {}, opts: retry },
  );
}
