import { CARD_VERBS } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { answerVote } from './approval-view.js';
import { onApprovalClick } from './card-click.js';

/** Approve (`Action.Execute`, verb `approve`, `data.id`): one approve vote by the clicker. */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.APPROVE, (click) => approvalApprove(click, deps));
}

export async function approvalApprove(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onApprovalClick(click, deps, async (a) => {
    const vote = await a.approvals.vote({ approvalId: a.approvalId, voter: a.viewer, decision: 'approve' });
    await answerVote(click, deps, a, vote, 'approve');
  });
}
