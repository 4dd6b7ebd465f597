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
  enqueue(approvalId: string): Promise<void>;
}
