import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import { renderMessage } from '../../render-blocks.js';
import type { SlackListenerDeps } from '../../slack-deps.types.js';
import { onAlertClick } from './alert-click.js';
import type { ButtonArgs } from './approval-click.js';

/** "Mute 7 days" on an alert: the series is muted, the clicker is told privately, and the alert's thread says so. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.ALERT_MUTE }, async (args) =>
    alertMute(args, deps),
  );
}

/** Mutes through the core (7 days), answers the clicker, then posts the core's note into the alert's thread. */
export async function alertMute(args: ButtonArgs, deps: SlackListenerDeps): Promise<void> {
  const { client } = args;
  await onAlertClick(args, deps, async ({ alerts, anomalyId, user, message, reply }) => {
    const outcome = await alerts.mute(anomalyId, user);
    await reply(outcome.reply);
    if (!outcome.note || !message) return;
    const { text, blocks } = renderMessage(outcome.note);
    await client.chat.postMessage({
      channel: message.channel,
      thread_ts: message.threadTs,
      text,
      blocks,
      unfurl_links: false,
    });
  });
}
