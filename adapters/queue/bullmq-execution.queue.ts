import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ExecutePayload, jobIds, KEEP_FINISHED_SECONDS, QUEUES, RETRIES } from '../../jobs/queues.js';
import type { ExecutionQueue } from '../../src/approvals/approval-jobs.port.js';
import type { ExecutionJobs } from '../../src/approvals/execution/execution-jobs.port.js';

/** Job states in which an execute job will still run (or is running). */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** The execute queue: one job per approval, its id derived from the approval, so it is enqueued once. */
export class BullmqExecutionQueue implements ExecutionQueue, ExecutionJobs {
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

  async pending(approvalId: string): Promise<boolean> {
    return PENDING_STATES.has(await this.queue.getJobState(jobIds.execute(approvalId)));
  }

  /**
   * A finished job keeps its id for 30 days (so a late duplicate adds nothing): it is removed first. Removing a job
   * that another worker holds fails, and the add then adds nothing, so a concurrent requeue cannot run it twice.
   */
  async requeue(approvalId: string): Promise<void> {
    const id = jobIds.execute(approvalId);
    const state = await this.queue.getJobState(id);
    if (state === 'completed' || state === 'failed') await this.queue.remove(id);
    await this.enqueue(approvalId);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
