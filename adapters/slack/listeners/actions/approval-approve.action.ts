import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTIONS } from '../../../../src/shared/action-ids.js';
import type { SlackListenerDeps } from '../../slack-deps.types.js';
import { type ButtonArgs, onApprovalClick } from './approval-click.js';

/** "Approve" on an approval message: one approve vote by the clicker. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTIONS.APPROVE }, async (args) =>
    approvalApprove(args, deps),
  );
}

/**
 * Votes approve and tells the clicker alone how it went. The shared approval message is updated by the core through
 * the messenger; this listener never touches it.
 */
export async function approvalApprove(args: ButtonArgs, deps: SlackListenerDeps): Promise<void> {
  await onApprovalClick(args, deps, async ({ approvals, approvalId, voter, reply }) => {
    await reply(await approvals.vote({ approvalId, voter, decision: 'approve' }));
  });
}
