import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../src/shared/logger.port.js';
import type { SlackMessage } from './render-blocks.js';

/**
 * A message for one user when there is no `response_url` to answer through (a modal submission): ephemeral in
 * `channel` (`chat.postEphemeral`), or, when there is no channel or Slack refuses (e.g. Tally left it), a DM
 * (`conversations.open` with `im:write`, then `chat.postMessage`).
 */
export async function postPrivately(
  client: WebClient,
  target: { channel?: string | undefined; user: string },
  message: Pick<SlackMessage, 'text'> & Partial<Pick<SlackMessage, 'blocks'>>,
  logger: Logger,
): Promise<void> {
  const content = { text: message.text, ...(message.blocks?.length ? { blocks: message.blocks } : {}) };
  if (target.channel) {
    try {
      await client.chat.postEphemeral({ channel: target.channel, user: target.user, ...content });
      return;
    } catch (err) {
      logger.warn({ err, channel: target.channel, user: target.user }, 'ephemeral message failed; sending a DM');
    }
  }
  const dm = await client.conversations.open({ users: target.user });
  await client.chat.postMessage({ channel: dm.channel?.id ?? target.user, ...content });
}
