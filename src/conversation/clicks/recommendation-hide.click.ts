import { ACTIONS } from '../../shared/action-ids.js';
import { answerTurn } from '../answer-turn.js';
import type { ClickHandler } from '../click.types.js';
import { turnOf } from '../click.types.js';

/**
 * "Dismiss" on a recommendation: its `dismiss <id> because …` runs as the clicker's turn where the list is, so the
 * recommendation is hidden in that conversation (README "Recommendations and approvals"). Its own action id, not
 * `RUN_COMMAND`, because Slack wants the ids of one actions block unique.
 */
export const recommendationDismissClick: ClickHandler = {
  actionId: ACTIONS.RECOMMENDATION_DISMISS,
  run: ({ answer, click, surface }) => answerTurn(answer, turnOf(click, click.value), surface, click.value),
};

/** "Snooze 30 days" on a recommendation: its `snooze <id> 30d` runs as the clicker's turn where the list is. */
export const recommendationSnoozeClick: ClickHandler = {
  actionId: ACTIONS.RECOMMENDATION_SNOOZE,
  run: ({ answer, click, surface }) => answerTurn(answer, turnOf(click, click.value), surface, click.value),
};
