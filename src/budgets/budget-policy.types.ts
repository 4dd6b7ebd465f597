import type { RiskRule } from '../approvals/approval-policy.types.js';
import type { Budget } from './budget.types.js';

/** `budgets:` of the policy file (docs/budgets.md#policy-file). */
export interface BudgetPolicy {
  /**
   * Who may create, change and remove budgets from chat (approver entries: people keys, `@group`, `slack-group:S…`,
   * user ids). Absent: the policy's admins (`access.admins`).
   */
  admins?: string[];
  /**
   * `budgets.changes`: who approves budget changes requested in chat (docs/budgets.md#budget-changes); absent, no
   * budget change can be requested.
   */
  changes?: RiskRule;
  /** Budgets defined in the file: read-only from chat. */
  budgets: Budget[];
}
