import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import type { SlackListenerDeps } from '../../slack-deps.types.js';
import { type ButtonArgs, onApprovalClick } from './approval-click.js';

/** "Details" on an approval message: its details and audit trail, for the clicker alone. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.DETAILS }, async (args) =>
    approvalDetails(args, deps),
  );
}

export async function approvalDetails(args: ButtonArgs, deps: SlackListenerDeps): Promise<void> {
  await onApprovalClick(args, deps, async ({ approvals, approvalId, voter, reply }) => {
    await reply(await approvals.details(approvalId, voter));
  });
}
