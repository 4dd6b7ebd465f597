import type { Reply } from '../shared/reply.types.js';

/** A message Tally posted: where, and the platform's id for it. */
export interface PostedMessage {
  channel: string;
  messageId: string;
}

/**
 * Proactive chat messages (not answers to a turn): approval requests and their updates, thread entries, reminders.
 * One per platform (Slack on the Web API; Teams on stored conversation references).
 */
export interface ChatMessenger {
  readonly platform: 'slack' | 'teams';
  /** Posts a reply to a channel, or into a thread of it. */
  post(channel: string, reply: Reply, thread?: string): Promise<PostedMessage>;
  /** Replaces a posted message. */
  update(message: PostedMessage, reply: Reply): Promise<void>;
  /** A direct message to a user of this platform. */
  direct(userId: string, reply: Reply): Promise<void>;
  /** The members of a platform user group (e.g. a Slack user group `S0123ABC`). */
  groupMembers(groupId: string): Promise<string[]>;
}
