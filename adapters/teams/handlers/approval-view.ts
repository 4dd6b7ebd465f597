import type { Reply } from '../../../src/shared/reply.types.js';
import { type ApprovalViewer, renderApprovalCard } from '../render-card.js';
import type { CardClick } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import type { ApprovalClick } from './card-click.js';
import { replyText } from './post-reply.js';

/**
 * The approval as it reads now: the approval message when the core gives it (`TeamsDeps.approvalMessage`), else
 * its details (the same fields, with the audit trail and without buttons).
 */
export async function currentApproval(deps: TeamsDeps, a: ApprovalClick): Promise<Reply> {
  return deps.approvalMessage ? deps.approvalMessage(a.approvalId) : a.approvals.details(a.approvalId, a.viewer);
}

/**
 * Answers with the clicker's own view of an approval card (Universal Actions user-specific view). Its `refresh`
 * names the clicker (their `29:` id, as Teams wants it), so their client keeps asking for their view.
 */
export async function answerWithView(
  click: CardClick,
  a: ApprovalClick,
  reply: Reply,
  viewer: Omit<ApprovalViewer, 'userId'>,
): Promise<void> {
  const userIds = [click.ctx.activity.from?.id ?? a.viewer.id];
  const card = renderApprovalCard(reply, { userId: a.viewer.id, ...viewer }, { approvalId: a.approvalId, userIds });
  await click.respond.card(card);
}

/**
 * Answers a vote: when it was counted, the clicker's view of the approval as it now reads (their vote in it);
 * otherwise the core's answer (why nothing changed) as a message. Every shared approval message is updated by the
 * core through the messenger, not here.
 */
export async function answerVote(
  click: CardClick,
  deps: TeamsDeps,
  a: ApprovalClick,
  vote: Reply,
  decision: 'approve' | 'reject',
): Promise<void> {
  const counted = vote.data?.counted === true;
  if (!counted || !deps.approvalMessage) return click.respond.message(replyText(vote));
  await answerWithView(click, a, await deps.approvalMessage(a.approvalId), { canVote: false, votedAs: decision });
}
