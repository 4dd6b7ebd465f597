import type { Auditor } from '../approvals/approval-events.js';
import type { ApprovalTimers, TimerKind } from '../approvals/approval-jobs.port.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { TimerOutcome } from '../approvals/approval-timers.service.js';
import { eligibleVoters, isRequester, tierEntries } from '../approvals/approvers.js';
import type { Clock } from '../shared/clock.js';
import type { Reply } from '../shared/reply.types.js';
import type { BudgetChange } from './budget-change.types.js';
import type { BudgetChangeMessages } from './budget-change-messages.js';
import type { BudgetChangeOutcomes } from './budget-change-outcomes.js';
import { changeProgress } from './budget-change-reply.js';
import type { BudgetChangeRepository } from './budget-change-repository.port.js';
import { changeBudgetChange } from './budget-change-store.js';

/**
 * Reminders, escalations and expiry of budget changes, on the approval timer queue (docs/architecture.md#timers): the
 * same delayed jobs as an action's approval, told apart by the `bch_` id. A timer that finds the change decided, or
 * on another tier than it was armed for, does nothing. Expiry rejects: the budget stays as it is.
 */
export class BudgetChangeTimers {
  constructor(
    private readonly deps: {
      changes: BudgetChangeRepository;
      policy: ApprovalPolicy;
      timers: ApprovalTimers;
      messages: BudgetChangeMessages;
      outcomes: BudgetChangeOutcomes;
      audit: Auditor;
      clock: Clock;
    },
  ) {}

  /** Arms the timers of a new change (tier 0, with its expiry), or of a tier just escalated to. */
  async armTier(change: BudgetChange, tier: number): Promise<void> {
    const { rule } = change;
    const untilExpiry = Date.parse(change.expiresAt) - this.deps.clock.now().getTime();
    if (tier === 0) await this.deps.timers.arm(change.id, 'expire', Math.max(untilExpiry, 0), 0);
    if (rule.remindAfterMs < untilExpiry) await this.deps.timers.arm(change.id, 'remind', rule.remindAfterMs, tier);
    if (tier + 1 < rule.tiers.length && rule.escalateAfterMs < untilExpiry)
      await this.deps.timers.arm(change.id, 'escalate', rule.escalateAfterMs, tier);
  }

  async fire(id: string, kind: TimerKind, tier: number): Promise<TimerOutcome> {
    if (kind === 'remind') return this.remind(id, tier);
    if (kind === 'escalate') return this.escalate(id, tier);
    return this.expire(id);
  }

  /** Approvers of the current tiers who have not voted, the requester left out. */
  async waitingOn(change: BudgetChange): Promise<string[]> {
    const eligible = await eligibleVoters(this.deps.policy, tierEntries(change.rule, change.tier), (p, g) =>
      this.deps.messages.groupMembers(p, g),
    );
    const voted = new Set(change.votes.map((v) => v.voter.person));
    return [...eligible].filter((p) => !voted.has(p) && !isRequester(this.deps.policy, change.requester, p));
  }

  /** Direct messages asking each waiting approver for their vote, with the card. */
  async ask(change: BudgetChange, title: string, persons: readonly string[]): Promise<void> {
    const reply: Reply = { ...this.deps.messages.render(change), title };
    for (const person of persons) await this.deps.messages.direct(change, person, reply);
  }

  private async remind(id: string, tier: number): Promise<TimerOutcome> {
    const change = await this.deps.changes.get(id);
    if (change?.state !== 'PENDING' || change.tier !== tier) return 'stale';
    const waiting = await this.waitingOn(change);
    await this.ask(change, `Reminder: your vote is needed on budget change ${id}`, waiting);
    await this.deps.audit({
      kind: 'timer',
      event: 'timer.remind',
      approvalId: id,
      actor: 'tally',
      what: `reminded ${waiting.map(this.deps.messages.nameOf).join(', ') || 'nobody (everyone voted)'}`,
    });
    return 'reminded';
  }

  private async escalate(id: string, tier: number): Promise<TimerOutcome> {
    const now = this.deps.clock.now().toISOString();
    const { written } = await changeBudgetChange(this.deps.changes, id, (c) => {
      if (c?.state !== 'PENDING' || c.tier !== tier || tier + 1 >= c.rule.tiers.length) return { result: null };
      const next: BudgetChange = { ...c, tier: tier + 1, updatedAt: now };
      const { approvals, quorum } = changeProgress(next);
      if (approvals >= quorum)
        Object.assign(next, {
          state: 'APPROVED',
          decidedAt: now,
          decision: { by: 'tally', reason: `quorum reached after escalation (${approvals} of ${quorum})` },
        });
      return { write: next, result: null };
    });
    if (!written) return 'stale';
    const added = written.rule.tiers[written.tier]?.approvers ?? [];
    await this.deps.audit({
      kind: 'timer',
      event: 'timer.escalate',
      approvalId: id,
      actor: 'tally',
      what: `escalated to tier ${written.tier + 1}: ${added.join(', ')}`,
    });
    if (written.state === 'APPROVED') {
      await this.deps.outcomes.decided(written);
      return 'escalated';
    }
    await this.deps.messages.note(written, `No decision yet: escalated to ${added.join(', ')}`);
    const newcomers = await eligibleVoters(this.deps.policy, added, (p, g) => this.deps.messages.groupMembers(p, g));
    const waiting = new Set(await this.waitingOn(written));
    await this.ask(
      written,
      `Escalated to you: your vote is needed on budget change ${id}`,
      [...newcomers].filter((p) => waiting.has(p)),
    );
    await this.armTier(written, written.tier);
    await this.deps.outcomes.refresh(id);
    return 'escalated';
  }

  private async expire(id: string): Promise<TimerOutcome> {
    const now = this.deps.clock.now().toISOString();
    const { written } = await changeBudgetChange(this.deps.changes, id, (c) =>
      c?.state === 'PENDING'
        ? {
            write: {
              ...c,
              state: 'EXPIRED',
              decidedAt: now,
              updatedAt: now,
              decision: { by: 'tally', reason: 'expired without a decision' },
            },
            result: null,
          }
        : { result: null },
    );
    if (!written) return 'stale';
    await this.deps.audit({
      kind: 'timer',
      event: 'timer.expire',
      approvalId: id,
      actor: 'tally',
      what: 'expired: the budget is unchanged',
      why: 'expired without a decision',
    });
    await this.deps.outcomes.decided(written);
    return 'expired';
  }
}
