import { CARD_VERBS } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { teamsTurn } from '../teams-turn.js';
import { onAlertClick } from './card-click.js';
import { answerTurn, replyText } from './post-reply.js';

/** Investigate on an alert card (verb `alert_investigate`, `data.id`: the anomaly id). */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.ALERT_INVESTIGATE, (click) => alertInvestigate(click, deps));
}

/**
 * Asks the core which command explains the anomaly and runs it as the clicker's turn in the alert's reply chain,
 * so that follow-up questions there continue the same conversation.
 */
export async function alertInvestigate(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onAlertClick(click, deps, async ({ alerts, anomalyId }) => {
    const outcome = await alerts.investigate(anomalyId);
    if ('reply' in outcome) return click.respond.message(replyText(outcome.reply));
    await answerTurn(click.ctx, deps, teamsTurn(click.ctx.activity, outcome.command), outcome.command);
    await click.respond.message('The investigation is in the conversation.');
  });
}
