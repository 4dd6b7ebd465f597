import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Identity } from '../../../../src/approvals/approval.types.js';
import type { ApprovalInteractions } from '../../../../src/approvals/approval-interactions.types.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackIdentity } from '../../slack-identity.js';
import { APPROVALS_NOT_CONFIGURED, type ClickerReplies, clickerReplies } from '../clicker-replies.js';
import { failSafely } from '../fail-safely.js';

/** The arguments Bolt gives a button listener. */
export type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** What an approval button's work gets: the port, the approval id (the button's value), who clicked, how to answer. */
export interface ApprovalClick extends ClickerReplies {
  approvals: ApprovalInteractions;
  approvalId: string;
  voter: Identity;
}

/**
 * The frame of every approval button: ack at once (Slack's 3 seconds), then, inside `failSafely`,
 * handle each click once (its `trigger_id`), answer "not configured" when approvals are absent,
 * and run `work`.
 */
export async function onApprovalClick(
  { ack, body, action, respond }: ButtonArgs,
  deps: SlackListenerDeps,
  work: (click: ApprovalClick) => Promise<void>,
): Promise<void> {
  await ack();
  const replies = clickerReplies(respond);
  const context = { channel: body.channel?.id, user: body.user.id, action: action.action_id, approvalId: action.value };
  await failSafely(deps.logger, context, replies.text, async () => {
    if (!(await deps.dedupe.claim(`slack:action:${body.trigger_id}`, DEDUPE_TTL_SECONDS))) return;
    if (!deps.approvals) return replies.text(APPROVALS_NOT_CONFIGURED);
    if (!action.value) return;
    const voter = slackIdentity({ id: body.user.id, name: body.user.name ?? body.user.username });
    await work({ ...replies, approvals: deps.approvals, approvalId: action.value, voter });
  });
}
