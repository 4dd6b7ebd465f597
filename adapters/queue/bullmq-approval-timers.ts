import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type ApprovalTimerPayload,
  jobIds,
  KEEP_FINISHED_SECONDS,
  MAX_TIERS,
  QUEUES,
  RETRIES,
} from '../../jobs/queues.js';
import type { ApprovalTimers, TimerKind } from '../../src/approvals/approval-jobs.port.js';

const KINDS: TimerKind[] = ['remind', 'escalate', 'expire'];

/**
 * Approval timers as BullMQ delayed jobs (docs/architecture.md#timers): ids derived from the approval, kind and tier,
 * so arming twice arms once, and they live in Redis, so they survive a restart of Tally.
 */
export class BullmqApprovalTimers implements ApprovalTimers {
  readonly queue: Queue<ApprovalTimerPayload>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<ApprovalTimerPayload>(QUEUES.approvalTimer, {
      connection,
      prefix,
      defaultJobOptions: {
        ...RETRIES.approvalTimer,
        removeOnComplete: { age: KEEP_FINISHED_SECONDS },
        removeOnFail: { age: KEEP_FINISHED_SECONDS },
      },
    });
  }

  async arm(approvalId: string, kind: TimerKind, delayMs: number, tier: number): Promise<void> {
    await this.queue.add(
      kind,
      { approvalId, kind, tier },
      { jobId: jobIds.timer(approvalId, kind, tier), delay: delayMs },
    );
  }

  /**
   * Removes every waiting or delayed timer of the approval. `queue.remove` skips a job a worker holds; that one finds
   * the approval decided and does nothing.
   */
  async cancelAll(approvalId: string, tiers: number): Promise<void> {
    const count = Math.min(Math.max(tiers, 1), MAX_TIERS);
    const ids = KINDS.flatMap((kind) =>
      Array.from({ length: count }, (_, tier) => jobIds.timer(approvalId, kind, tier)),
    );
    await Promise.all(ids.map((id) => this.queue.remove(id)));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
