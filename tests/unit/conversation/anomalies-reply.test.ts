import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../src/anomalies/anomaly.types.js';
import { anomaliesReply, MAX_ANOMALY_ROWS, whereText } from '../../../src/conversation/replies/anomalies.reply.js';
import type { Period } from '../../../src/costs/period.js';

const PERIOD: Period = { from: '2026-05-01', to: '2026-05-31', label: 'May 2026' };

function anomaly(overrides: Partial<Anomaly> = {}): Anomaly {
  return {
    id: 'anm_0123456789abcdef',
    day: '2026-05-12',
    dimension: 'service',
    key: 'Amazon Elastic Compute Cloud',
    label: 'Amazon Elastic Compute Cloud',
    provider: 'AWS',
    currency: 'USD',
    actual: 2480.123456,
    expected: 1000.004,
    impact: 1480.119456,
    relative: 1.480113535,
    direction: 'spike',
    severity: 'critical',
    contributors: [
      { dimension: 'account', key: '762450183390', label: 'web-storefront-prod', impact: 1470.555 },
      { dimension: 'region', key: 'us-east-1', label: 'us-east-1', impact: 1000.4449 },
    ],
    ...overrides,
  };
}

describe('anomaliesReply', () => {
  it('answers in text when there is nothing, with the period in data', () => {
    const reply = anomaliesReply([], PERIOD);
    expect(reply.kind).toBe('answer');
    expect(reply.text).toBeTruthy();
    expect(reply.tables).toBeUndefined();
    expect(reply.data).toEqual({ from: PERIOD.from, to: PERIOD.to, anomalies: [] });
    expect(reply.visibility).toBe('channel');
  });

  it('lists anomalies in one table per currency: day, where, actual, expected, impact, severity', () => {
    const eur = anomaly({
      id: 'anm_eur',
      day: '2026-05-03',
      currency: 'EUR',
      dimension: 'account',
      key: '7d3e9a10',
      label: 'erp-eu-prod',
      actual: 10,
      expected: 300,
      impact: -290,
      relative: -290 / 300,
      direction: 'drop',
      severity: 'high',
      contributors: [],
    });
    const reply = anomaliesReply([anomaly(), eur], PERIOD);
    expect(reply.tables?.map((t) => t.columns.map((c) => c.header))).toEqual([
      ['Day', 'Where', 'Actual (EUR)', 'Expected (EUR)', 'Impact (EUR)', 'Severity'],
      ['Day', 'Where', 'Actual (USD)', 'Expected (USD)', 'Impact (USD)', 'Severity'],
    ]);
    const [eurTable, usdTable] = reply.tables ?? [];
    expect(eurTable?.rows).toEqual([
      [
        { kind: 'text', text: '2026-05-03' },
        { kind: 'text', text: 'Account erp-eu-prod' },
        { kind: 'money', amount: 10, currency: 'EUR' },
        { kind: 'money', amount: 300, currency: 'EUR' },
        { kind: 'money', amount: -290, currency: 'EUR' },
        { kind: 'text', text: 'high' },
      ],
    ]);
    expect(usdTable?.rows[0]?.[1]).toEqual({
      kind: 'text',
      text: 'Service Amazon Elastic Compute Cloud, mostly web-storefront-prod',
    });
    expect(reply.context?.some((line) => line.includes('effective'))).toBe(true);
  });

  it('puts every anomaly in data with amounts in cents', () => {
    const reply = anomaliesReply([anomaly(), anomaly({ id: 'anm_new', relative: null, expected: 0 })], PERIOD);
    const data = reply.data as { anomalies: Record<string, unknown>[] };
    expect(data.anomalies[0]).toEqual({
      id: 'anm_0123456789abcdef',
      day: '2026-05-12',
      dimension: 'service',
      key: 'Amazon Elastic Compute Cloud',
      label: 'Amazon Elastic Compute Cloud',
      provider: 'AWS',
      currency: 'USD',
      actual: 2480.12,
      expected: 1000,
      impact: 1480.12,
      relative: 1.4801,
      severity: 'critical',
      direction: 'spike',
      contributors: [
        { dimension: 'account', key: '762450183390', label: 'web-storefront-prod', impact: 1470.56 },
        { dimension: 'region', key: 'us-east-1', label: 'us-east-1', impact: 1000.44 },
      ],
    });
    expect(data.anomalies[1]).toMatchObject({ id: 'anm_new', expected: 0, relative: null });
  });

  it('shows the most severe anomalies when there are too many, and keeps all in data', () => {
    const many = Array.from({ length: MAX_ANOMALY_ROWS + 5 }, (_, n) =>
      anomaly({
        id: `anm_${n}`,
        day: `2026-05-${String(1 + (n % 28)).padStart(2, '0')}`,
        severity: n < 5 ? 'low' : 'medium',
        impact: 100 + n,
      }),
    );
    const reply = anomaliesReply(many, PERIOD);
    const rows = reply.tables?.flatMap((t) => t.rows) ?? [];
    expect(rows).toHaveLength(MAX_ANOMALY_ROWS);
    expect(rows.every((r) => (r[5] as { text: string }).text === 'medium')).toBe(true);
    const days = rows.map((r) => (r[0] as { text: string }).text);
    expect(days).toEqual([...days].sort());
    expect(reply.context?.some((line) => line.includes('5'))).toBe(true);
    expect((reply.data as { anomalies: unknown[] }).anomalies).toHaveLength(MAX_ANOMALY_ROWS + 5);
  });

  it('names where an anomaly is, with its top contributor', () => {
    expect(whereText(anomaly({ dimension: 'total', key: 'total', label: 'Total', contributors: [] }))).toBe('Total');
  });
});
