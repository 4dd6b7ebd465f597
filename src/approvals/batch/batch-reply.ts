import { ACTIONS } from '../../shared/action-ids.js';
import type { ReplyButton, ReplyField } from '../../shared/reply.types.js';
import type { Approval } from '../approval.types.js';

/** At most this many per-item Undo buttons on a batch's message (Slack's actions block holds 25); `undo` does the rest. */
const MAX_UNDO_BUTTONS = 20;

/** The Target field of a batch: how many items, in which account and regions. */
export function batchTargetText(approval: Approval): string {
  const { target } = approval.action;
  return `${target.resourceId} · account ${target.accountId} · ${target.region}`;
}

/** One line per item: what it does and, once it ran, its result (undone, failed or skipped with why). */
export function batchFields(approval: Approval): ReplyField[] {
  const batch = approval.batch;
  if (!batch) return [];
  const lines = batch.items.map((item) => {
    const r = batch.results?.find((x) => x.resourceId === item.target.resourceId);
    const result = !r
      ? ''
      : r.outcome === 'SUCCEEDED'
        ? ` → ${r.undone ? 'undone' : 'done'} (${r.approvalId})`
        : ` → ${r.outcome.toLowerCase()}: ${r.reason ?? ''}`;
    return `${item.summary}${result}`;
  });
  const fields: ReplyField[] = [{ label: `Items (${batch.items.length})`, value: lines.join('\n') }];
  if (batch.summary) fields.push({ label: 'Results', value: batch.summary });
  return fields;
}

/** An Undo button per item done and not undone yet: `undo <batch id> <resource id>` as the clicker. */
export function batchUndoButtons(approval: Approval): ReplyButton[] {
  if (approval.state !== 'SUCCEEDED') return [];
  return (approval.batch?.results ?? [])
    .filter((r) => r.outcome === 'SUCCEEDED' && !r.undone)
    .slice(0, MAX_UNDO_BUTTONS)
    .map((r) => ({
      actionId: ACTIONS.RUN_COMMAND,
      label: `Undo ${r.resourceId}`,
      value: `undo ${approval.id} ${r.resourceId}`,
    }));
}
