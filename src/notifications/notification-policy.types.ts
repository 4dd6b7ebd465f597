import type { Severity } from '../anomalies/anomaly.types.js';

/** Where anomaly alerts go: a chat channel, for the anomalies matching its filters at or above a severity. */
export interface AlertRoute {
  platform: 'slack' | 'teams';
  channel: string;
  /** @defaultValue 'medium' */
  minSeverity: Severity;
  /** Allow-lists; absent = all. */
  providers?: string[];
  accounts?: string[];
  services?: string[];
}

/** The `notifications:` part of the policy file. */
export interface NotificationPolicy {
  routes: AlertRoute[];
  /** People keys (policy `approvals.people`) who get critical anomalies by email and SMS. */
  onCall: string[];
  anomalies: {
    /** Smallest |impact| per day that is reported, in the series' currency. @defaultValue 50 */
    minImpact: number;
    /** Smallest |impact| / expected that is reported. @defaultValue 0.3 */
    minRelative: number;
  };
}
