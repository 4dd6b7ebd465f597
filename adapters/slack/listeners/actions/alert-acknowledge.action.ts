import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import { renderMessage } from '../../render-blocks.js';
import type { SlackListenerDeps } from '../../slack-deps.types.js';
import { onAlertClick } from './alert-click.js';
import type { ButtonArgs } from './approval-click.js';

/** "Acknowledge" on an alert: the alert message says who acknowledged it, and the clicker is told privately. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.ALERT_ACK }, async (args) =>
    alertAcknowledge(args, deps),
  );
}

/**
 * Acknowledges through the core, updates the alert message in place (`chat.update`) with the reply the core gives
 * for it, then answers the clicker. A failed update is logged and does not hide the answer: the acknowledgement is
 * recorded either way, and a later click says who acknowledged it.
 */
export async function alertAcknowledge(args: ButtonArgs, deps: SlackListenerDeps): Promise<void> {
  const { client } = args;
  await onAlertClick(args, deps, async ({ alerts, anomalyId, user, message, reply }) => {
    const outcome = await alerts.acknowledge(anomalyId, user);
    if (outcome.message && message) {
      const { text, blocks } = renderMessage(outcome.message);
      await client.chat.update({ channel: message.channel, ts: message.ts, text, blocks }).catch((err: unknown) => {
        deps.logger.warn({ err, channel: message.channel, anomalyId }, 'could not update the alert message');
      });
    }
    await reply(outcome.reply);
  });
}
