import { ACTIONS } from '../../shared/action-ids.js';
import type { ClickHandler } from '../click.types.js';
import { alertsOf } from './alerts-of.js';

/**
 * Acknowledge on an alert: the alert message is replaced by the core's version of it (who acknowledged it), and the
 * clicker is told privately. A failed update is logged: the acknowledgement is recorded either way, and a later
 * click says who acknowledged it.
 */
export const alertAckClick: ClickHandler = {
  actionId: ACTIONS.ALERT_ACK,
  needs: 'alerts',
  async run(ctx) {
    const { alerts, anomalyId, user } = alertsOf(ctx);
    const { click, surface, logger } = ctx;
    const outcome = await alerts.acknowledge(anomalyId, user);
    if (outcome.message && click.message)
      await surface.update(click.message, outcome.message).catch((err: unknown) => {
        logger.warn({ err, anomalyId, message: click.message?.id }, 'could not update the alert message');
      });
    await surface.replyPrivately(outcome.reply);
  },
};
