import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { TeamsBot } from '../teams-bot.js';
import { DEDUPE_TTL_SECONDS, type TeamsDeps } from '../teams-deps.types.js';
import { mentionsBot, messageText, splitConversationId, teamsTurn } from '../teams-turn.js';
import { failSafely } from './fail-safely.js';
import { answerTurn } from './post-reply.js';
import { saveReferences } from './save-references.js';

/**
 * A message to Tally: in a personal chat, or mentioning it in a channel or group chat. Answered in the conversation
 * (a channel's reply chain), with a typing indicator first.
 */
export function register(bot: TeamsBot, deps: TeamsDeps): void {
  bot.onMessage((ctx) => message(ctx, deps));
}

export async function message(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = ctx;
  // First contact: the reference lets Tally write here later (alerts, digests, approvals).
  await saveReferences(ctx, deps);
  const personal = activity.conversation?.conversationType === 'personal';
  // In channels and group chats Teams delivers mentions only; anything else (with RSC permissions) is not for Tally.
  if (!personal && !mentionsBot(activity)) return;
  const text = messageText(activity);
  if (!text) return;
  // A redelivered activity (the channel retries when the answer took too long) is answered once.
  const { conversation } = splitConversationId(activity.conversation?.id ?? '');
  if (!(await deps.dedupe.claim(`teams:activity:${conversation}:${activity.id}`, DEDUPE_TTL_SECONDS))) return;
  const context = { conversation, activityId: activity.id, user: activity.from?.aadObjectId ?? activity.from?.id };
  const tell = async (t: string) => {
    await ctx.sendActivity({ type: ActivityTypes.Message, text: t });
  };
  await failSafely(deps.logger, context, tell, async () => {
    await ctx.sendActivity({ type: ActivityTypes.Typing }).catch((err: unknown) => {
      deps.logger.debug({ err, ...context }, 'could not show the typing indicator');
    });
    await answerTurn(ctx, deps, teamsTurn(activity, text), text);
  });
}
