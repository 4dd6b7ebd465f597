import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { ApprovalTimerService, TimerOutcome } from '../../src/approvals/approval-timers.service.js';
import { approvalTimerPayload } from '../queues.js';

/**
 * Fires one approval timer (remind, escalate or expire); a stale timer does nothing. `timers` fires those of actions'
 * approvals and of budget changes alike (src/bootstrap/approvals.ts tells them apart by id).
 */
export function approvalTimerProcessor(timers: Pick<ApprovalTimerService, 'fire'>) {
  return async (job: Job): Promise<TimerOutcome> => {
    const payload = approvalTimerPayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad approval-timer payload: ${payload.error.message}`);
    return timers.fire(payload.data.approvalId, payload.data.kind, payload.data.tier);
  };
}
