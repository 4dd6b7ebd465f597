import type { Job } from 'bullmq';
import type { AlertService, ScanOutcome } from '../../src/notifications/alert.service.js';

/** Days scanned by each run: a sync can complete the last days late, and an anomaly is alerted only once anyway. */
const SCAN_DAYS = 3;

/**
 * The `anomaly-scan` queue: scans the last days and alerts what is new. Errors retry with the queue's backoff;
 * scanning again is safe, because each anomaly is claimed once before it is alerted.
 */
export function anomalyScanProcessor(alerts: Pick<AlertService, 'scanAndAlert'>) {
  return async (_job: Job): Promise<ScanOutcome> => alerts.scanAndAlert({ days: SCAN_DAYS });
}
