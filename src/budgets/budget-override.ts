import type { Budget } from './budget.types.js';
import type { BudgetChange } from './budget-change.types.js';

/**
 * The budget after an approved change (docs/budgets.md#budget-changes): a new amount from now on, or a one-off
 * exception for the period it was requested in (replacing an earlier exception of that period).
 */
export function changedBudget(budget: Budget, change: BudgetChange, at: string): Budget {
  const updated = { ...budget, updatedBy: change.decision?.by ?? 'tally', updatedAt: at };
  if (!change.oneOff) return { ...updated, amount: change.newAmount };
  return {
    ...updated,
    exception: {
      period: change.oneOff.period,
      amount: change.newAmount,
      reason: change.reason,
      approvalId: change.id,
    },
  };
}

/**
 * A policy-file budget as it reads with the approved changes stored over it. An approved change of a budget of the
 * file is kept in the budget store under the budget's name with origin `policy` (the file itself is never written):
 * its amount and exception replace the file's, everything else stays the file's.
 */
export function withOverride(fromFile: Budget, stored: Budget | null | undefined): Budget {
  if (stored?.origin !== 'policy') return fromFile;
  const { exception } = stored;
  return {
    ...fromFile,
    amount: stored.amount,
    ...(exception ? { exception } : {}),
    updatedBy: stored.updatedBy,
    updatedAt: stored.updatedAt,
  };
}
