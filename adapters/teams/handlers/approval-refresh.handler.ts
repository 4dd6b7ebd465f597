import { CARD_VERBS } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { answerWithView, currentApproval } from './approval-view.js';
import { onApprovalClick } from './card-click.js';

/** The approval card's refresh (verb `refresh`, `trigger: 'automatic'` when Teams asks on display). */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.REFRESH, (click) => approvalRefresh(click, deps));
}

/**
 * Answers the viewer's own view: the vote buttons only for someone who may vote now (the core's
 * `checkVoter`), the progress for everyone else.
 */
export async function approvalRefresh(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onApprovalClick(click, deps, async (a) => {
    const [reply, check] = await Promise.all([
      currentApproval(deps, a),
      a.approvals.checkVoter(a.approvalId, a.viewer),
    ]);
    await answerWithView(click, a, reply, { canVote: check.ok });
  });
}
