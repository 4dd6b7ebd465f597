import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type DeliveryPayload, jobIds, KEEP_FINISHED_SECONDS, QUEUES, RETRIES } from '../../jobs/queues.js';
import type { Delivery, NotifyQueue } from '../../src/notifications/notification.types.js';

export interface BullmqNotifyQueueOptions {
  /** First retry delay in ms, for tests. @defaultValue `RETRIES.notify` */
  backoffMs?: number;
}

/**
 * The notify queue (docs/architecture.md#job-queues): one job per delivery, its id the delivery's id, so a delivery
 * enqueued twice is sent once (BullMQ adds no job whose id exists). Finished jobs are kept
 * {@link KEEP_FINISHED_SECONDS} so that late duplicates are still recognised.
 */
export class BullmqNotifyQueue implements NotifyQueue {
  readonly queue: Queue<DeliveryPayload>;

  constructor(connection: Redis, prefix: string, options: BullmqNotifyQueueOptions = {}) {
    this.queue = new Queue<DeliveryPayload>(QUEUES.notify, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: RETRIES.notify.attempts,
        backoff: { ...RETRIES.notify.backoff, ...(options.backoffMs ? { delay: options.backoffMs } : {}) },
        removeOnComplete: { age: KEEP_FINISHED_SECONDS },
        removeOnFail: { age: KEEP_FINISHED_SECONDS },
      },
    });
  }

  async enqueue(delivery: Delivery): Promise<void> {
    const { id, event, channel, to, reply, subject } = delivery;
    const data: DeliveryPayload = { id, event, channel, to, reply, ...(subject !== undefined ? { subject } : {}) };
    await this.queue.add(channel, data, { jobId: jobIds.delivery(id) });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
