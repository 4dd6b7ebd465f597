import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { delay, postAnswer } from '../../post-reply.js';
import { renderEphemeralText } from '../../render-blocks.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn } from '../../slack-turn.js';
import { failSafely } from '../fail-safely.js';

/**
 * Within Slack's 3 seconds (REFERENCE.md §1.3) the command is acked either with its answer, when that answer is for
 * the asker only (help, usage, errors), or empty; channel answers are then posted with chat.postMessage.
 */
const ACK_BUDGET_MS = 1500;

/** `/cost <command>`: the whole command language in one slash command. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.command('/cost', async (args) => costCommand(args, deps));
}

export async function costCommand(
  { command, ack, client, respond }: AllMiddlewareArgs & SlackCommandMiddlewareArgs,
  deps: SlackListenerDeps,
): Promise<void> {
  if (!(await deps.dedupe.claim(`slack:command:${command.trigger_id}`, DEDUPE_TTL_SECONDS))) {
    await ack();
    return;
  }
  const turn = slackTurn({
    team: command.team_id,
    channel: command.channel_id,
    user: command.user_id,
    text: command.text,
  });
  const work = deps.handleTurn(turn);
  const early = await Promise.race([work, delay(ACK_BUDGET_MS)]);
  if (early?.visibility === 'ephemeral') {
    await ack(renderEphemeralText(early));
    return;
  }
  await ack();
  await failSafely(
    deps.logger,
    { channel: command.channel_id, user: command.user_id },
    respondEphemeral(respond),
    async () => {
      const result = await postAnswer({ channel: command.channel_id, command: command.text }, work, {
        client,
        charts: deps.charts,
        logger: deps.logger,
        progressAfterMs: Math.max(0, (deps.progressAfterMs ?? 1000) - ACK_BUDGET_MS),
        ephemeral: async (reply) => {
          await respond(renderEphemeralText(reply));
        },
      });
      if (!result.ok) await respond({ response_type: 'ephemeral', text: result.problem });
    },
  );
}

function respondEphemeral(respond: SlackCommandMiddlewareArgs['respond']) {
  return async (text: string) => {
    await respond({ response_type: 'ephemeral', text });
  };
}
