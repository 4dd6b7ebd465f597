import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import { rejectReasonModal } from '../../reject-reason-modal.js';
import type { SlackListenerDeps } from '../../slack-deps.types.js';
import { slackErrorCode } from '../../slack-errors.js';
import { type ButtonArgs, onApprovalClick } from './approval-click.js';

const TOO_SLOW = 'Slack gave up waiting for the reject form. Please click Reject again.';

/** "Reject" on an approval message: a modal asks for the reason; the vote happens when it is submitted. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.REJECT }, async (args) =>
    approvalReject(args, deps),
  );
}

/**
 * Checks first that the clicker may vote (someone who may not gets told why, privately, and no modal), then opens
 * the reason modal. The `trigger_id` expires about 3 s after the click; the check is one quick
 * read, and should Slack still refuse the trigger the clicker is asked to click again.
 */
export async function approvalReject(args: ButtonArgs, deps: SlackListenerDeps): Promise<void> {
  const { body, client } = args;
  await onApprovalClick(args, deps, async ({ approvals, approvalId, voter, reply, text }) => {
    const check = await approvals.checkVoter(approvalId, voter);
    if (!check.ok) return reply(check.reply);
    const view = rejectReasonModal({
      approvalId,
      ...(body.channel?.id ? { channel: body.channel.id } : {}),
      ...(body.message?.ts ? { messageTs: body.message.ts } : {}),
    });
    try {
      await client.views.open({ trigger_id: body.trigger_id, view });
    } catch (err) {
      if (slackErrorCode(err) !== 'expired_trigger_id') throw err;
      await text(TOO_SLOW);
    }
  });
}
