import type { ProposedAction } from '../../actions/action.types.js';

/**
 * A batch approval (docs/architecture.md#batches): one approval, voted as one, for a set of actions of one kind in one
 * account. It is an ordinary approval (states, votes, timers, change windows, cancel) whose `action` sums up the
 * items; when it executes, each item becomes an approval of its own (`Approval.batchOf`), born APPROVED by the
 * batch's votes and executed, re-checked, recorded and undone exactly as a single action is.
 */

/** The most items a batch holds without `guardrails.maxBatch`. */
export const DEFAULT_MAX_BATCH = 25;

/** What became of one item: its own approval's outcome, or why it was not touched (`SKIPPED`). */
export interface BatchItemResult {
  resourceId: string;
  /** The item's own approval (`<batch id>-<n>`). */
  approvalId: string;
  outcome: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  /** Why it failed or was skipped. */
  reason?: string;
  /** The item was undone since (`undo <batch id> <resource id>`). */
  undone?: boolean;
}

/** The items of a batch approval and, once it ran, their results. */
export interface BatchRecord {
  /** The actions as proposed, in order. */
  items: ProposedAction[];
  /** One per item that finished (or was skipped), in item order; absent before the execution. */
  results?: BatchItemResult[];
  /** When the execution of the items started and finished (ISO instants). */
  startedAt?: string;
  finishedAt?: string;
  /** `11 succeeded, 1 failed, 0 skipped`. */
  summary?: string;
}

/** The approval id of a batch's item `index` (0-based): `apr_x-1`, `apr_x-2`, … */
export function itemApprovalId(batchId: string, index: number): string {
  return `${batchId}-${index + 1}`;
}

/** The reason the executor gives an item it did not touch (the re-check refused it): such an item was skipped. */
export function skippedReason(reason: string | undefined): boolean {
  return reason?.startsWith('Not touched:') === true;
}

/** `12 succeeded, 0 failed, 0 skipped` of a batch's results. */
export function summaryOf(results: BatchItemResult[]): string {
  const count = (o: BatchItemResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return `${count('SUCCEEDED')} succeeded, ${count('FAILED')} failed, ${count('SKIPPED')} skipped`;
}
