/** One line of the append-only audit log: who did what, when and why (docs/architecture.md#audit). */
export interface AuditEntry {
  id: string;
  /** ISO instant. */
  at: string;
  kind: 'proposal' | 'vote' | 'decision' | 'timer' | 'execution' | 'message' | 'recommendation';
  /**
   * What happened, e.g. `vote.approve`, `timer.remind`, `execution.stopped`, `message.updated`,
   * `recommendation.dismissed`.
   */
  event: string;
  approvalId?: string;
  /** The person, or `tally` for the system. */
  actor: string;
  /** A human sentence. */
  what: string;
  why?: string;
  /** Extra facts; flat, primitive values only. */
  data?: Record<string, string | number | boolean | null>;
}

/** The audit log. Append-only: nothing updates or deletes an entry. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Oldest first. */
  list(query: { approvalId?: string; limit?: number }): Promise<AuditEntry[]>;
}
