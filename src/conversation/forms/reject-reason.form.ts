import type { ApprovalInteractions } from '../../approvals/approval-interactions.types.js';
import type { FormSpec } from '../chat-surface.port.js';
import type { FormSubmit } from '../inbound.types.js';

/** The id of the reason field; the reason arrives under it (a Slack modal's input, a Teams card's inline input). */
export const REJECT_REASON_FIELD = 'reason';
/** The longest reason accepted. */
const REASON_MAX = 2000;

/** The form that asks why an approval is rejected; `meta` carries the approval and where its message is. */
export function rejectReasonForm(
  id: string,
  meta: { approvalId: string; channel?: string; messageTs?: string },
): FormSpec {
  return {
    id,
    title: 'Reject approval',
    intro: `Approval ${meta.approvalId}. Everyone on it will see the reason.`,
    submitLabel: 'Reject',
    field: {
      id: REJECT_REASON_FIELD,
      label: 'Why reject it?',
      placeholder: 'e.g. this instance runs the month-end batch',
      maxLength: REASON_MAX,
    },
    meta,
  };
}

const NO_REASON = 'Please give a reason.';
const STALE_FORM = 'This form is out of date. Close it and click Reject on the approval again.';
const NOT_SET_UP =
  'Approvals are not set up on this Tally, so this button does nothing yet. Ask whoever runs Tally to configure them.';

/** What is wrong with a submitted reject form, by field (the form stays open showing it), or null. */
export function rejectReasonErrors(submit: FormSubmit, approvals: ApprovalInteractions | undefined) {
  const reason = submit.fields[REJECT_REASON_FIELD]?.trim() ?? '';
  if (!reason) return { [REJECT_REASON_FIELD]: NO_REASON };
  if (!submit.meta?.approvalId) return { [REJECT_REASON_FIELD]: STALE_FORM };
  if (!approvals) return { [REJECT_REASON_FIELD]: NOT_SET_UP };
  return null;
}
