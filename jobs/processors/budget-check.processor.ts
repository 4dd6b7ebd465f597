import type { Job } from 'bullmq';
import type { BudgetAlertService, BudgetCheckOutcome } from '../../src/notifications/budget-alert.service.js';

/**
 * The `budget-check` queue (docs/budgets.md#alerts): after syncs (debounced, like the anomaly scan) and daily, every
 * budget's thresholds are checked on its period's data as it is now and new crossings are alerted. Errors retry with
 * the queue's backoff; checking again is safe, because a crossing's deliveries have fixed ids and it is recorded once.
 */
export function budgetCheckProcessor(budgets: Pick<BudgetAlertService, 'checkAndAlert'>) {
  return async (_job: Job): Promise<BudgetCheckOutcome> => budgets.checkAndAlert();
}
