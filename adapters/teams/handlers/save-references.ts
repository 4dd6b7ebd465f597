import type { TurnContext } from 'botbuilder';
import type { TeamsDeps } from '../teams-deps.types.js';
import { saveConversationReferences } from '../teams-messenger.js';

/**
 * Keeps the conversation reference of an activity for proactive messages. A store failure is
 * logged and does not stop the answer: the next message saves it again.
 */
export async function saveReferences(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  try {
    await saveConversationReferences(deps.conversationRefs, ctx.activity);
  } catch (err) {
    deps.logger.warn(
      { err, conversation: ctx.activity.conversation?.id, activityType: ctx.activity.type },
      'could not save the Teams conversation reference',
    );
  }
}
