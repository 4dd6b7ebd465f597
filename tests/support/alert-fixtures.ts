import type { AlertRecord } from '../../src/anomalies/alert.types.js';
import type { Anomaly } from '../../src/anomalies/anomaly.types.js';

/**
 * A service anomaly for tests: Amazon EC2 on 2026-05-14 (a Thursday), 1,918.21 USD against 684.00 expected, with
 * three account contributors and a region. Override anything; `id` follows `day`, `dimension`, `key` and `currency`
 * unless given.
 */
export function testAnomaly(overrides: Partial<Anomaly> = {}): Anomaly {
  const base: Anomaly = {
    id: '',
    day: '2026-05-14',
    dimension: 'service',
    key: 'Amazon EC2',
    label: 'Amazon EC2',
    provider: 'AWS',
    currency: 'USD',
    actual: 1918.21,
    expected: 684,
    impact: 1234.21,
    relative: 1234.21 / 684,
    direction: 'spike',
    severity: 'high',
    contributors: [
      { dimension: 'account', key: '111122223333', label: 'payments', impact: 900.5 },
      { dimension: 'account', key: '444455556666', label: 'search', impact: 300.25 },
      { dimension: 'region', key: 'us-east-1', label: 'us-east-1', impact: 200 },
      { dimension: 'account', key: '777788889999', label: 'data', impact: 33.46 },
    ],
  };
  const anomaly = { ...base, ...overrides };
  return { ...anomaly, id: overrides.id ?? `${anomaly.day}_${anomaly.dimension}_${anomaly.key}_${anomaly.currency}` };
}

/** An alert record of {@link testAnomaly}, sent at `sentAt`. */
export function testAlertRecord(anomaly: Anomaly = testAnomaly(), sentAt = '2026-05-15T06:00:00.000Z'): AlertRecord {
  return {
    anomalyId: anomaly.id,
    seriesKey: `${anomaly.dimension}|${anomaly.key}|${anomaly.currency}`,
    day: anomaly.day,
    severity: anomaly.severity,
    sentAt,
    deliveries: [`anomaly-${anomaly.id}-chat-0123456789ab`, `anomaly-${anomaly.id}-email-ba9876543210`],
    anomaly,
  };
}
