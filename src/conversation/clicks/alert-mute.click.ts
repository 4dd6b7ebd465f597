import { ACTIONS } from '../../shared/action-ids.js';
import type { ClickHandler } from '../click.types.js';
import { muteAlert } from './mute-alert.js';

/** "Mute 7 days" on an alert: the series is muted, the clicker is told privately, and the alert's thread says so. */
export const alertMuteClick: ClickHandler = {
  actionId: ACTIONS.ALERT_MUTE,
  needs: 'alerts',
  run: (ctx) => muteAlert(ctx, 7),
};
