import type { Job } from 'bullmq';
import { DelayedError, UnrecoverableError } from 'bullmq';
import type { ExecuteResult, ExecutorService } from '../../src/approvals/execution/executor.service.js';
import { TallyError } from '../../src/shared/errors.js';
import { executePayload } from '../queues.js';

/**
 * Carries out one approved action. Only throttling is retried (with the queue's backoff); the executor records every
 * other failure on the approval, and anything unexpected fails the job without retry. A job that came outside every
 * change window is moved back to delayed, due when the next window opens (the same job, so never doubled and still
 * removable by a cancel).
 */
export function executeProcessor(executor: Pick<ExecutorService, 'execute'>) {
  return async (job: Job, token?: string): Promise<ExecuteResult> => {
    const payload = executePayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad execute payload: ${payload.error.message}`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    let result: ExecuteResult;
    try {
      result = await executor.execute(payload.data.approvalId, { finalAttempt });
    } catch (err) {
      if (err instanceof TallyError && err.code === 'CLOUD_THROTTLED') throw err;
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }
    if (typeof result === 'object') {
      // The delay is by Tally's clock; BullMQ's due time is by this machine's.
      await job.moveToDelayed(Date.now() + result.delayMs, token);
      throw new DelayedError();
    }
    return result;
  };
}
