import type { ChartSpec, Reply } from '../shared/reply.types.js';
import type { Anomaly } from './anomaly.types.js';

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

/**
 * How alerts and the answers to their buttons read. The alert service owns this port; the chat layer implements it
 * (src/conversation/replies/alert.reply.ts), so replies are built in one place.
 */
export interface AlertMessages {
  /** The alert message in chat: figures, chart and buttons; once acknowledged, by whom. */
  alert(anomaly: Anomaly, options?: { chart?: ChartSpec; acknowledgedBy?: string }): Reply;
  /** The alert as an email or SMS to the on-call people (no buttons). */
  page(anomaly: Anomaly, options?: { chart?: ChartSpec }): Reply;
  /** For the acknowledger: acknowledged now (`first`), or already, by whom and when. */
  acknowledged(anomaly: Anomaly, ack: { by: string; at?: string; first: boolean }): Reply;
  /** For the person who muted the series, and the note for the alert's thread. */
  muted(anomaly: Anomaly, mute: { by: string; until: string; days: number }): { reply: Reply; note: Reply };
  /** An alert Tally does not know (an older setup's button). */
  unknown(anomalyId: string): Reply;
}
