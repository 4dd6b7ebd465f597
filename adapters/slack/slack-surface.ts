import type { FilesUploadV2Arguments, WebClient } from '@slack/web-api';
import type { ChatFile, ChatSurface, FormSpec, SurfaceCapabilities } from '../../src/conversation/chat-surface.port.js';
import type { MessageRef } from '../../src/conversation/inbound.types.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Logger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { renderMessage } from './render-blocks.js';
import { renderFormModal } from './render-form.js';
import { channelProblemText, slackErrorCode, slackErrorKind } from './slack-errors.js';
import { SlackMessenger } from './slack-messenger.js';

/**
 * How a Slack event answers the person alone: through the `response_url` (slash commands, buttons), as an
 * ephemeral message in the channel (mentions), ephemeral or else a DM (a submitted modal), or not at all (a DM,
 * where only the person reads anyway, so everything is posted).
 */
export type PrivateRoute =
  | { kind: 'respond'; respond: (body: Record<string, unknown>) => Promise<unknown> }
  | { kind: 'ephemeral'; dmFallback: boolean }
  | { kind: 'none' };

export interface SlackTarget {
  client: WebClient;
  logger: Logger;
  channel?: string | undefined;
  /** The thread answers go into; absent: the channel. */
  thread?: string | undefined;
  user: string;
  privately: PrivateRoute;
  /** A block action's `trigger_id`, which lets it open a modal for about 3 s. */
  triggerId?: string | undefined;
}

/**
 * One Slack event's way back (docs/architecture.md#the-chat-core): Block Kit posts and in-place updates, ephemeral
 * answers, modals, and files into the thread. A refusal to post where the person asked (Tally not in the channel)
 * is a `CHAT_FAILED` carrying what to tell them.
 */
export class SlackSurface implements ChatSurface {
  readonly capabilities: SurfaceCapabilities;

  constructor(private readonly t: SlackTarget) {
    this.capabilities = {
      privateReplies: t.privately.kind !== 'none',
      updates: true,
      forms: Boolean(t.triggerId),
      charts: 'file',
      files: true,
      personalViews: false,
    };
  }

  async replyPrivately(reply: Reply): Promise<void> {
    const { client, channel, user, thread, privately } = this.t;
    const message = renderMessage(reply);
    if (privately.kind === 'respond') {
      await privately.respond({ response_type: 'ephemeral', replace_original: false, ...message });
      return;
    }
    if (privately.kind === 'none' && channel) {
      await this.post(reply);
      return;
    }
    try {
      if (!channel) throw new TallyError('CHAT_FAILED', 'no channel for an ephemeral message');
      await client.chat.postEphemeral({ channel, user, ...message, ...(thread ? { thread_ts: thread } : {}) });
    } catch (err) {
      if (privately.kind === 'ephemeral' && !privately.dmFallback) throw err;
      this.t.logger.warn({ err, channel, user }, 'ephemeral message failed; sending a DM');
      await new SlackMessenger(client).direct(user, reply);
    }
  }

  async post(reply: Reply): Promise<MessageRef> {
    const { client, thread } = this.t;
    const { text, blocks } = renderMessage(reply);
    const res = await edge(() =>
      client.chat.postMessage({
        channel: this.channel(),
        text,
        blocks,
        ...(thread ? { thread_ts: thread } : {}),
        unfurl_links: false,
      }),
    );
    const ts = String(res.ts);
    return { id: ts, thread: thread ?? ts };
  }

  async update(message: MessageRef, reply: Reply): Promise<void> {
    const { text, blocks } = renderMessage(reply);
    await edge(() => this.t.client.chat.update({ channel: this.channel(), ts: message.id, text, blocks }));
  }

  async remove(message: MessageRef): Promise<void> {
    await edge(() => this.t.client.chat.delete({ channel: this.channel(), ts: message.id }));
  }

  async openForm(form: FormSpec): Promise<'opened' | 'expired'> {
    if (!this.t.triggerId) return 'expired';
    try {
      await this.t.client.views.open({ trigger_id: this.t.triggerId, view: renderFormModal(form) });
      return 'opened';
    } catch (err) {
      if (slackErrorCode(err) === 'expired_trigger_id') return 'expired';
      throw err;
    }
  }

  async attachFile(file: ChatFile, near?: MessageRef): Promise<void> {
    const thread = this.t.thread ?? near?.id;
    const common = {
      channel_id: this.channel(),
      ...(thread ? { thread_ts: thread } : {}),
      filename: file.filename,
      title: file.title,
      ...(file.altText ? { alt_text: file.altText } : {}),
    };
    const body = typeof file.content === 'string' ? { content: file.content } : { file: Buffer.from(file.content) };
    // The union of upload shapes does not narrow on the optional thread; this is one of its members.
    await this.t.client.filesUploadV2({ ...common, ...body } as FilesUploadV2Arguments);
  }

  /** Slack has no personal views of a message: the view is answered privately. */
  showPersonalView(reply: Reply): Promise<void> {
    return this.replyPrivately(reply);
  }

  private channel(): string {
    if (!this.t.channel) throw new TallyError('CHAT_FAILED', 'this Slack event has no channel to post in');
    return this.t.channel;
  }
}

/** A Web API call where Slack may refuse the channel: that refusal carries what to tell the person. */
async function edge<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const userMessage = channelProblemText(slackErrorKind(err));
    if (!userMessage) throw err;
    throw new TallyError('CHAT_FAILED', `Slack refused the post: ${slackErrorCode(err)}`, {
      cause: err,
      metadata: { slackError: slackErrorCode(err), userMessage },
    });
  }
}
