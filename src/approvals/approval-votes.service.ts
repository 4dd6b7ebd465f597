import type { Clock } from '../shared/clock.js';
import type { Reply } from '../shared/reply.types.js';
import type { Approval, Identity, Vote } from './approval.types.js';
import type { Auditor } from './approval-events.js';
import type { ApprovalMessages } from './approval-messages.service.js';
import type { ApprovalOutcomes } from './approval-outcomes.service.js';
import type { ApprovalPolicy } from './approval-policy.types.js';
import { progressOf, type WhenOf } from './approval-reply.js';
import type { ApprovalRepository } from './approval-repository.port.js';
import { changeApproval } from './approval-store.js';
import { eligibleVoters, isRequester, personOf, tierEntries } from './approvers.js';
import { scheduleOnApproval } from './execution/execution-schedule.js';

/** Why a vote changed nothing (an outcome, not an exception: docs/architecture.md#expected-outcomes-are-values). */
export type VoteRefusal =
  | 'NOT_FOUND'
  | 'NOT_PENDING'
  | 'EXPIRED'
  | 'REQUESTER'
  | 'NOT_APPROVER'
  | 'ALREADY_VOTED'
  | 'REASON_REQUIRED';

export type VoteOutcome =
  | { ok: true; approval: Approval; decided: boolean }
  | { ok: false; reason: VoteRefusal; approval: Approval | null };

/** The persons who may vote on an approval while its current tier lasts (see {@link eligibleVoters}). */
type VotersOf = (approval: Approval) => Promise<Set<string>>;

export interface VoteInput {
  approvalId: string;
  voter: Identity;
  decision: 'approve' | 'reject';
  reason?: string;
}

/**
 * Votes (docs/architecture.md#votes-and-compare-and-set): one per person, never the requester's through any of
 * their identities ({@link isRequester}), any reject ends it, approve votes counted
 * atomically, and the quorum moves the approval to APPROVED exactly once: the state change is a compare-and-set, so of
 * two concurrent last votes only one write wins and only its caller runs the follow-up (one execution job).
 */
export class ApprovalVotes {
  constructor(
    private readonly deps: {
      approvals: ApprovalRepository;
      policy: ApprovalPolicy;
      messages: ApprovalMessages;
      outcomes: ApprovalOutcomes;
      audit: Auditor;
      clock: Clock;
    },
  ) {}

  /**
   * Checks everything but the vote itself: may this person vote on this approval now? The approvers are expanded
   * (Slack user groups through the messenger) only when the cheaper checks pass.
   */
  async check(
    approval: Approval | null,
    voter: Identity,
    votersOf: VotersOf = this.votersOf(),
  ): Promise<VoteRefusal | null> {
    if (!approval) return 'NOT_FOUND';
    if (approval.state !== 'PENDING') return 'NOT_PENDING';
    if (this.deps.clock.now().toISOString() >= approval.expiresAt) return 'EXPIRED';
    const person = personOf(this.deps.policy, voter);
    if (!approval.rule.requesterMayVote && isRequester(this.deps.policy, approval.requester, person))
      return 'REQUESTER';
    if (!(await votersOf(approval)).has(person)) return 'NOT_APPROVER';
    if (approval.votes.some((v) => v.voter.person === person)) return 'ALREADY_VOTED';
    return null;
  }

  async vote(input: VoteInput): Promise<VoteOutcome> {
    const reason = input.reason?.trim();
    if (input.decision === 'reject' && !reason)
      return { ok: false, reason: 'REASON_REQUIRED', approval: await this.deps.approvals.get(input.approvalId) };
    const person = personOf(this.deps.policy, input.voter);
    // The approvers are expanded before the compare-and-set loop, on a first read of the approval: a Slack user group
    // is a Web API call, which would widen the window between read and write, and a retry (a lost race) must not ask
    // again. Inside the loop the expansion is reused; only an approval whose approvers changed meanwhile (an
    // escalation added a tier) is expanded again.
    const votersOf = this.votersOf();
    await this.check(await this.deps.approvals.get(input.approvalId), input.voter, votersOf);
    const { result, written } = await changeApproval<VoteOutcome>(this.deps.approvals, input.approvalId, async (a) => {
      const refusal = await this.check(a, input.voter, votersOf);
      if (refusal || !a) return { result: { ok: false, reason: refusal ?? 'NOT_FOUND', approval: a } };
      const now = this.deps.clock.now().toISOString();
      const vote: Vote = {
        voter: { person, via: input.voter },
        decision: input.decision,
        ...(reason ? { reason } : {}),
        at: now,
      };
      const next: Approval = { ...a, votes: [...a.votes, vote], updatedAt: now };
      const { approvals, quorum } = progressOf(next);
      if (input.decision === 'reject') {
        Object.assign(next, { state: 'REJECTED', decidedAt: now, decision: { by: person, reason: reason ?? '' } });
      } else if (approvals >= quorum) {
        Object.assign(next, {
          state: 'APPROVED',
          decidedAt: now,
          decision: { by: person, reason: `quorum reached (${approvals} of ${quorum})` },
          ...scheduleOnApproval(this.deps.policy.guardrails, new Date(now)),
        });
      }
      return { write: next, result: { ok: true, approval: next, decided: next.state !== 'PENDING' } };
    });
    if (!result.ok || !written) return result;
    await this.recorded(written, person, input.decision, reason);
    return result;
  }

  /** Expands each approver list once, for the approvals of one vote (or one check). */
  private votersOf(): VotersOf {
    const expanded = new Map<string, Promise<Set<string>>>();
    return (approval) => {
      const entries = tierEntries(approval.rule, approval.tier);
      const key = JSON.stringify(entries);
      let voters = expanded.get(key);
      if (!voters) {
        voters = eligibleVoters(this.deps.policy, entries, (platform, group) =>
          this.deps.messages.groupMembers(platform, group),
        );
        expanded.set(key, voters);
      }
      return voters;
    };
  }

  private async recorded(approval: Approval, person: string, decision: 'approve' | 'reject', reason?: string) {
    const { audit, messages, outcomes } = this.deps;
    const name = messages.nameOf(person);
    await audit({
      kind: 'vote',
      event: `vote.${decision}`,
      approvalId: approval.id,
      actor: person,
      what: `${name} voted ${decision}`,
      ...(reason ? { why: reason } : {}),
    });
    if (approval.state !== 'PENDING') {
      await audit({
        kind: 'decision',
        event: `decision.${approval.state.toLowerCase()}`,
        approvalId: approval.id,
        actor: person,
        what: `${approval.state.toLowerCase()}: ${approval.action.summary}`,
        why: approval.decision?.reason ?? '',
      });
    }
    const { approvals, quorum } = progressOf(approval);
    await messages.note(
      approval,
      `${name} ${decision === 'approve' ? 'approved' : 'rejected'}${reason ? `: ${reason}` : ''} (${approvals} of ${quorum})`,
    );
    if (approval.state === 'PENDING') await outcomes.refresh(approval.id);
    else await outcomes.decided(approval);
  }
}

const REFUSAL_TEXT: Record<VoteRefusal, string> = {
  NOT_FOUND: 'There is no approval with that id.',
  NOT_PENDING: 'This approval is already decided; your vote changed nothing.',
  EXPIRED: 'This approval has expired; your vote changed nothing.',
  REQUESTER: 'You requested this action, and the policy does not let requesters vote on their own requests.',
  NOT_APPROVER: 'You are not one of the approvers of this request, so your vote was not counted.',
  ALREADY_VOTED: 'You already voted on this approval; each person votes once.',
  REASON_REQUIRED: 'A reject needs a reason: `reject <id> because <reason>`.',
};

/** The answer to the voter alone; an approval that waits for a change window says when it runs (`whenOf`). */
export function voteReply(outcome: VoteOutcome, decision: 'approve' | 'reject', whenOf: WhenOf = () => null): Reply {
  if (!outcome.ok) {
    const state = outcome.approval && outcome.reason === 'NOT_PENDING' ? ` (${outcome.approval.state})` : '';
    return {
      kind: 'notice',
      title: 'Vote not counted',
      text: `${REFUSAL_TEXT[outcome.reason]}${state}`,
      data: { counted: false, reason: outcome.reason, state: outcome.approval?.state ?? null },
      visibility: 'ephemeral',
    };
  }
  const { approvals, quorum } = progressOf(outcome.approval);
  const when = whenOf(outcome.approval);
  const text = outcome.decided
    ? outcome.approval.state === 'APPROVED'
      ? `Approved: ${approvals} of ${quorum}. ${when ? `Outside the change windows, the action is scheduled for ${when}.` : 'The action is queued for execution.'}`
      : 'Rejected. The requester has been told.'
    : `Your ${decision} is counted: ${approvals} of ${quorum}.`;
  return {
    kind: 'notice',
    title: `Vote counted on ${outcome.approval.id}`,
    text,
    data: {
      counted: true,
      state: outcome.approval.state,
      approvals,
      quorum,
      ...(outcome.approval.scheduledFor ? { scheduledFor: outcome.approval.scheduledFor } : {}),
    },
    visibility: 'ephemeral',
  };
}
