import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ExecutePayload, jobIds, KEEP_FINISHED_SECONDS, QUEUES, RETRIES } from '../../jobs/queues.js';
import type { ExecutionQueue } from '../../src/approvals/approval-jobs.port.js';

/** The execute queue: one job per approval, its id derived from the approval, so it is enqueued once. */
export class BullmqExecutionQueue implements ExecutionQueue {
  readonly queue: Queue<ExecutePayload>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<ExecutePayload>(QUEUES.execute, {
      connection,
      prefix,
      defaultJobOptions: {
        ...RETRIES.execute,
        removeOnComplete: { age: KEEP_FINISHED_SECONDS },
        removeOnFail: { age: KEEP_FINISHED_SECONDS },
      },
    });
  }

  async enqueue(approvalId: string): Promise<void> {
    await this.queue.add('execute', { approvalId }, { jobId: jobIds.execute(approvalId) });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
