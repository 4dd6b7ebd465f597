import type { ChatMessenger, PostedMessage } from '../src/approvals/chat-messenger.port.js';
import type { Reply } from '../src/shared/reply.types.js';

/** One message the bench's chat platform received, with when (epoch ms). */
export interface TimedMessage {
  op: 'post' | 'update' | 'direct';
  channel: string;
  messageId: string;
  thread?: string;
  reply: Reply;
  at: number;
}

/**
 * An in-process chat platform for the approvals bench: records every post, update and direct message with the time
 * it was sent (the bench cannot import tests/support/recording-messenger.ts, which the build leaves out).
 */
export class TimedMessenger implements ChatMessenger {
  readonly platform = 'slack' as const;
  readonly sent: TimedMessage[] = [];
  private seq = 0;

  async post(channel: string, reply: Reply, thread?: string): Promise<PostedMessage> {
    const messageId = `${++this.seq}.000100`;
    this.sent.push({ op: 'post', channel, messageId, ...(thread ? { thread } : {}), reply, at: Date.now() });
    return { channel, messageId };
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    this.sent.push({ op: 'update', channel: message.channel, messageId: message.messageId, reply, at: Date.now() });
  }

  async direct(userId: string, reply: Reply): Promise<void> {
    this.sent.push({ op: 'direct', channel: userId, messageId: `${++this.seq}.000200`, reply, at: Date.now() });
  }

  async groupMembers(): Promise<string[]> {
    return [];
  }
}
