import type { Clock } from '../shared/clock.js';
import type { Reply } from '../shared/reply.types.js';
import type { Approval } from './approval.types.js';
import type { Auditor } from './approval-events.js';
import type { ApprovalTimers, TimerKind } from './approval-jobs.port.js';
import type { ApprovalMessages } from './approval-messages.service.js';
import type { ApprovalOutcomes } from './approval-outcomes.service.js';
import type { ApprovalPolicy } from './approval-policy.types.js';
import { progressOf } from './approval-reply.js';
import type { ApprovalRepository } from './approval-repository.port.js';
import { changeApproval } from './approval-store.js';
import { eligibleVoters, isRequester, tierEntries } from './approvers.js';
import { scheduleOnApproval } from './execution/execution-schedule.js';

/** What a timer did (for the job's result and tests). */
export type TimerOutcome = 'reminded' | 'escalated' | 'expired' | 'stale';

/**
 * Reminders, escalations and expiry (docs/architecture.md#timers). Each runs as a delayed job; a timer that finds the
 * approval decided, or on another tier than it was armed for, does nothing, so a late or duplicate timer is harmless.
 */
export class ApprovalTimerService {
  constructor(
    private readonly deps: {
      approvals: ApprovalRepository;
      policy: ApprovalPolicy;
      timers: ApprovalTimers;
      messages: ApprovalMessages;
      outcomes: ApprovalOutcomes;
      audit: Auditor;
      clock: Clock;
    },
  ) {}

  /** Arms the timers of a new approval, or of a tier just escalated to. */
  async armTier(approval: Approval, tier: number): Promise<void> {
    const { rule } = approval;
    const untilExpiry = Date.parse(approval.expiresAt) - this.deps.clock.now().getTime();
    if (tier === 0) await this.deps.timers.arm(approval.id, 'expire', Math.max(untilExpiry, 0), 0);
    if (rule.remindAfterMs < untilExpiry) await this.deps.timers.arm(approval.id, 'remind', rule.remindAfterMs, tier);
    if (tier + 1 < rule.tiers.length && rule.escalateAfterMs < untilExpiry)
      await this.deps.timers.arm(approval.id, 'escalate', rule.escalateAfterMs, tier);
  }

  async fire(approvalId: string, kind: TimerKind, tier: number): Promise<TimerOutcome> {
    switch (kind) {
      case 'remind':
        return this.remind(approvalId, tier);
      case 'escalate':
        return this.escalate(approvalId, tier);
      case 'expire':
        return this.expire(approvalId);
    }
  }

  private async remind(approvalId: string, tier: number): Promise<TimerOutcome> {
    const approval = await this.deps.approvals.get(approvalId);
    if (approval?.state !== 'PENDING' || approval.tier !== tier) return 'stale';
    const waiting = await this.waitingOn(approval);
    const reply = this.ask(approval, `Reminder: your vote is needed on ${approval.id}`);
    for (const person of waiting) await this.deps.messages.direct(approval, person, reply);
    await this.deps.audit({
      kind: 'timer',
      event: 'timer.remind',
      approvalId,
      actor: 'tally',
      what: `reminded ${waiting.map(this.deps.messages.nameOf).join(', ') || 'nobody (everyone voted)'}`,
    });
    return 'reminded';
  }

  private async escalate(approvalId: string, tier: number): Promise<TimerOutcome> {
    const now = this.deps.clock.now().toISOString();
    const { written } = await changeApproval(this.deps.approvals, approvalId, (a) => {
      if (a?.state !== 'PENDING' || a.tier !== tier || tier + 1 >= a.rule.tiers.length) return { result: null };
      const next: Approval = { ...a, tier: tier + 1, updatedAt: now };
      // A lower quorum (only with the policy's quorumAfterEscalation: true) may already be met by the votes so far.
      const { approvals, quorum } = progressOf(next);
      if (approvals >= quorum)
        Object.assign(next, {
          state: 'APPROVED',
          decidedAt: now,
          decision: { by: 'tally', reason: `quorum reached after escalation (${approvals} of ${quorum})` },
          ...scheduleOnApproval(this.deps.policy.guardrails, new Date(now)),
        });
      return { write: next, result: null };
    });
    if (!written) return 'stale';
    const added = written.rule.tiers[written.tier]?.approvers ?? [];
    await this.deps.audit({
      kind: 'timer',
      event: 'timer.escalate',
      approvalId,
      actor: 'tally',
      what: `escalated to tier ${written.tier + 1}: ${added.join(', ')}`,
    });
    if (written.state === 'APPROVED') {
      await this.deps.audit({
        kind: 'decision',
        event: 'decision.approved',
        approvalId,
        actor: 'tally',
        what: `approved: ${written.action.summary}`,
        why: written.decision?.reason ?? '',
      });
      await this.deps.outcomes.decided(written);
      return 'escalated';
    }
    await this.deps.messages.note(written, `No decision yet: escalated to ${added.join(', ')}`);
    const newcomers = await eligibleVoters(this.deps.policy, added, (p, g) => this.deps.messages.groupMembers(p, g));
    const reply = this.ask(written, `Escalated to you: your vote is needed on ${written.id}`);
    for (const person of newcomers)
      if (this.mayVote(written, person)) await this.deps.messages.direct(written, person, reply);
    await this.armTier(written, written.tier);
    await this.deps.outcomes.refresh(approvalId);
    return 'escalated';
  }

  private async expire(approvalId: string): Promise<TimerOutcome> {
    const now = this.deps.clock.now().toISOString();
    const { written } = await changeApproval(this.deps.approvals, approvalId, (a) => {
      if (a?.state !== 'PENDING') return { result: null };
      const approve = a.rule.onExpiry === 'approve';
      return {
        write: {
          ...a,
          state: approve ? 'APPROVED' : 'EXPIRED',
          decidedAt: now,
          updatedAt: now,
          decision: {
            by: 'tally',
            reason: approve ? 'expired; the policy approves on expiry' : 'expired without a decision',
          },
          ...(approve ? scheduleOnApproval(this.deps.policy.guardrails, new Date(now)) : {}),
        },
        result: null,
      };
    });
    if (!written) return 'stale';
    await this.deps.audit({
      kind: 'timer',
      event: 'timer.expire',
      approvalId,
      actor: 'tally',
      what: `expired: ${written.state.toLowerCase()}`,
      why: written.decision?.reason ?? '',
    });
    await this.deps.outcomes.decided(written);
    return 'expired';
  }

  /** Approvers of the current tiers who have not voted, the requester left out (unless the rule lets them vote). */
  async waitingOn(approval: Approval): Promise<string[]> {
    const eligible = await eligibleVoters(this.deps.policy, tierEntries(approval.rule, approval.tier), (p, g) =>
      this.deps.messages.groupMembers(p, g),
    );
    const voted = new Set(approval.votes.map((v) => v.voter.person));
    return [...eligible].filter((p) => !voted.has(p) && this.mayVote(approval, p));
  }

  /** Whether the person may vote as far as the requester is concerned. */
  private mayVote(approval: Approval, person: string): boolean {
    return approval.rule.requesterMayVote || !isRequester(this.deps.policy, approval.requester, person);
  }

  private ask(approval: Approval, title: string): Reply {
    return { ...this.deps.messages.render(approval), title, visibility: 'channel' };
  }
}
