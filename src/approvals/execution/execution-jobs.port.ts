/** The execute queue as the reconciler sees it (implemented on BullMQ in `adapters/queue`). */
export interface ExecutionJobs {
  /** True while the approval's execute job is waiting, delayed (a retry) or running. */
  pending(approvalId: string): Promise<boolean>;
  /** Puts the approval's execute job on the queue again, replacing a finished or failed one. */
  requeue(approvalId: string): Promise<void>;
}
