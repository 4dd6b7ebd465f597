import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn } from '../../slack-turn.js';
import { ANSWERS } from '../../work-queue.js';
import { answerTurn } from '../answer-turn.js';
import { clickerReplies } from '../clicker-replies.js';
import { failSafely } from '../fail-safely.js';
import type { ButtonArgs } from './approval-click.js';

/** "Request approval" on a recommendation: its `propose …` command runs as a turn of the clicker. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.REQUEST_APPROVAL }, async (args) =>
    requestApproval(args, deps),
  );
}

/**
 * Runs the button's command text as the clicker's turn, in the recommendations message's thread (like "Show all").
 * A channel answer goes into that thread; an answer for the clicker alone (usage, refusals) comes back ephemerally.
 */
export async function requestApproval(
  { ack, body, action, client, respond }: ButtonArgs,
  deps: SlackListenerDeps,
): Promise<void> {
  await ack();
  const channel = body.channel?.id;
  const command = action.value;
  const replies = clickerReplies(respond);
  await failSafely(deps.logger, { channel, user: body.user.id, action: action.action_id }, replies.text, async () => {
    if (!(await deps.dedupe.claim(`slack:action:${body.trigger_id}`, DEDUPE_TTL_SECONDS))) return;
    if (!channel || !command) return;
    // An ephemeral message has no thread to answer in.
    const threadTs = body.container?.is_ephemeral ? undefined : (body.message?.thread_ts ?? body.message?.ts);
    const turn = slackTurn({
      team: body.team?.id,
      channel,
      user: body.user.id,
      userName: body.user.name ?? body.user.username,
      text: command,
      threadTs,
    });
    await ANSWERS.run(async () => {
      const result = await answerTurn(deps, client, {
        target: { channel, ...(threadTs ? { threadTs } : {}), command },
        turn,
        ephemeral: replies.reply,
      });
      if (!result.ok) await replies.text(result.problem);
    });
  });
}
