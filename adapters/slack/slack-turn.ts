import type { Turn } from '../../src/conversation/turn.types.js';

/** Removes the leading `<@UBOT>` mention(s) of the bot from a message. */
export function stripMention(text: string, botUserId: string | undefined): string {
  const mention = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(mention, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * A Turn from Slack. The conversation is the thread: (team, channel, thread ts), or the message itself when it
 * starts a thread (the agent's memory is keyed on it).
 */
export function slackTurn(p: {
  team?: string | undefined;
  channel: string;
  user: string;
  /** The user's Slack name, when the payload carries it (block actions do). */
  userName?: string | undefined;
  text: string;
  threadTs?: string | undefined;
}): Turn {
  return {
    user: { id: p.user, ...(p.userName ? { name: p.userName } : {}) },
    location: {
      platform: 'slack',
      ...(p.team ? { workspace: p.team } : {}),
      channel: p.channel,
      ...(p.threadTs ? { thread: p.threadTs } : {}),
    },
    text: p.text,
  };
}
