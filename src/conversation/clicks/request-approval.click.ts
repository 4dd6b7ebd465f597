import { ACTIONS } from '../../shared/action-ids.js';
import { answerTurn } from '../answer-turn.js';
import type { ClickHandler } from '../click.types.js';
import { turnOf } from '../click.types.js';

/**
 * "Request approval" on a recommendation: its `propose …` command runs as the clicker's turn in the message's
 * thread; an answer for the clicker alone (usage, refusals) comes back privately.
 */
export const requestApprovalClick: ClickHandler = {
  actionId: ACTIONS.REQUEST_APPROVAL,
  run: ({ answer, click, surface }) => answerTurn(answer, turnOf(click, click.value), surface, click.value),
};
