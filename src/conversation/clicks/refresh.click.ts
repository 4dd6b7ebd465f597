import { ACTIONS } from '../../shared/action-ids.js';
import type { ClickHandler } from '../click.types.js';
import { approvalsOf, showApproval } from './approval-views.js';

/**
 * A person's current view of an approval message (a Teams card asks for it when shown): the vote buttons only for
 * someone who may vote now, the progress for everyone else.
 */
export const refreshClick: ClickHandler = {
  actionId: ACTIONS.REFRESH,
  needs: 'approvals',
  async run(ctx) {
    const { approvals, approvalId, voter } = approvalsOf(ctx);
    const current = ctx.features.approvalMessage
      ? ctx.features.approvalMessage(approvalId)
      : approvals.details(approvalId, voter);
    const [reply, check] = await Promise.all([current, approvals.checkVoter(approvalId, voter)]);
    await showApproval(ctx, reply, { canVote: check.ok });
  },
};
