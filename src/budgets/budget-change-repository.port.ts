import type { BudgetChange, BudgetChangeState } from './budget-change.types.js';

/** Budget changes; every change is a compare-and-set on `version`. Memory and MongoDB pass one contract suite. */
export interface BudgetChangeRepository {
  /** Stores a new change (version 1). Throws if the id exists. */
  create(change: BudgetChange): Promise<void>;
  get(id: string): Promise<BudgetChange | null>;
  /** Replaces the change if its stored version is `change.version - 1`; false (nothing changed) when it is not. */
  update(change: BudgetChange): Promise<boolean>;
  /** Newest first (by `createdAt`), of the given states (all without), at most `limit` (100 by default). */
  list(query: { states?: BudgetChangeState[]; budget?: string; limit?: number }): Promise<BudgetChange[]>;
}
