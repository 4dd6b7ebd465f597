import { ACTIONS } from '../../shared/action-ids.js';
import type { ClickHandler } from '../click.types.js';
import { muteAlert } from './mute-alert.js';

/** "Snooze 1 day" on an alert: like "Mute 7 days", for one day. */
export const alertSnoozeClick: ClickHandler = {
  actionId: ACTIONS.ALERT_SNOOZE,
  needs: 'alerts',
  run: (ctx) => muteAlert(ctx, 1),
};
