import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { REJECT_REASON_VIEW } from '../../../../src/shared/action-ids.js';
import { postPrivately } from '../../post-private.js';
import { REASON_BLOCK, readRejectReason, readRejectReasonMetadata } from '../../reject-reason-modal.js';
import { renderMessage } from '../../render-blocks.js';
import { DEDUPE_TTL_SECONDS, type SlackListenerDeps } from '../../slack-deps.types.js';
import { slackIdentity } from '../../slack-identity.js';
import { APPROVALS_NOT_CONFIGURED } from '../clicker-replies.js';
import { failSafely } from '../fail-safely.js';

const NO_REASON = 'Please give a reason.';
const STALE_FORM = 'This form is out of date. Close it and click Reject on the approval again.';

/** The reject-reason modal submitted: a reject vote with that reason. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.view<ViewSubmitAction>({ callback_id: REJECT_REASON_VIEW, type: 'view_submission' }, async (args) =>
    rejectReasonSubmitted(args, deps),
  );
}

/**
 * A blank reason keeps the modal open with an error under the input (`response_action: 'errors'`). Otherwise the
 * modal is closed by the ack, the reject vote is cast, and its reply goes to the voter alone: ephemeral in the
 * approval's channel, or as a DM when that fails.
 */
export async function rejectReasonSubmitted(
  { ack, body, view, client }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>,
  deps: SlackListenerDeps,
): Promise<void> {
  const refuse = (error: string) => ack({ response_action: 'errors', errors: { [REASON_BLOCK]: error } });
  const reason = readRejectReason(view.state.values);
  const meta = readRejectReasonMetadata(view.private_metadata);
  const approvals = deps.approvals;
  if (!reason) return refuse(NO_REASON);
  if (!meta) return refuse(STALE_FORM);
  if (!approvals) return refuse(APPROVALS_NOT_CONFIGURED);
  await ack();
  const voter = slackIdentity(body.user);
  const target = { channel: meta.channel, user: voter.id };
  const tell = (text: string) => postPrivately(client, target, { text }, deps.logger);
  const context = { channel: meta.channel, user: voter.id, view: REJECT_REASON_VIEW, approvalId: meta.approvalId };
  await failSafely(deps.logger, context, tell, async () => {
    // Slack does not redeliver interactivity, but a replayed submission must not vote twice.
    if (!(await deps.dedupe.claim(`slack:view:${view.id}`, DEDUPE_TTL_SECONDS))) return;
    const reply = await approvals.vote({ approvalId: meta.approvalId, voter, decision: 'reject', reason });
    await postPrivately(client, target, renderMessage(reply), deps.logger);
  });
}
