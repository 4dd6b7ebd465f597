import type { Actor, Approval, ApprovalMessageRef, Vote } from '../approvals/approval.types.js';
import type { RiskRule } from '../approvals/approval-policy.types.js';

/**
 * Budget changes approved in chat (docs/budgets.md#budget-changes): `budget request payments-team 15000 because …`
 * asks for a new amount, or `… for this month only` for a one-off exception in the current period. It is an approval
 * of its own kind: voted on, reminded, escalated and expired like an action's approval (the same policy shapes, voter
 * rules and timer queue), but kept in its own store, so that nothing that executes actions ever sees it: approving
 * it changes the budget and touches no cloud.
 */

/** PENDING → APPROVED (the budget changed) | REJECTED | EXPIRED | CANCELLED; all but PENDING are final. */
export type BudgetChangeState = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED';

/** The prefix of a budget change's id; approval ids of actions start with `apr_`. */
export const BUDGET_CHANGE_ID_PREFIX = 'bch';

/** Whether an approval id names a budget change (`bch_…`). */
export function isBudgetChangeId(id: string): boolean {
  return id.startsWith(`${BUDGET_CHANGE_ID_PREFIX}_`);
}

/** The budget's figures when the change was requested: what the approvers decide on, kept for the audit. */
interface BudgetFiguresAtRequest {
  /** The period's label, e.g. `December 2026`. */
  period: string;
  spent: number;
  forecast: number;
}

export interface BudgetChange {
  /** `bch_…`, typed in `approve <id>` like an action's approval id. */
  id: string;
  /** Bumped by every change; updates are compare-and-set on it. */
  version: number;
  state: BudgetChangeState;
  /** The budget's name. */
  budget: string;
  currency: string;
  /** The amount in force when requested: the budget's amount, or this period's exception for a one-off. */
  oldAmount: number;
  newAmount: number;
  /** Set for a one-off exception: the period (its key, e.g. `2026-12`, and label) the new amount holds for. */
  oneOff?: { period: string; label: string };
  reason: string;
  requester: Actor;
  /** The policy's `budgets.changes` rule, copied when requested (with the quorum an unknown requester adds). */
  rule: RiskRule;
  /** Index of the current tier in `rule.tiers`. */
  tier: number;
  votes: Vote[];
  figures: BudgetFiguresAtRequest;
  /** Where it was requested (an alert's thread, a channel, the shell); the request's card goes there. */
  origin: Approval['origin'];
  messages: ApprovalMessageRef[];
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  decidedAt?: string;
  decision?: { by: string; reason: string };
}
