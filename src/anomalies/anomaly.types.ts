import type { Day } from '../shared/day.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Where an anomaly was found: a service (all accounts), an account (all services), or the grand total. */
export type AnomalyDimension = 'service' | 'account' | 'total';

/** A dimension value that explains part of an anomaly's impact. */
export interface Contributor {
  dimension: 'service' | 'account' | 'region';
  key: string;
  /** Display text (account names, not ids). */
  label: string;
  /** Actual minus expected of this contributor on the day, in the anomaly's currency. */
  impact: number;
}

/** One anomalous day of one series. Amounts are effective cost in `currency`. */
export interface Anomaly {
  /** Stable: the same day, dimension, key and currency always give the same id (alerts are sent once per id). */
  id: string;
  day: Day;
  dimension: AnomalyDimension;
  /** Service name, sub-account id, or `total`. */
  key: string;
  label: string;
  provider?: string;
  currency: string;
  actual: number;
  /** The robust, day-of-week-aware baseline for that day. */
  expected: number;
  /** actual − expected (negative for drops). */
  impact: number;
  /** impact / expected; null when expected is 0. */
  relative: number | null;
  direction: 'spike' | 'drop';
  severity: Severity;
  /** The main contributing dimension values, largest |impact| first. */
  contributors: Contributor[];
}
