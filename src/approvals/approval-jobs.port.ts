/**
 * Approval timers (docs/architecture.md#timers): delayed jobs whose ids derive from the approval, so arming twice arms
 * once.
 */
export type TimerKind = 'remind' | 'escalate' | 'expire';

export interface ApprovalTimers {
  /** Arms a timer that fires `delayMs` from now for the given tier (reminders and escalations are per tier). */
  arm(approvalId: string, kind: TimerKind, delayMs: number, tier: number): Promise<void>;
  /** Cancels every pending timer of the approval's `tiers` tiers (a decision was made). */
  cancelAll(approvalId: string, tiers: number): Promise<void>;
}

/** The execution queue: one job per approved approval, its id derived from the approval. */
export interface ExecutionQueue {
  /** Adds the approval's execute job, to run `delayMs` from now (a change window opens then); once per approval. */
  enqueue(approvalId: string, delayMs?: number): Promise<void>;
  /**
   * Removes the approval's execute job while it waits (its execution was cancelled); true when one was removed. A job
   * already running is left alone: it finds the approval cancelled and does nothing.
   */
  remove(approvalId: string): Promise<boolean>;
}
