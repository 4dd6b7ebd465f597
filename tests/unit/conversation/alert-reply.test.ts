import { describe, expect, it } from 'vitest';
import { alertPageReply, alertReply } from '../../../src/conversation/replies/alert.reply.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import type { ChartSpec } from '../../../src/shared/reply.types.js';
import { testAnomaly } from '../../support/alert-fixtures.js';

const chart: ChartSpec = {
  kind: 'trend',
  title: 'Daily cost of Amazon EC2 — last 30 days',
  currency: 'USD',
  labels: ['2026-05-13', '2026-05-14'],
  series: [{ name: 'Amazon EC2', values: [690, 1918.21] }],
};

const fieldsOf = (reply: ReturnType<typeof alertReply>) =>
  Object.fromEntries((reply.fields ?? []).map((f) => [f.label, f.value]));

describe('alertReply', () => {
  it('names the series, impact, relative change and day in the title, and the figures in fields', () => {
    // 1,234.21 over an expected 684.00 is +180.44%.
    const anomaly = testAnomaly();
    const reply = alertReply(anomaly, { chart });
    expect(reply).toMatchObject({ kind: 'answer', visibility: 'channel', chart });
    expect(reply.title).toBe('Anomaly: Amazon EC2 +1,234.21 USD (+180.4%) on 2026-05-14');
    expect(fieldsOf(reply)).toEqual({
      Actual: '1,918.21 USD',
      'Expected (baseline)': '684.00 USD',
      Impact: '+1,234.21 USD (+180.4%)',
      Severity: 'High spike',
      Where: 'Service Amazon EC2 · AWS',
      // The top 3 by impact as the detector ordered them; the fourth (data, 33.46) is left out.
      Contributors: 'Account payments: +900.50 USD\nAccount search: +300.25 USD\nRegion us-east-1: +200.00 USD',
    });
    expect(reply.context?.join(' ')).toMatch(/effective cost \(amortised\) on Thu 2026-05-14/i);
    expect(reply.data).toEqual({ anomaly });
  });

  it('has Acknowledge, Investigate and Mute 7 days, each carrying the anomaly id', () => {
    const anomaly = testAnomaly({ id: 'anm_1' });
    expect(alertReply(anomaly).buttons).toEqual([
      { actionId: ACTIONS.ALERT_ACK, label: 'Acknowledge', value: 'anm_1', style: 'primary' },
      { actionId: ACTIONS.ALERT_INVESTIGATE, label: 'Investigate', value: 'anm_1' },
      { actionId: ACTIONS.ALERT_MUTE, label: 'Mute 7 days', value: 'anm_1' },
      { actionId: ACTIONS.ALERT_SNOOZE, label: 'Snooze 1 day', value: 'anm_1' },
    ]);
  });

  it('once acknowledged, says by whom and drops the Acknowledge button', () => {
    const reply = alertReply(testAnomaly({ id: 'anm_2' }), { acknowledgedBy: 'Alice Ng' });
    expect(reply.footnote).toBe('Acknowledged by Alice Ng');
    expect(reply.buttons?.map((b) => b.actionId)).toEqual([
      ACTIONS.ALERT_INVESTIGATE,
      ACTIONS.ALERT_MUTE,
      ACTIONS.ALERT_SNOOZE,
    ]);
    expect(alertReply(testAnomaly()).footnote).toBeUndefined();
  });

  it('shows a drop with a minus sign, a new cost without a percentage, and an account by name and id', () => {
    const drop = alertReply(
      testAnomaly({
        dimension: 'account',
        key: '111122223333',
        label: 'payments',
        actual: 200,
        expected: 500,
        impact: -300,
        relative: -0.6,
        direction: 'drop',
        severity: 'medium',
        contributors: [],
      }),
    );
    expect(drop.title).toBe('Anomaly: payments −300.00 USD (−60.0%) on 2026-05-14');
    expect(fieldsOf(drop)).toMatchObject({ Severity: 'Medium drop', Where: 'Account payments (111122223333) · AWS' });
    expect(fieldsOf(drop)).not.toHaveProperty('Contributors');
    const fresh = alertReply(testAnomaly({ expected: 0, actual: 75, impact: 75, relative: null, provider: undefined }));
    expect(fresh.title).toBe('Anomaly: Amazon EC2 +75.00 USD (new) on 2026-05-14');
    const total = alertReply(testAnomaly({ dimension: 'total', key: 'total', label: 'Total', provider: undefined }));
    expect(fieldsOf(total).Where).toBe('All costs');
  });

  it('has no chart when none is given', () => {
    expect(alertReply(testAnomaly())).not.toHaveProperty('chart');
  });
});

describe('alertPageReply', () => {
  it('names the severity, says what happened in its text and has no buttons', () => {
    const page = alertPageReply(testAnomaly({ severity: 'critical' }), { chart });
    expect(page.title).toBe('Critical anomaly: Amazon EC2 +1,234.21 USD (+180.4%) on 2026-05-14');
    expect(page.text).toMatch(/^Amazon EC2 cost 1,918\.21 USD on 2026-05-14, expected 684\.00 USD\./);
    expect(page.buttons).toBeUndefined();
    expect(page.chart).toEqual(chart);
    expect(fieldsOf(page).Actual).toBe('1,918.21 USD');
  });
});
