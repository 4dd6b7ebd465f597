import { ACTIONS } from '../../shared/action-ids.js';
import { answerTurn } from '../answer-turn.js';
import type { ClickHandler } from '../click.types.js';
import { turnOf } from '../click.types.js';
import { alertsOf } from './alerts-of.js';

/**
 * Investigate on an alert: the core's command that explains the anomaly (a comparison, not a question for the
 * agent) runs as the clicker's turn in the alert's thread, so follow-up questions there continue the conversation.
 */
export const alertInvestigateClick: ClickHandler = {
  actionId: ACTIONS.ALERT_INVESTIGATE,
  needs: 'alerts',
  async run(ctx) {
    const { alerts, anomalyId } = alertsOf(ctx);
    const outcome = await alerts.investigate(anomalyId);
    if ('reply' in outcome) return ctx.surface.replyPrivately(outcome.reply);
    await answerTurn(ctx.answer, turnOf(ctx.click, outcome.command), ctx.surface, outcome.command);
  },
};
