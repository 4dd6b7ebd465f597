import { CARD_VERBS } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { answerWithView } from './approval-view.js';
import { onApprovalClick } from './card-click.js';

/** Details (verb `details`): the approval's details and audit trail, as the clicker's own view of the card. */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.DETAILS, (click) => approvalDetails(click, deps));
}

/** Only the clicker sees it; the card's `refresh` brings their usual view back the next time it is shown. */
export async function approvalDetails(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onApprovalClick(click, deps, async (a) => {
    await answerWithView(click, a, await a.approvals.details(a.approvalId, a.viewer), { canVote: false });
  });
}
