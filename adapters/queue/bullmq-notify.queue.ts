import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type DeliveryPayload, jobIds, KEEP_FINISHED_SECONDS, QUEUES } from '../../jobs/queues.js';
import type { Delivery, NotifyQueue } from '../../src/notifications/notification.types.js';

/** Attempts of a delivery job; permanent failures stop earlier (the processor throws `UnrecoverableError`). */
export const NOTIFY_ATTEMPTS = 5;

export interface BullmqNotifyQueueOptions {
  /**
   * First retry delay in ms; it doubles with every attempt (BullMQ exponential backoff), and jitter takes up to half
   * of it off so that many failed deliveries do not retry at the same instant.
   * @defaultValue 5000 (retries after at most 5 s, 10 s, 20 s, 40 s)
   */
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
        attempts: NOTIFY_ATTEMPTS,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 5000, jitter: 0.5 },
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
