import { ACTIONS } from '../../shared/action-ids.js';
import type { ClickHandler } from '../click.types.js';
import { answerVote, approvalsOf } from './approval-views.js';

/** Approve on an approval message: one approve vote by the clicker. */
export const approveClick: ClickHandler = {
  actionId: ACTIONS.APPROVE,
  needs: 'approvals',
  async run(ctx) {
    const { approvals, approvalId, voter } = approvalsOf(ctx);
    await answerVote(ctx, await approvals.vote({ approvalId, voter, decision: 'approve' }), 'approve');
  },
};
