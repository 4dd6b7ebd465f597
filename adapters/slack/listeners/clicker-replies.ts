import type { RespondFn } from '@slack/bolt';
import type { Reply } from '../../../src/shared/reply.types.js';
import { renderEphemeralText } from '../render-blocks.js';

/** What an approval button answers when `SlackListenerDeps.approvals` is absent. */
export const APPROVALS_NOT_CONFIGURED =
  'Approvals are not set up on this Tally, so this button does nothing yet. Ask whoever runs Tally to configure them.';

/** Private answers to whoever clicked a button. */
export interface ClickerReplies {
  text(text: string): Promise<void>;
  reply(reply: Reply): Promise<void>;
}

/**
 * Answers the clicker alone through the action's `response_url` (`respond()`), as ephemeral messages that never
 * replace the message holding the button: a shared approval message is changed only by the core, via the messenger.
 */
export function clickerReplies(respond: RespondFn): ClickerReplies {
  return {
    text: async (text) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    },
    reply: async (reply) => {
      await respond({ ...renderEphemeralText(reply), replace_original: false });
    },
  };
}
