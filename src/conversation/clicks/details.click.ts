import { ACTIONS } from '../../shared/action-ids.js';
import type { ClickHandler } from '../click.types.js';
import { approvalsOf, showApproval } from './approval-views.js';

/** Details on an approval message: its details and audit trail, for the clicker alone. */
export const detailsClick: ClickHandler = {
  actionId: ACTIONS.DETAILS,
  needs: 'approvals',
  async run(ctx) {
    const { approvals, approvalId, voter } = approvalsOf(ctx);
    await showApproval(ctx, await approvals.details(approvalId, voter), { canVote: false });
  },
};
