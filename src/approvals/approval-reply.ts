import { ACTIONS } from '../shared/action-ids.js';
import { formatMoney } from '../shared/money.js';
import type { Reply, ReplyField } from '../shared/reply.types.js';
import type { Approval, ApprovalState, Verification } from './approval.types.js';
import { tierEntries } from './approvers.js';
import { batchFields, batchTargetText, batchUndoButtons } from './batch/batch-reply.js';
import { RELEASE_UNDO_WARNING, undoButtons, undoFields } from './undo/undo-reply.js';

/** How the approval message names people (policy display names). */
export type NameOf = (person: string) => string;

/** When an approval waiting for a change window runs, as its approvers read it; null when it does not wait. */
export type WhenOf = (approval: Approval) => string | null;

const STATE_TEXT: Record<ApprovalState, string> = {
  PENDING: 'Waiting for approval',
  APPROVED: 'Approved: queued for execution',
  EXECUTING: 'Approved: executing now',
  SUCCEEDED: 'SUCCEEDED: done',
  FAILED: 'FAILED: not done',
  REJECTED: 'Rejected',
  EXPIRED: 'Expired without a decision',
  CANCELLED: 'Cancelled by the requester',
};

/** Approve votes counted so far and the quorum of the current tier. */
export function progressOf(approval: Approval): { approvals: number; quorum: number } {
  return {
    approvals: approval.votes.filter((v) => v.decision === 'approve').length,
    quorum: approval.rule.tiers[approval.tier]?.quorum ?? 1,
  };
}

/**
 * The approval message: the same reply is posted once and then updated in place after every change. An approval
 * waiting for a change window says when it runs (`whenOf`).
 */
export function approvalReply(approval: Approval, nameOf: NameOf, whenOf: WhenOf = () => null): Reply {
  const { action } = approval;
  const { approvals, quorum } = progressOf(approval);
  const tiers = approval.rule.tiers.length;
  const fields: ReplyField[] = [
    { label: 'Requested by', value: nameOf(approval.requester.person) },
    { label: 'Reason', value: approval.reason },
    { label: 'Target', value: approval.batch ? batchTargetText(approval) : targetText(approval) },
    ...batchFields(approval),
    { label: 'Savings', value: `${formatMoney(action.monthlySavings, action.currency)} per month (estimate)` },
    { label: 'Risk', value: action.risk },
    { label: 'Approvers', value: tierEntries(approval.rule, approval.tier).map(nameOf).join(', ') },
    {
      label: 'Approvals',
      value: `${approvals} of ${quorum}${tiers > 1 ? ` (tier ${approval.tier + 1} of ${tiers})` : ''}`,
    },
  ];
  if (approval.votes.length > 0) fields.push({ label: 'Votes', value: votesText(approval, nameOf) });
  const pending = approval.state === 'PENDING';
  const when = whenOf(approval);
  if (when) fields.push({ label: 'Scheduled for', value: when });
  fields.push(...undoFields(approval));
  return {
    kind: 'answer',
    title: `Approval ${approval.id}: ${action.summary}`,
    text: when
      ? `Approved: scheduled for ${when}, when the next change window opens`
      : `${STATE_TEXT[approval.state]}${outcomeText(approval)}`,
    fields,
    context: [
      pending
        ? `Expires ${approval.expiresAt.slice(0, 16).replace('T', ' ')} UTC · the requester ${approval.rule.requesterMayVote ? 'may' : 'may not'} vote`
        : `Decided ${approval.decidedAt?.slice(0, 16).replace('T', ' ') ?? ''} UTC`,
      ...(when ? [`Outside the change windows: the requester can \`cancel ${approval.id}\` until it starts`] : []),
      ...(pending && action.kind === 'release_address' ? [RELEASE_UNDO_WARNING] : []),
    ],
    buttons: pending
      ? [
          { actionId: ACTIONS.APPROVE, label: 'Approve', value: approval.id, style: 'primary' },
          { actionId: ACTIONS.REJECT, label: 'Reject', value: approval.id, style: 'danger' },
          { actionId: ACTIONS.DETAILS, label: 'Details', value: approval.id },
        ]
      : [
          ...undoButtons(approval),
          ...batchUndoButtons(approval),
          { actionId: ACTIONS.DETAILS, label: 'Details', value: approval.id },
        ],
    data: approvalData(approval),
    visibility: 'channel',
  };
}

function targetText(approval: Approval): string {
  const { target, facts } = approval.action;
  const bits = [`${target.resourceId}`];
  if (facts.name) bits.push(`"${facts.name}"`);
  if (facts.resourceType === 'instance') bits.push(facts.instanceType, facts.state);
  if (facts.resourceType === 'volume') bits.push(`${facts.sizeGiB} GiB ${facts.volumeType}`, facts.state);
  if (facts.resourceType === 'address') bits.push(facts.publicIp);
  return `${bits.join(', ')} · account ${target.accountId} · ${target.region}`;
}

function votesText(approval: Approval, nameOf: NameOf): string {
  return approval.votes
    .map((v) => `${v.decision === 'approve' ? '✓' : '✗'} ${nameOf(v.voter.person)}${v.reason ? `: ${v.reason}` : ''}`)
    .join('\n');
}

function outcomeText(approval: Approval): string {
  const ex = approval.execution;
  if (approval.state === 'SUCCEEDED' && ex) {
    const rollback = ex.rollback ? ` Rollback: ${ex.rollback.note}` : '';
    return ` (${ex.steps.join(', ')}).${verificationText(ex.verification)}${rollback}`;
  }
  if (approval.state === 'FAILED') return `: ${ex?.reason ?? approval.decision?.reason ?? 'unknown reason'}`;
  if (approval.decision && approval.state !== 'APPROVED' && approval.state !== 'EXECUTING')
    return ` (${approval.decision.reason})`;
  return '';
}

/** What the check after the action found: ` Confirmed 10:04 UTC: i-0abc stopped.` or ` Not confirmed: ….` */
function verificationText(v: Verification | undefined): string {
  if (!v) return '';
  return v.confirmed ? ` Confirmed ${v.at.slice(11, 16)} UTC: ${v.state}.` : ` Not confirmed: ${v.reason}.`;
}

/** The machine-readable part (`tally ask --json`). */
export function approvalData(approval: Approval): Record<string, unknown> {
  const { approvals, quorum } = progressOf(approval);
  return {
    id: approval.id,
    state: approval.state,
    kind: approval.action.kind,
    resourceId: approval.action.target.resourceId,
    region: approval.action.target.region,
    accountId: approval.action.target.accountId,
    risk: approval.action.risk,
    monthlySavings: approval.action.monthlySavings,
    requester: approval.requester.person,
    approvals,
    quorum,
    tier: approval.tier,
    votes: approval.votes.map((v) => ({ voter: v.voter.person, decision: v.decision, reason: v.reason ?? null })),
    execution: approval.execution ?? null,
    scheduledFor: approval.scheduledFor ?? null,
  };
}
