import { ACTIONS } from '../../shared/action-ids.js';
import { answerTurn } from '../answer-turn.js';
import type { ClickHandler } from '../click.types.js';
import { turnOf } from '../click.types.js';

/** A follow-up button: its command runs as the clicker's turn where the button is. */
export const runCommandClick: ClickHandler = {
  actionId: ACTIONS.RUN_COMMAND,
  run: ({ answer, click, surface }) => answerTurn(answer, turnOf(click, click.value), surface, click.value),
};
