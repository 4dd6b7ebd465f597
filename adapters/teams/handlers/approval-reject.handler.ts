import { CARD_VERBS, REJECT_REASON_INPUT } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { answerVote } from './approval-view.js';
import { onApprovalClick } from './card-click.js';

/** Reject (verb `reject`): the card's reason input arrives with the vote in `data.reason`. */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.REJECT, (click) => approvalReject(click, deps));
}

/** One reject vote with its reason; without one the core decides (a policy may require it). */
export async function approvalReject(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onApprovalClick(click, deps, async (a) => {
    const input = click.data[REJECT_REASON_INPUT];
    const reason = typeof input === 'string' ? input.trim() : '';
    const vote = await a.approvals.vote({
      approvalId: a.approvalId,
      voter: a.viewer,
      decision: 'reject',
      ...(reason ? { reason } : {}),
    });
    await answerVote(click, deps, a, vote, 'reject');
  });
}
