import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { ProgressMessage, postAnswer } from '../../post-reply.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn, stripMention } from '../../slack-turn.js';
import { ANSWERS } from '../../work-queue.js';
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
  const progress = new ProgressMessage();
  await ANSWERS.run(() =>
    failSafely(deps.logger, { channel: message.channel, user: message.user, eventId: body.event_id }, say, async () => {
      const reply = deps.handleTurn(turn, { onProgress: progress.report });
      // In a DM only the asker sees the answer anyway, so help and errors are posted like any answer.
      await postAnswer(
        { channel: message.channel, ...(threadTs ? { threadTs } : {}), command: text },
        reply.then((r) => ({ ...r, visibility: 'channel' as const })),
        {
          client,
          progress,
          charts: deps.charts,
          logger: deps.logger,
          progressAfterMs: deps.progressAfterMs ?? 1000,
          ephemeral: async () => {},
        },
      );
    }),
  );
}
