import { CARD_VERBS } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { onAlertClick } from './card-click.js';
import { postReply, replyText } from './post-reply.js';

/** "Mute 7 days" on an alert card (verb `alert_mute`, `data.id`: the anomaly id). */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.ALERT_MUTE, (click) => alertMute(click, deps));
}

/** Mutes the series through the core (7 days), posts the core's note into the alert's reply chain, tells the clicker. */
export async function alertMute(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onAlertClick(click, deps, async ({ alerts, anomalyId, user }) => {
    const outcome = await alerts.mute(anomalyId, user);
    if (outcome.note) await postReply(click.ctx, deps, outcome.note);
    await click.respond.message(replyText(outcome.reply));
  });
}
