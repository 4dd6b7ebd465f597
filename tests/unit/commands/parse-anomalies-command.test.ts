import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_PERIOD, parseAnomaliesCommand } from '../../../src/commands/parse-anomalies-command.js';

describe('parseAnomaliesCommand', () => {
  it.each([
    ['anomalies', { period: { kind: 'last-days', days: 7 }, filter: {} }],
    ['anomaly', { period: DEFAULT_ANOMALY_PERIOD, filter: {} }],
    ['Anomalies last 30 days', { period: { kind: 'last-days', days: 30 }, filter: {} }],
    [
      'anomalies from 2026-05-01 to 2026-05-31',
      { period: { kind: 'range', from: '2026-05-01', to: '2026-05-31' }, filter: {} },
    ],
    ['anomalies this month for provider AWS', { period: { kind: 'this-month' }, filter: { providers: ['AWS'] } }],
    ['cost anomalies yesterday', { period: { kind: 'yesterday' }, filter: {} }],
    [
      'anomalies last week for service "Amazon Simple Storage Service" region=us-east-1',
      {
        period: { kind: 'last-week' },
        filter: { services: ['Amazon Simple Storage Service'], regions: ['us-east-1'] },
      },
    ],
    [
      'anomalies for account 483920175634 in the last 14 days',
      { period: { kind: 'last-days', days: 14 }, filter: { subAccountIds: ['483920175634'] } },
    ],
  ])('%s', (text, expected) => {
    expect(parseAnomaliesCommand(text)).toEqual({ ok: true, command: { kind: 'anomalies', ...expected } });
  });

  it.each(['anomalies by service', 'anomalies last week yesterday', 'anomalies please', 'anomalies for planet mars'])(
    '%s is invalid with help on anomalies',
    (text) => {
      expect(parseAnomaliesCommand(text)).toMatchObject({ ok: false, reason: 'INVALID', topic: 'anomalies' });
    },
  );

  it.each(['cost last month', 'forecast', 'anomalous spend?', 'show anomalies in May 2026', '', 'costs by service'])(
    '%s is not an anomalies command',
    (text) => {
      expect(parseAnomaliesCommand(text)).toBeNull();
    },
  );
});
