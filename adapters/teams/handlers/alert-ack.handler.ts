import { ActivityTypes } from 'botbuilder';
import { CARD_VERBS, renderCard, toAttachment } from '../render-card.js';
import type { CardClick, TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { onAlertClick } from './card-click.js';
import { replyText } from './post-reply.js';

/** Acknowledge on an alert card (verb `alert_ack`, `data.id`: the anomaly id). */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onCardAction(CARD_VERBS.ALERT_ACK, (click) => alertAcknowledge(click, deps));
}

/**
 * Acknowledges through the core. The alert card then reads as the core says (who acknowledged it): it is replaced
 * for everyone (`updateActivity` of the message holding it, `activity.replyToId`) and answered to the clicker. A
 * failed update is logged: the acknowledgement is recorded either way. An unknown alert gets the core's message.
 */
export async function alertAcknowledge(click: CardClick, deps: TeamsDeps): Promise<void> {
  await onAlertClick(click, deps, async ({ alerts, anomalyId, user }) => {
    const outcome = await alerts.acknowledge(anomalyId, user);
    if (!outcome.message) return click.respond.message(replyText(outcome.reply));
    const card = renderCard(outcome.message);
    const { ctx } = click;
    const messageId = ctx.activity.replyToId;
    if (messageId)
      await ctx
        .updateActivity({ id: messageId, type: ActivityTypes.Message, attachments: [toAttachment(card)] })
        .catch((err: unknown) => deps.logger.warn({ err, anomalyId, messageId }, 'could not update the alert card'));
    await click.respond.card(card);
  });
}
