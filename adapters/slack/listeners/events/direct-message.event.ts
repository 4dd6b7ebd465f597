import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn, stripMention } from '../../slack-turn.js';
import { ANSWERS } from '../../work-queue.js';
import { answerTurn } from '../answer-turn.js';
import { failSafely } from '../fail-safely.js';

/** A direct message to Tally (`message.im`): answered in the DM, in the thread when there is one. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.message(async (args) => directMessage(args, deps));
}

export async function directMessage(
  { message, body, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>,
  deps: SlackListenerDeps,
): Promise<void> {
  // Only plain user messages in DMs: edits, joins and bot messages carry a subtype.
  if (message.channel_type !== 'im' || message.subtype !== undefined || !('text' in message) || !message.text) return;
  if (!(await deps.dedupe.claim(`slack:event:${body.event_id}`, DEDUPE_TTL_SECONDS))) return;
  const threadTs = 'thread_ts' in message ? message.thread_ts : undefined;
  const text = stripMention(message.text, context.botUserId);
  const turn = slackTurn({
    team: body.team_id,
    channel: message.channel,
    user: message.user,
    text,
    threadTs: threadTs ?? 'dm',
  });
  const say = async (t: string) => {
    await client.chat.postMessage({ channel: message.channel, text: t, ...(threadTs ? { thread_ts: threadTs } : {}) });
  };
  await ANSWERS.run(() =>
    failSafely(deps.logger, { channel: message.channel, user: message.user, eventId: body.event_id }, say, async () => {
      // In a DM only the asker reads the answer anyway, so help and errors are posted like any answer.
      await answerTurn(deps, client, {
        target: { channel: message.channel, ...(threadTs ? { threadTs } : {}), command: text },
        turn,
        ephemeral: async () => {},
        allVisible: true,
      });
    }),
  );
}
