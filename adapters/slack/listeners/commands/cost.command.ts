import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { renderEphemeralText } from '../../render-blocks.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn } from '../../slack-turn.js';
import { ANSWERS } from '../../work-queue.js';
import { answerTurn } from '../answer-turn.js';
import { failSafely } from '../fail-safely.js';

/**
 * Slack wants the ack within 3 seconds: it is sent first, empty, before any work. Channel answers
 * are then posted with chat.postMessage (a slow one as "working on it", updated in place); answers for the asker only
 * (help, usage, errors) go back through the command's `response_url` as ephemeral messages.
 */
/** `/cost <command>`: the whole command language in one slash command. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.command('/cost', async (args) => costCommand(args, deps));
}

export async function costCommand(
  { command, ack, client, respond }: AllMiddlewareArgs & SlackCommandMiddlewareArgs,
  deps: SlackListenerDeps,
): Promise<void> {
  await ack();
  if (!(await deps.dedupe.claim(`slack:command:${command.trigger_id}`, DEDUPE_TTL_SECONDS))) return;
  const turn = slackTurn({
    team: command.team_id,
    channel: command.channel_id,
    user: command.user_id,
    text: command.text,
  });
  const context = { channel: command.channel_id, user: command.user_id };
  await ANSWERS.run(() =>
    failSafely(deps.logger, context, respondEphemeral(respond), async () => {
      const result = await answerTurn(deps, client, {
        target: { channel: command.channel_id, command: command.text },
        turn,
        ephemeral: async (reply) => {
          await respond(renderEphemeralText(reply));
        },
      });
      if (!result.ok) await respond({ response_type: 'ephemeral', text: result.problem });
    }),
  );
}

function respondEphemeral(respond: SlackCommandMiddlewareArgs['respond']) {
  return async (text: string) => {
    await respond({ response_type: 'ephemeral', text });
  };
}
