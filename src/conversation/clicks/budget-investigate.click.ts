import { ACTIONS } from '../../shared/action-ids.js';
import { answerTurn } from '../answer-turn.js';
import type { ClickHandler } from '../click.types.js';
import { turnOf } from '../click.types.js';

/**
 * Investigate on a budget alert: the comparison the alert carries (the budget's scope since the last alert against
 * the days before, by service) runs as the clicker's turn in the alert's thread, like Investigate on an anomaly.
 */
export const budgetInvestigateClick: ClickHandler = {
  actionId: ACTIONS.BUDGET_INVESTIGATE,
  run: ({ answer, click, surface }) => answerTurn(answer, turnOf(click, click.value), surface, click.value),
};
