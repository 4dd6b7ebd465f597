import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { ExecuteResult, ExecutorService } from '../../src/approvals/execution/executor.service.js';
import { TallyError } from '../../src/shared/errors.js';
import { executePayload } from '../queues.js';

/**
 * Carries out one approved action. Only throttling is retried (with the queue's backoff); the executor records every
 * other failure on the approval, and anything unexpected fails the job without retry.
 */
export function executeProcessor(executor: ExecutorService) {
  return async (job: Job): Promise<ExecuteResult> => {
    const payload = executePayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad execute payload: ${payload.error.message}`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await executor.execute(payload.data.approvalId, { finalAttempt });
    } catch (err) {
      if (err instanceof TallyError && err.code === 'CLOUD_THROTTLED') throw err;
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }
  };
}
