import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { renderMessage } from '../../render-blocks.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn, stripMention } from '../../slack-turn.js';
import { ANSWERS } from '../../work-queue.js';
import { answerTurn } from '../answer-turn.js';
import { failSafely } from '../fail-safely.js';

/** `@Tally …` in a channel or thread: the answer goes into the thread (the thread is the conversation). */
export function register(app: App, deps: SlackListenerDeps): void {
  app.event('app_mention', async (args) => appMention(args, deps));
}

export async function appMention(
  { event, body, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>,
  deps: SlackListenerDeps,
): Promise<void> {
  // Slack redelivers events it thinks were not acknowledged: answer each event id once.
  if (!(await deps.dedupe.claim(`slack:event:${body.event_id}`, DEDUPE_TTL_SECONDS))) return;
  const user = event.user ?? 'unknown';
  const threadTs = event.thread_ts ?? event.ts;
  const text = stripMention(event.text, context.botUserId);
  const turn = slackTurn({ team: body.team_id, channel: event.channel, user, text, threadTs });
  const ephemeral = async (t: string) => {
    await client.chat.postEphemeral({ channel: event.channel, user, text: t, thread_ts: threadTs });
  };
  await ANSWERS.run(() =>
    failSafely(deps.logger, { channel: event.channel, user, eventId: body.event_id }, ephemeral, async () => {
      await answerTurn(deps, client, {
        target: { channel: event.channel, threadTs, command: text },
        turn,
        ephemeral: async (reply) => {
          const { text: fallback, blocks } = renderMessage(reply);
          await client.chat.postEphemeral({
            channel: event.channel,
            user,
            text: fallback,
            blocks,
            thread_ts: threadTs,
          });
        },
      });
    }),
  );
}
