import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type ExecutePayload, jobIds, KEEP_FINISHED_SECONDS, QUEUES, RETRIES } from '../../jobs/queues.js';
import type { ExecutionQueue } from '../../src/approvals/approval-jobs.port.js';
import type { ExecutionJobs } from '../../src/approvals/execution/execution-jobs.port.js';

/** Job states in which an execute job will still run (or is running). */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
/** Job states in which an execute job has not started yet. */
const WAITING_STATES = new Set(['waiting', 'delayed', 'prioritized']);

/**
 * The execute queue: one job per approval, its id derived from the approval, so it is enqueued once; delayed until the
 * next change window when the approval came outside every window (docs/architecture.md#execution).
 */
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

  /** A delayed job waits in Redis (it survives restarts) until a worker's clock passes its due time. */
  async enqueue(approvalId: string, delayMs = 0): Promise<void> {
    await this.queue.add(
      'execute',
      { approvalId },
      { jobId: jobIds.execute(approvalId), ...(delayMs > 0 ? { delay: Math.ceil(delayMs) } : {}) },
    );
  }

  /** Only a job that has not started: removing one that a worker holds is refused by BullMQ (it returns 0). */
  async remove(approvalId: string): Promise<boolean> {
    const id = jobIds.execute(approvalId);
    if (!WAITING_STATES.has(await this.queue.getJobState(id))) return false;
    return (await this.queue.remove(id)) === 1;
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
