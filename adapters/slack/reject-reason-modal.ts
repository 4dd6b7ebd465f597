/**
 * The modal that asks for a reject reason (any reject ends an approval, with a reason from a modal), and
 * the readers of what it sends back on submit: the approval and its message in `private_metadata`, the reason in
 * `view.state.values.reason.reason`.
 */
import type { types, ViewStateValue } from '@slack/bolt';
import { REJECT_REASON_VIEW } from '../../src/shared/action-ids.js';

/** `block_id` and `action_id` of the reason input; validation errors are keyed on the block id. */
export const REASON_BLOCK = 'reason';
export const REASON_ACTION = 'reason';
/** Longest reason accepted by the input (Slack allows up to 3000). */
const REASON_MAX = 2000;

/** What the modal carries from the click to the submission: which approval, and where its message is. */
export interface RejectReasonMetadata {
  approvalId: string;
  /** The channel of the approval message, where the voter's private answer goes. */
  channel?: string;
  /** `ts` of the approval message. */
  messageTs?: string;
}

/** The reject-reason modal for `views.open`: one multi-line input, submit "Reject", cancel "Cancel". */
export function rejectReasonModal(meta: RejectReasonMetadata): types.ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_REASON_VIEW,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Reject approval' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'context',
        elements: [{ type: 'plain_text', text: `Approval ${meta.approvalId}. Everyone on it will see the reason.` }],
      },
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: { type: 'plain_text', text: 'Why reject it?' },
        element: {
          type: 'plain_text_input',
          action_id: REASON_ACTION,
          multiline: true,
          max_length: REASON_MAX,
          placeholder: { type: 'plain_text', text: 'e.g. this instance runs the month-end batch' },
        },
      },
    ],
  };
}

/** The modal's metadata, or null when it is not what {@link rejectReasonModal} wrote. */
export function readRejectReasonMetadata(raw: string | undefined): RejectReasonMetadata | null {
  try {
    const meta = JSON.parse(raw ?? '') as Partial<Record<keyof RejectReasonMetadata, unknown>>;
    if (typeof meta.approvalId !== 'string' || meta.approvalId === '') return null;
    return {
      approvalId: meta.approvalId,
      ...(typeof meta.channel === 'string' && meta.channel ? { channel: meta.channel } : {}),
      ...(typeof meta.messageTs === 'string' && meta.messageTs ? { messageTs: meta.messageTs } : {}),
    };
  } catch {
    return null;
  }
}

/** The submitted reason, trimmed; '' when blank or missing. */
export function readRejectReason(values: Record<string, Record<string, ViewStateValue>>): string {
  return values[REASON_BLOCK]?.[REASON_ACTION]?.value?.trim() ?? '';
}
