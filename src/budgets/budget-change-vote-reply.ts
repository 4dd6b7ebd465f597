import type { VoteRefusal } from '../approvals/approval-votes.service.js';
import type { Reply } from '../shared/reply.types.js';
import { changeProgress } from './budget-change-reply.js';
import type { BudgetChangeVoteOutcome } from './budget-change-votes.js';

const REFUSAL_TEXT: Record<VoteRefusal, string> = {
  NOT_FOUND: 'There is no approval with that id.',
  NOT_PENDING: 'This budget change is already decided; your vote changed nothing.',
  EXPIRED: 'This budget change has expired; your vote changed nothing.',
  REQUESTER: 'You requested this budget change, and requesters never vote on their own requests.',
  NOT_APPROVER: 'You are not one of the approvers of budget changes, so your vote was not counted.',
  ALREADY_VOTED: 'You already voted on this budget change; each person votes once.',
  REASON_REQUIRED: 'A reject needs a reason: `reject <id> because <reason>`.',
};

/** The answer to the voter alone, with the same `data` as an action approval's vote answer. */
export function budgetChangeVoteReply(outcome: BudgetChangeVoteOutcome, decision: 'approve' | 'reject'): Reply {
  if (!outcome.ok) {
    const state = outcome.change && outcome.reason === 'NOT_PENDING' ? ` (${outcome.change.state})` : '';
    return {
      kind: 'notice',
      title: 'Vote not counted',
      text: `${REFUSAL_TEXT[outcome.reason]}${state}`,
      data: { counted: false, reason: outcome.reason, state: outcome.change?.state ?? null },
      visibility: 'ephemeral',
    };
  }
  const { approvals, quorum } = changeProgress(outcome.change);
  const text = outcome.decided
    ? outcome.change.state === 'APPROVED'
      ? `Approved: ${approvals} of ${quorum}. Budget ${outcome.change.budget} is changed.`
      : 'Rejected. The budget is unchanged and the requester has been told.'
    : `Your ${decision} is counted: ${approvals} of ${quorum}.`;
  return {
    kind: 'notice',
    title: `Vote counted on ${outcome.change.id}`,
    text,
    data: { counted: true, state: outcome.change.state, approvals, quorum },
    visibility: 'ephemeral',
  };
}
