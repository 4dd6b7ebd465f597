import type { Budget } from './budget.types.js';

/** `budgets:` of the policy file (docs/budgets.md#policy-file). */
export interface BudgetPolicy {
  /**
   * Who may create, change and remove budgets from chat (approver entries: people keys, `@group`, `slack-group:S…`,
   * user ids). Absent: the policy's admins (`access.admins`).
   */
  admins?: string[];
  /** Budgets defined in the file: read-only from chat. */
  budgets: Budget[];
}
