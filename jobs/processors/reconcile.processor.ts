import type { Job } from 'bullmq';
import type { ExecutionReconciler, ReconcileResult } from '../../src/approvals/execution/execution-reconciler.js';

/** The `execution-reconcile` queue: one pass of the reconciler (docs/architecture.md#execution). */
export function reconcileProcessor(reconciler: ExecutionReconciler) {
  return async (_job: Job): Promise<ReconcileResult> => reconciler.reconcile();
}
