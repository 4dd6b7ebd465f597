import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { ChatMessenger, PostedMessage } from '../../src/approvals/chat-messenger.port.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Logger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { renderMessage } from './render-blocks.js';
import { handleSlackError } from './slack-errors.js';
import { toSlackLogger } from './slack-logger.js';

export interface SlackMessengerConfig {
  /** The bot token (`xoxb-…`); needs `chat:write`, `im:write` (DMs) and `usergroups:read` (user groups). */
  botToken: string;
  /** Web API base, e.g. a loopback fake in tests. @defaultValue `https://slack.com/api/` */
  apiUrl?: string;
  /**
   * Web API retries. Tests pass 0: the default makes a failing fake hang the test.
   * @defaultValue the client's own policy (`tenRetriesInAboutThirtyMinutes`): proactive messages can wait out an outage
   */
  retries?: number;
  logger: Logger;
}

/**
 * Runs one Web API call; a failure becomes a `CHAT_FAILED` TallyError naming the method (docs/architecture.md#errors).
 */
async function call<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    handleSlackError(err, operation);
  }
}

/** A reply Slack accepted but that came back without what Tally needs (e.g. no `ts`). */
function incomplete(operation: string, missing: string): TallyError {
  return new TallyError('CHAT_FAILED', `Slack ${operation} answered without ${missing}`, {
    metadata: { operation, slackError: `missing_${missing}` },
  });
}

/**
 * Proactive Slack messages on the Web API: approval requests and their in-place updates, DMs to approvers, user
 * group members. Replies are rendered as Block Kit with a text fallback (`renderMessage`). Every failure is a
 * TallyError `CHAT_FAILED` with metadata `{ operation, slackError }`.
 */
export class SlackMessenger implements ChatMessenger {
  readonly platform = 'slack' as const;

  constructor(private readonly client: WebClient) {}

  /** `chat.postMessage` to a channel (or into `thread`); the message id is Slack's `ts`. */
  async post(channel: string, reply: Reply, thread?: string): Promise<PostedMessage> {
    const { text, blocks } = renderMessage(reply);
    const res = await call('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel,
        text,
        blocks,
        ...(thread ? { thread_ts: thread } : {}),
        unfurl_links: false,
      }),
    );
    if (!res.ts) throw incomplete('chat.postMessage', 'ts');
    // Posting to a user id lands in a DM whose id Slack returns; chat.update needs that id.
    return { channel: res.channel ?? channel, messageId: res.ts };
  }

  /** `chat.update` of a message posted before. */
  async update(message: PostedMessage, reply: Reply): Promise<void> {
    const { text, blocks } = renderMessage(reply);
    await call('chat.update', () =>
      this.client.chat.update({ channel: message.channel, ts: message.messageId, text, blocks }),
    );
  }

  /** `conversations.open` with the user (needs `im:write`), then `chat.postMessage` into that DM. */
  async direct(userId: string, reply: Reply): Promise<void> {
    const opened = await call('conversations.open', () => this.client.conversations.open({ users: userId }));
    const channel = opened.channel?.id;
    if (!channel) throw incomplete('conversations.open', 'channel');
    await this.post(channel, reply);
  }

  /** `usergroups.users.list` (needs `usergroups:read`): the user ids of a user group such as `S0123ABC`. */
  async groupMembers(groupId: string): Promise<string[]> {
    const res = await call('usergroups.users.list', () => this.client.usergroups.users.list({ usergroup: groupId }));
    return res.users ?? [];
  }
}

/**
 * A {@link SlackMessenger} on its own `WebClient`.
 * @example
 * const messenger = createSlackMessenger({ botToken: config.slack.botToken, logger });
 * const posted = await messenger.post('C0123', approvalReply);
 */
export function createSlackMessenger(config: SlackMessengerConfig): SlackMessenger {
  const options: WebClientOptions = {
    logger: toSlackLogger(config.logger),
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(config.retries === undefined ? {} : { retryConfig: { retries: config.retries } }),
  };
  return new SlackMessenger(new WebClient(config.botToken, options));
}
