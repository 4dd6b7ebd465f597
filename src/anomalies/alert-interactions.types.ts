import type { Reply } from '../shared/reply.types.js';

/** Who clicked an alert's button. */
export interface AlertUser {
  platform: 'slack' | 'teams' | 'shell' | 'cli';
  id: string;
  name?: string;
}

/** What Acknowledge answers. */
export interface AlertAckOutcome {
  /** For the clicker alone: acknowledged, already acknowledged (by whom), or unknown alert. */
  reply: Reply;
  /** The alert message as it should now read (acknowledged, without the Acknowledge button); absent for an unknown alert. */
  message?: Reply;
}

/** What "Mute 7 days" answers. */
export interface AlertMuteOutcome {
  /** For the clicker alone. */
  reply: Reply;
  /** A note for the alert's thread (who muted the series, until when); absent for an unknown alert. */
  note?: Reply;
}

/** What Investigate answers: a command to run as the clicker's turn in the alert's thread, or a reply for the clicker. */
export type AlertInvestigation = { command: string } | { reply: Reply };

/**
 * What chat adapters call when someone clicks an alert's buttons (`ACTIONS.ALERT_ACK`, `ALERT_INVESTIGATE`,
 * `ALERT_MUTE`; each button's value is the anomaly id). Implemented by `AlertService`; adapters only translate and
 * render (docs/architecture.md#adapters-only-translate).
 */
export interface AlertInteractions {
  /** Acknowledges the alert; the first acknowledger wins. */
  acknowledge(anomalyId: string, user: AlertUser): Promise<AlertAckOutcome>;
  /**
   * Mutes the alert's series for `days` days from now.
   * @param days - @defaultValue 7
   */
  mute(anomalyId: string, user: AlertUser, days?: number): Promise<AlertMuteOutcome>;
  /** The command that explains the anomaly (a comparison with the same weekday a week before). */
  investigate(anomalyId: string): Promise<AlertInvestigation>;
}
