import type { ChatMessenger, PostedMessage } from '../../src/approvals/chat-messenger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';

export interface RecordedMessage {
  op: 'post' | 'update' | 'direct';
  channel: string;
  messageId: string;
  thread?: string;
  reply: Reply;
}

/**
 * An in-process chat platform for tests of the approval core: records what would be posted, updated and sent
 * directly (the real Slack messenger is tested against the Slack Web API fake in tests/integration).
 */
export class RecordingMessenger implements ChatMessenger {
  readonly sent: RecordedMessage[] = [];
  private seq = 0;

  constructor(
    private readonly groups: Record<string, string[]> = {},
    readonly platform: 'slack' | 'teams' = 'slack',
  ) {}

  async post(channel: string, reply: Reply, thread?: string): Promise<PostedMessage> {
    const messageId = `${++this.seq}.000100`;
    this.sent.push({ op: 'post', channel, messageId, ...(thread ? { thread } : {}), reply });
    return { channel, messageId };
  }

  async update(message: PostedMessage, reply: Reply): Promise<void> {
    this.sent.push({ op: 'update', channel: message.channel, messageId: message.messageId, reply });
  }

  async direct(userId: string, reply: Reply): Promise<void> {
    this.sent.push({ op: 'direct', channel: userId, messageId: `${++this.seq}.000200`, reply });
  }

  async groupMembers(groupId: string): Promise<string[]> {
    return this.groups[groupId] ?? [];
  }

  /** Direct messages to one user. */
  directTo(userId: string): RecordedMessage[] {
    return this.sent.filter((m) => m.op === 'direct' && m.channel === userId);
  }

  /** The latest version of a posted message (its last update, else the post). */
  latest(messageId: string): Reply | undefined {
    return this.sent.filter((m) => m.messageId === messageId && m.op !== 'direct').at(-1)?.reply;
  }
}
