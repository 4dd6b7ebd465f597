import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import type { SlackListenerDeps } from '../../slack-deps.types.js';
import { slackTurn } from '../../slack-turn.js';
import { ANSWERS } from '../../work-queue.js';
import { answerTurn } from '../answer-turn.js';
import { onAlertClick } from './alert-click.js';
import type { ButtonArgs } from './approval-click.js';

/** "Investigate" on an alert: the core's command for it runs as the clicker's turn, answered in the alert's thread. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.ALERT_INVESTIGATE }, async (args) =>
    alertInvestigate(args, deps),
  );
}

/**
 * Asks the core which command explains the anomaly (a deterministic comparison, not a question for the agent) and
 * runs it like "Request approval" runs its command: as the clicker's turn in the alert's thread, so that follow-up
 * questions in the thread continue the same conversation. Answers for the clicker alone come back ephemerally.
 */
export async function alertInvestigate(args: ButtonArgs, deps: SlackListenerDeps): Promise<void> {
  const { body, client } = args;
  await onAlertClick(args, deps, async ({ alerts, anomalyId, user, message, reply, text }) => {
    const outcome = await alerts.investigate(anomalyId);
    if ('reply' in outcome) return reply(outcome.reply);
    const channel = message?.channel ?? body.channel?.id;
    if (!channel) return;
    const turn = slackTurn({
      team: body.team?.id,
      channel,
      user: user.id,
      userName: user.name,
      text: outcome.command,
      threadTs: message?.threadTs,
    });
    await ANSWERS.run(async () => {
      const target = { channel, ...(message ? { threadTs: message.threadTs } : {}), command: outcome.command };
      const result = await answerTurn(deps, client, { target, turn, ephemeral: reply });
      if (!result.ok) await text(result.problem);
    });
  });
}
