import type { TurnContext } from 'botbuilder';
import type { TeamsBot } from '../teams-bot.js';
import type { TeamsDeps } from '../teams-deps.types.js';
import { saveReferences } from './save-references.js';

/**
 * The app installed in a team, a group chat or for a person (`installationUpdate`), or members changed
 * (`conversationUpdate`): the conversation's reference is kept, so that alerts, digests and approval requests can
 * reach it before anyone has written to Tally there.
 */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onConversationUpdate((ctx) => conversationUpdate(ctx, deps));
}

export async function conversationUpdate(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = ctx;
  // Uninstalling (`action: 'remove'`), or the bot removed from the conversation, leaves nothing to write to.
  if (activity.action === 'remove') return;
  if (activity.membersRemoved?.some((m) => m.id === activity.recipient?.id)) return;
  await saveReferences(ctx, deps);
}
