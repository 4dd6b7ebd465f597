import type { Approval, ApprovalState } from './approval.types.js';

export interface ApprovalQuery {
  states?: ApprovalState[];
  /** Only approvals whose action targets this cloud account. */
  accountId?: string;
  /** Only approvals whose execution started at or after this ISO instant. */
  executionStartedFrom?: string;
  /** Newest first. @defaultValue 100 */
  limit?: number;
}

/**
 * Approvals. Every change is a compare-and-set on `version`, so concurrent votes never overwrite each other: the
 * loser re-reads and tries again. Implemented in memory and on MongoDB; one contract suite covers both.
 */
export interface ApprovalRepository {
  /** Stores a new approval (version 1). Throws if the id exists. */
  create(approval: Approval): Promise<void>;
  get(id: string): Promise<Approval | null>;
  /**
   * Replaces the approval if its stored version is `approval.version - 1`. Returns false (and changes nothing) when
   * another writer got there first.
   */
  update(approval: Approval): Promise<boolean>;
  /** Newest first (by `createdAt`). */
  list(query: ApprovalQuery): Promise<Approval[]>;
}
