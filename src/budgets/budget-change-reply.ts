import type { NameOf } from '../approvals/approval-reply.js';
import { tierEntries } from '../approvals/approvers.js';
import { ACTIONS } from '../shared/action-ids.js';
import { formatMoney } from '../shared/money.js';
import type { Reply, ReplyItem } from '../shared/reply.types.js';
import type { BudgetChange, BudgetChangeState } from './budget-change.types.js';

const STATE_TEXT: Record<BudgetChangeState, string> = {
  PENDING: 'Waiting for approval',
  APPROVED: 'Approved: the budget is changed',
  REJECTED: 'Rejected: the budget is unchanged',
  EXPIRED: 'Expired without a decision: the budget is unchanged',
  CANCELLED: 'Cancelled by the requester: the budget is unchanged',
};

/** Approve votes so far and the quorum of the current tier. */
export function changeProgress(change: BudgetChange): { approvals: number; quorum: number } {
  return {
    approvals: change.votes.filter((v) => v.decision === 'approve').length,
    quorum: change.rule.tiers[change.tier]?.quorum ?? 1,
  };
}

/** `12,000.00 USD → 15,000.00 USD for December 2026 only` (or `from now on`). */
export function changeText(change: BudgetChange): string {
  const scope = change.oneOff ? `for ${change.oneOff.label} only` : 'from now on';
  return `${formatMoney(change.oldAmount, change.currency)} → ${formatMoney(change.newAmount, change.currency)} ${scope}`;
}

/** One line for audit entries and lists: `payments-team: 12,000.00 USD → 15,000.00 USD from now on`. */
export function changeSummary(change: BudgetChange): string {
  return `budget ${change.budget}: ${changeText(change)}`;
}

/**
 * The budget change's card, posted once and updated in place: the budget, its spend and forecast when requested, the
 * old and new amounts, the reason, and Approve / Reject / Details as on an action's approval.
 */
export function budgetChangeReply(change: BudgetChange, nameOf: NameOf): Reply {
  const { approvals, quorum } = changeProgress(change);
  const tiers = change.rule.tiers.length;
  const money = (n: number) => formatMoney(n, change.currency);
  const pending = change.state === 'PENDING';
  return {
    kind: 'answer',
    title: `Budget change ${change.id}: ${change.budget}`,
    text: `${STATE_TEXT[change.state]}${!pending && change.decision ? ` (${change.decision.reason})` : ''}`,
    fields: [
      { label: 'Change', value: changeText(change) },
      { label: 'Reason', value: change.reason },
      { label: 'Requested by', value: nameOf(change.requester.person) },
      { label: `Spent (${change.figures.period})`, value: money(change.figures.spent) },
      {
        label: 'Forecast',
        value: `${money(change.figures.forecast)} (${percent(change.figures.forecast, change.oldAmount)} of ${money(change.oldAmount)})`,
      },
      { label: 'Approvers', value: tierEntries(change.rule, change.tier).map(nameOf).join(', ') },
      {
        label: 'Approvals',
        value: `${approvals} of ${quorum}${tiers > 1 ? ` (tier ${change.tier + 1} of ${tiers})` : ''}`,
      },
      ...(change.votes.length ? [{ label: 'Votes', value: votesText(change, nameOf) }] : []),
    ],
    context: [
      pending
        ? `Expires ${change.expiresAt.slice(0, 16).replace('T', ' ')} UTC · the requester may not vote · spend and forecast as of the request`
        : `Decided ${change.decidedAt?.slice(0, 16).replace('T', ' ') ?? ''} UTC`,
    ],
    buttons: pending
      ? [
          { actionId: ACTIONS.APPROVE, label: 'Approve', value: change.id, style: 'primary' },
          { actionId: ACTIONS.REJECT, label: 'Reject', value: change.id, style: 'danger' },
          { actionId: ACTIONS.DETAILS, label: 'Details', value: change.id },
        ]
      : [{ actionId: ACTIONS.DETAILS, label: 'Details', value: change.id }],
    data: budgetChangeData(change),
    visibility: 'channel',
  };
}

/** A pending budget change as an item of `approvals`. */
export function budgetChangeItem(change: BudgetChange, nameOf: NameOf): ReplyItem {
  const { approvals, quorum } = changeProgress(change);
  return {
    title: `${change.id}: ${changeSummary(change)}`,
    fields: [
      { label: 'Requested by', value: nameOf(change.requester.person) },
      { label: 'Forecast', value: formatMoney(change.figures.forecast, change.currency) },
      { label: 'Approvals', value: `${approvals} of ${quorum}` },
      { label: 'Expires', value: `${change.expiresAt.slice(0, 16).replace('T', ' ')} UTC` },
    ],
    button: { actionId: ACTIONS.DETAILS, label: 'Details', value: change.id },
  };
}

/** The machine-readable part (`tally ask --json`). */
export function budgetChangeData(change: BudgetChange): Record<string, unknown> {
  const { approvals, quorum } = changeProgress(change);
  return {
    id: change.id,
    kind: 'budget_change',
    state: change.state,
    budget: change.budget,
    currency: change.currency,
    oldAmount: change.oldAmount,
    newAmount: change.newAmount,
    oneOff: change.oneOff?.period ?? null,
    spent: change.figures.spent,
    forecast: change.figures.forecast,
    requester: change.requester.person,
    approvals,
    quorum,
    tier: change.tier,
    votes: change.votes.map((v) => ({ voter: v.voter.person, decision: v.decision, reason: v.reason ?? null })),
  };
}

function votesText(change: BudgetChange, nameOf: NameOf): string {
  return change.votes
    .map((v) => `${v.decision === 'approve' ? '✓' : '✗'} ${nameOf(v.voter.person)}${v.reason ? `: ${v.reason}` : ''}`)
    .join('\n');
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : 'n/a';
}
