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
  /**
   * Claims `key` (one action on one resource) for `approvalId`, atomically across processes: resolves null when
   * the claim is now `approvalId`'s, else the id of the approval holding it. A claim is never released by the
   * repository: a proposer that finds the holder no longer pending takes it over with {@link releaseClaim}.
   */
  claim(key: string, approvalId: string): Promise<string | null>;
  /** Removes the claim on `key` if `approvalId` holds it (a holder that is decided, or that was never created). */
  releaseClaim(key: string, approvalId: string): Promise<void>;
}
