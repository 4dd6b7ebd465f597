import { ACTIONS } from '../../shared/action-ids.js';
import { answerTurn } from '../answer-turn.js';
import type { ClickHandler } from '../click.types.js';
import { turnOf } from '../click.types.js';

/**
 * The command "Request increase" runs for a budget: `budget request <name>`, the budget-change request of
 * docs/budgets.md (the hook the budget-change approval builds on: it may ask for the amount and reason from here).
 */
function budgetRequestCommand(name: string): string {
  return `budget request ${name}`;
}

/** Request increase on a budget alert: `budget request <name>` runs as the clicker's turn in the alert's thread. */
export const budgetRequestClick: ClickHandler = {
  actionId: ACTIONS.BUDGET_REQUEST,
  run({ answer, click, surface }) {
    const command = budgetRequestCommand(click.value);
    return answerTurn(answer, turnOf(click, command), surface, command);
  },
};
