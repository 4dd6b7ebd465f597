import { ACTIONS, REJECT_REASON_VIEW } from '../../shared/action-ids.js';
import { notice } from '../apology.js';
import type { ClickHandler } from '../click.types.js';
import { REJECT_REASON_FIELD, rejectReasonForm } from '../forms/reject-reason.form.js';
import { answerVote, approvalsOf } from './approval-views.js';

const TOO_SLOW = 'The reject form could not be opened in time. Please click Reject again.';

/**
 * Reject on an approval message. Where the surface opens forms (Slack), the clicker is first checked (someone who
 * may not vote is told why, and gets no form), then a form asks for the reason and the vote happens when it is
 * submitted. Elsewhere the reason comes inline with the click (a Teams card's input) and the vote happens now.
 */
export const rejectClick: ClickHandler = {
  actionId: ACTIONS.REJECT,
  needs: 'approvals',
  async run(ctx) {
    const { approvals, approvalId, voter } = approvalsOf(ctx);
    const { click, surface } = ctx;
    if (!surface.capabilities.forms) {
      const reason = click.fields?.[REJECT_REASON_FIELD]?.trim();
      const vote = await approvals.vote({ approvalId, voter, decision: 'reject', ...(reason ? { reason } : {}) });
      return answerVote(ctx, vote, 'reject');
    }
    const check = await approvals.checkVoter(approvalId, voter);
    if (!check.ok) return surface.replyPrivately(check.reply);
    const meta = {
      approvalId,
      ...(click.location.channel ? { channel: click.location.channel } : {}),
      ...(click.message ? { messageTs: click.message.id } : {}),
    };
    if ((await surface.openForm(rejectReasonForm(REJECT_REASON_VIEW, meta))) === 'expired')
      await surface.replyPrivately(notice(TOO_SLOW));
  },
};
