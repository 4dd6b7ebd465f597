import { ACTIONS } from '../../shared/action-ids.js';
import type { Reply } from '../../shared/reply.types.js';
import type { ClickContext } from '../click.types.js';
import { voterOf } from '../click.types.js';

/** How one person sees an approval message: whether they may vote now, and how they voted. */
export interface ApprovalViewer {
  canVote: boolean;
  votedAs?: 'approve' | 'reject';
}

const VOTE_ACTIONS: ReadonlySet<string> = new Set([ACTIONS.APPROVE, ACTIONS.REJECT]);

/**
 * An approval message as one person sees it: someone who may vote and has not gets every button; someone who voted
 * reads "You voted approve" (or reject) and gets no vote buttons; anyone else sees the progress and Details.
 */
function approvalAsSeenBy(reply: Reply, viewer: ApprovalViewer): Reply {
  const mayVote = viewer.canVote && viewer.votedAs === undefined;
  const buttons = reply.buttons?.filter((b) => mayVote || !VOTE_ACTIONS.has(b.actionId));
  const voted = viewer.votedAs ? `You voted ${viewer.votedAs}` : undefined;
  return {
    ...reply,
    ...(buttons ? { buttons } : {}),
    ...(voted ? { text: reply.text ? `${voted}\n${reply.text}` : voted } : {}),
  };
}

/**
 * Shows the clicker an approval: where the surface has personal views, the approval as they see it, which their
 * client refreshes; else `reply` privately.
 */
export async function showApproval({ click, surface }: ClickContext, reply: Reply, viewer: ApprovalViewer) {
  if (!surface.capabilities.personalViews) return surface.replyPrivately(reply);
  const refresh = { actionId: ACTIONS.REFRESH, value: click.value };
  await surface.showPersonalView(approvalAsSeenBy(reply, viewer), { refresh });
}

/**
 * Answers a vote: when it was counted and the surface has personal views, the approval as it now reads, with the
 * clicker's vote; otherwise the core's answer (accepted, or why nothing changed). Shared approval messages are
 * updated by the approval service through the messengers, not here.
 */
export async function answerVote(ctx: ClickContext, vote: Reply, decision: 'approve' | 'reject'): Promise<void> {
  const { surface, features, click } = ctx;
  const counted = vote.data?.counted === true;
  if (!counted || !surface.capabilities.personalViews || !features.approvalMessage) return surface.replyPrivately(vote);
  await showApproval(ctx, await features.approvalMessage(click.value), { canVote: false, votedAs: decision });
}

/** The approvals port of a click whose handler `needs: 'approvals'` (the registry checked it is there). */
export function approvalsOf(ctx: ClickContext) {
  const { approvals } = ctx.features;
  if (!approvals) throw new Error('approvals are not set up');
  return { approvals, approvalId: ctx.click.value, voter: voterOf(ctx.click) };
}
