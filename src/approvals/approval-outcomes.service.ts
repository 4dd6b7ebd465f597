import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { Approval } from './approval.types.js';
import type { Auditor } from './approval-events.js';
import type { ApprovalTimers, ExecutionQueue } from './approval-jobs.port.js';
import type { ApprovalMessages } from './approval-messages.service.js';
import type { ApprovalRepository } from './approval-repository.port.js';
import { delayOnApproval } from './execution/execution-schedule.js';

/**
 * What follows a decision, once, by whoever made the state change: cancel the timers, enqueue the execution job
 * (approved; delayed until the next change window when approved outside every window) or remove it (cancelled),
 * update every approval message, note it in the thread, and tell the requester.
 */
export class ApprovalOutcomes {
  constructor(
    private readonly deps: {
      approvals: ApprovalRepository;
      timers: ApprovalTimers;
      execution: ExecutionQueue;
      messages: ApprovalMessages;
      audit: Auditor;
      logger: Logger;
    },
  ) {}

  async decided(approval: Approval): Promise<void> {
    const { timers, execution, audit } = this.deps;
    await timers.cancelAll(approval.id, approval.rule.tiers.length);
    await audit({
      kind: 'timer',
      event: 'timer.cancelled',
      approvalId: approval.id,
      actor: 'tally',
      what: `timers cancelled: ${approval.state.toLowerCase()}`,
    });
    if (approval.state === 'APPROVED') await this.enqueue(approval);
    if (approval.state === 'CANCELLED' && (await execution.remove(approval.id)))
      await audit({
        kind: 'execution',
        event: 'execution.cancelled',
        approvalId: approval.id,
        actor: 'tally',
        what: `scheduled execution removed: ${approval.action.summary}`,
      });
    await this.refresh(approval.id);
    const when = this.deps.messages.scheduleText(approval);
    const note = `${approval.state === 'APPROVED' ? 'Approved' : approval.state.toLowerCase()}: ${approval.decision?.reason ?? ''}${when ? `. Outside the change windows: scheduled for ${when}` : ''}`;
    await this.deps.messages.note(approval, note);
    if (approval.state !== 'APPROVED') await this.tellRequester(approval);
  }

  /** The one execute job, delayed until the approval's `scheduledFor` when it was approved outside every window. */
  private async enqueue(approval: Approval): Promise<void> {
    await this.deps.execution.enqueue(approval.id, delayOnApproval(approval));
    await this.deps.audit({
      kind: 'execution',
      event: approval.scheduledFor ? 'execution.scheduled' : 'execution.enqueued',
      approvalId: approval.id,
      actor: 'tally',
      what: approval.scheduledFor
        ? `execution scheduled for ${approval.scheduledFor.slice(0, 16).replace('T', ' ')} UTC (the next change window): ${approval.action.summary}`
        : `execution job enqueued for ${approval.action.summary}`,
    });
  }

  /** Updates every message from the latest stored state (so a late update never shows an older state). */
  async refresh(approvalId: string): Promise<void> {
    // Two refreshes may interleave (read v3, read v4, update v4, update v3): after updating, read again and repeat
    // until the message shows the version that is stored.
    for (let round = 0; round < 3; round++) {
      const latest = await this.deps.approvals.get(approvalId);
      if (!latest) return;
      await this.deps.messages.refresh(latest);
      if ((await this.deps.approvals.get(approvalId))?.version === latest.version) return;
    }
  }

  async tellRequester(approval: Approval): Promise<void> {
    // An item of a batch: the batch's summary tells the requester (docs/architecture.md#batches).
    if (approval.batchOf) return;
    const latest = (await this.deps.approvals.get(approval.id)) ?? approval;
    const reply: Reply = { ...this.deps.messages.render(latest), buttons: [], visibility: 'channel' };
    await this.deps.messages.direct(latest, latest.requester.person, reply);
  }
}
