import type { Identity, Vote } from '../approvals/approval.types.js';
import type { Auditor } from '../approvals/approval-events.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { VoteRefusal } from '../approvals/approval-votes.service.js';
import { eligibleVoters, isRequester, personOf, tierEntries } from '../approvals/approvers.js';
import type { Clock } from '../shared/clock.js';
import type { BudgetChange } from './budget-change.types.js';
import type { BudgetChangeMessages } from './budget-change-messages.js';
import type { BudgetChangeOutcomes } from './budget-change-outcomes.js';
import { changeProgress, changeSummary } from './budget-change-reply.js';
import type { BudgetChangeRepository } from './budget-change-repository.port.js';
import { changeBudgetChange } from './budget-change-store.js';

export type BudgetChangeVoteOutcome =
  | { ok: true; change: BudgetChange; decided: boolean }
  | { ok: false; reason: VoteRefusal; change: BudgetChange | null };

/**
 * Votes on budget changes, by the rules of action approvals (docs/architecture.md#votes-and-compare-and-set): one per
 * person across their identities, never the requester's, only the current tiers' approvers, any reject ends it, and
 * the quorum approves it exactly once (a compare-and-set on its version), so only one caller changes the budget.
 */
export class BudgetChangeVotes {
  constructor(
    private readonly deps: {
      changes: BudgetChangeRepository;
      policy: ApprovalPolicy;
      messages: BudgetChangeMessages;
      outcomes: BudgetChangeOutcomes;
      audit: Auditor;
      clock: Clock;
    },
  ) {}

  /** Whether this person may vote on this change now; null when they may. */
  async check(change: BudgetChange | null, voter: Identity): Promise<VoteRefusal | null> {
    if (!change) return 'NOT_FOUND';
    if (change.state !== 'PENDING') return 'NOT_PENDING';
    if (this.deps.clock.now().toISOString() >= change.expiresAt) return 'EXPIRED';
    const person = personOf(this.deps.policy, voter);
    if (isRequester(this.deps.policy, change.requester, person)) return 'REQUESTER';
    if (!(await this.votersOf(change)).has(person)) return 'NOT_APPROVER';
    if (change.votes.some((v) => v.voter.person === person)) return 'ALREADY_VOTED';
    return null;
  }

  /** The persons who may vote while the current tier lasts. */
  votersOf(change: BudgetChange): Promise<Set<string>> {
    return eligibleVoters(this.deps.policy, tierEntries(change.rule, change.tier), (p, g) =>
      this.deps.messages.groupMembers(p, g),
    );
  }

  async vote(input: {
    id: string;
    voter: Identity;
    decision: 'approve' | 'reject';
    reason?: string;
  }): Promise<BudgetChangeVoteOutcome> {
    const reason = input.reason?.trim();
    if (input.decision === 'reject' && !reason)
      return { ok: false, reason: 'REASON_REQUIRED', change: await this.deps.changes.get(input.id) };
    const person = personOf(this.deps.policy, input.voter);
    const { result, written } = await changeBudgetChange<BudgetChangeVoteOutcome>(
      this.deps.changes,
      input.id,
      async (c) => {
        const refusal = await this.check(c, input.voter);
        if (refusal || !c) return { result: { ok: false, reason: refusal ?? 'NOT_FOUND', change: c } };
        const now = this.deps.clock.now().toISOString();
        const vote: Vote = {
          voter: { person, via: input.voter },
          decision: input.decision,
          ...(reason ? { reason } : {}),
          at: now,
        };
        const next: BudgetChange = { ...c, votes: [...c.votes, vote], updatedAt: now };
        const { approvals, quorum } = changeProgress(next);
        if (input.decision === 'reject')
          Object.assign(next, { state: 'REJECTED', decidedAt: now, decision: { by: person, reason: reason ?? '' } });
        else if (approvals >= quorum)
          Object.assign(next, {
            state: 'APPROVED',
            decidedAt: now,
            decision: { by: person, reason: `quorum reached (${approvals} of ${quorum})` },
          });
        return { write: next, result: { ok: true, change: next, decided: next.state !== 'PENDING' } };
      },
    );
    if (result.ok && written) await this.recorded(written, person, input.decision, reason);
    return result;
  }

  private async recorded(change: BudgetChange, person: string, decision: 'approve' | 'reject', reason?: string) {
    const { audit, messages, outcomes } = this.deps;
    const name = messages.nameOf(person);
    await audit({
      kind: 'vote',
      event: `vote.${decision}`,
      approvalId: change.id,
      actor: person,
      what: `${name} voted ${decision}`,
      ...(reason ? { why: reason } : {}),
    });
    if (change.state !== 'PENDING')
      await audit({
        kind: 'decision',
        event: `decision.${change.state.toLowerCase()}`,
        approvalId: change.id,
        actor: person,
        what: `${change.state.toLowerCase()}: ${changeSummary(change)}`,
        why: change.decision?.reason ?? '',
      });
    const { approvals, quorum } = changeProgress(change);
    await messages.note(
      change,
      `${name} ${decision === 'approve' ? 'approved' : 'rejected'}${reason ? `: ${reason}` : ''} (${approvals} of ${quorum})`,
    );
    if (change.state === 'PENDING') await outcomes.refresh(change.id);
    else await outcomes.decided(change);
  }
}
