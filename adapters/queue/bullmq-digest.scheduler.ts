import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type DigestPayload, KEEP_FINISHED_SECONDS, QUEUES, RETRIES } from '../../jobs/queues.js';
import type { DigestScheduler, DigestSubscription } from '../../src/reports/digest.types.js';

/** The job scheduler id of a subscription (ids are `dig_<hex>`, so it has no `:`). */
function digestSchedulerId(subscriptionId: string): string {
  return `digest-${subscriptionId}`;
}

/**
 * Digest subscriptions as BullMQ job schedulers on the `digest` queue: one per subscription,
 * with the subscription's cron pattern and time zone, so it fires at the subscriber's local time across daylight
 * saving changes. Upserting is idempotent (run it again at every start); a changed schedule replaces the pending run.
 */
export class BullmqDigestScheduler implements DigestScheduler {
  readonly queue: Queue<DigestPayload>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<DigestPayload>(QUEUES.digest, { connection, prefix });
  }

  async upsert(subscription: DigestSubscription): Promise<void> {
    await this.queue.upsertJobScheduler(
      digestSchedulerId(subscription.id),
      { pattern: subscription.cron, tz: subscription.tz },
      {
        name: 'digest',
        data: { subscriptionId: subscription.id },
        opts: {
          ...RETRIES.digest,
          removeOnComplete: { age: KEEP_FINISHED_SECONDS },
          removeOnFail: { age: KEEP_FINISHED_SECONDS },
        },
      },
    );
  }

  /** Removes the scheduler and its pending run; removing one that does not exist does nothing. */
  async remove(subscriptionId: string): Promise<void> {
    await this.queue.removeJobScheduler(digestSchedulerId(subscriptionId));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
