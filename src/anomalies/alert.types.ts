import type { Day } from '../shared/day.js';
import type { Anomaly, Severity } from './anomaly.types.js';

/**
 * One alerted anomaly (issue 6). There is at most one per `anomalyId`: {@link AlertRepository.claim} creates it
 * before any delivery is enqueued, so the same anomaly is never alerted twice.
 */
export interface AlertRecord {
  anomalyId: string;
  /** The series the anomaly belongs to, `<dimension>|<key>|<currency>` (see {@link seriesKeyOf}); mutes apply to it. */
  seriesKey: string;
  day: Day;
  severity: Severity;
  /** ISO instant the alert was claimed (its deliveries are enqueued right after). */
  sentAt: string;
  /** The ids of the deliveries enqueued for it (chat, email, SMS), derived from the event, channel and recipient. */
  deliveries: string[];
  /** The anomaly as it was alerted, so that the alert message can be rebuilt (acknowledged) with the same figures. */
  anomaly: Anomaly;
  /** Who acknowledged it first (a display name), and when (ISO). */
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

/** "Mute this series": no alert for the series until `until`. */
export interface SeriesMute {
  seriesKey: string;
  /** ISO instant, as `Date.toISOString()` writes it (instants are compared as text). */
  until: string;
  /** Who muted it (a display name). */
  by: string;
  /** ISO instant it was muted. */
  at: string;
}

/**
 * Where alerts and mutes are kept (MongoDB, or memory). Only `claim` (and the first-acknowledger rule of
 * `acknowledge`) must be atomic: on MongoDB and FerretDB that is a unique-index insert, because FerretDB runs updates
 * as a read then a write, never as an atomic compare-and-set (docs/architecture.md#state-stores).
 */
export interface AlertRepository {
  /**
   * Stores `record` if no alert with its `anomalyId` exists. True for exactly one caller per `anomalyId`, however
   * many claim it at once; false for every other (the record already stored is left as it is).
   */
  claim(record: AlertRecord): Promise<boolean>;
  /**
   * Removes a claim whose deliveries could not be enqueued, so that a later scan may claim it again. Its
   * acknowledgement, if any, is kept. Nothing happens when there is none.
   */
  release(anomalyId: string): Promise<void>;
  get(anomalyId: string): Promise<AlertRecord | null>;
  /**
   * Records who acknowledged the alert; the first acknowledger wins and later calls change nothing. Returns the
   * record as stored afterwards (with the winner's `acknowledgedBy`/`acknowledgedAt`), or null when there is no
   * alert for `anomalyId`.
   */
  acknowledge(anomalyId: string, by: string, at: string): Promise<AlertRecord | null>;
  /** Adds a mute; mutes are never shortened by a later, shorter one. */
  mute(mute: SeriesMute): Promise<void>;
  /** The latest `until` of the series' mutes that is after `now`, or null when the series is not muted at `now`. */
  mutedUntil(seriesKey: string, now: Date): Promise<string | null>;
  /** The latest alerts, newest `sentAt` first (ties by descending `anomalyId`); at most `limit`. */
  recent(limit: number): Promise<AlertRecord[]>;
}

/**
 * The series of an anomaly: `<dimension>|<key>|<currency>`.
 * @example seriesKeyOf({ dimension: 'service', key: 'Amazon EC2', currency: 'USD', … }) // 'service|Amazon EC2|USD'
 */
export function seriesKeyOf(anomaly: Pick<Anomaly, 'dimension' | 'key' | 'currency'>): string {
  return `${anomaly.dimension}|${anomaly.key}|${anomaly.currency}`;
}
