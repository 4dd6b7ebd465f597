import type { TurnLocation } from '../../src/conversation/turn.types.js';

/** Removes the leading `<@UBOT>` mention(s) of the bot from a message. */
export function stripMention(text: string, botUserId: string | undefined): string {
  const mention = botUserId ? new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;
  return text.replace(mention, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Where a Slack event happened. The conversation is the thread: (team, channel, thread ts), or the message itself
 * when it starts a thread (the agent's memory is keyed on it).
 */
export function slackLocation(team?: string, channel?: string, thread?: string): TurnLocation {
  return {
    platform: 'slack',
    ...(team ? { workspace: team } : {}),
    ...(channel ? { channel } : {}),
    ...(thread ? { thread } : {}),
  };
}
