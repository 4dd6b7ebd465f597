import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';

const TODAY = '2026-11-18';

describe('tally sample', () => {
  it('writes a FOCUS CSV ending yesterday and its anomalies, the same for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-sample-'));
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const r1 = await runCli(['sample', '--out', a], { TALLY_TODAY: TODAY });
    const r2 = await runCli(['sample', '--out', b], { TALLY_TODAY: TODAY });
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const rows = readFixture(a);
    const days = rows.map((r) => r.ChargePeriodStart!.slice(0, 10)).sort();
    expect(days[days.length - 1]).toBe('2026-11-17');
    expect(new Set(rows.map((r) => r.ProviderName)).size).toBeGreaterThanOrEqual(3);
    const anomalies = JSON.parse(readFileSync(join(dir, 'a.anomalies.json'), 'utf8')) as { anomalies: unknown[] };
    expect(anomalies.anomalies.length).toBeGreaterThanOrEqual(10);
  });

  it('`ask` without --focus answers from the same sample data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-sample-'));
    const csv = join(dir, 's.csv');
    await runCli(['sample', '--out', csv], { TALLY_TODAY: TODAY });
    const r = await runCli(['ask', '--json', 'cost last month by provider'], { TALLY_TODAY: TODAY });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      from: string;
      to: string;
      rows: { key: string; cost: number; currency?: string }[];
    };
    expect(json).toMatchObject({ from: '2026-10-01', to: '2026-10-31' });
    const expected = expectedSums(readFixture(csv), {
      from: json.from,
      to: json.to,
      amount: 'EffectiveCost',
      key: (x) => x.ProviderName ?? '',
    });
    for (const row of json.rows) expect(row.cost).toBe(expected.get(row.currency ?? 'USD')?.get(row.key));
  });
});

describe('resources and any tag on the sample', () => {
  const ask = async (question: string) => {
    const r = await runCli(['ask', '--json', question], { TALLY_TODAY: TODAY });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as {
      from: string;
      to: string;
      rows: { key: string; cost: number; currency?: string }[];
      totals: { currency: string; total: number }[];
    };
  };
  const sampleRows = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-sample-'));
    const csv = join(dir, 's.csv');
    await runCli(['sample', '--out', csv], { TALLY_TODAY: TODAY });
    return readFixture(csv);
  };
  const isNull = (v: string | undefined) => v === undefined || v === '' || v === 'NULL';

  it('`top 10 resources last month` equals the ten largest ResourceId sums of the CSV, per currency', async () => {
    const rows = await sampleRows();
    const json = await ask('top 10 resources last month');
    const expected = expectedSums(rows, {
      from: json.from,
      to: json.to,
      amount: 'EffectiveCost',
      key: (x) => (isNull(x.ResourceId) ? '(no resource)' : (x.ResourceId ?? '')),
    });
    for (const [currency, sums] of expected) {
      const top = [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);
      const mine = json.rows.filter((r) => (r.currency ?? 'USD') === currency);
      expect(mine.filter((r) => r.key !== 'Other').map((r) => [r.key, r.cost])).toEqual(top);
      // The rest is one Other row: the rows add up to the currency's total to the cent.
      const total = json.totals.find((t) => t.currency === currency)!.total;
      expect(mine.reduce((n, r) => n + Math.round(r.cost * 100), 0)).toBe(Math.round(total * 100));
    }
  });

  it('`cost last month by tag:Name` equals the sums of the CSV per Name tag value', async () => {
    const rows = await sampleRows();
    const json = await ask('cost last month by tag:Name');
    const expected = expectedSums(rows, {
      from: json.from,
      to: json.to,
      amount: 'EffectiveCost',
      key: (x) => {
        const tags = isNull(x.Tags) ? {} : (JSON.parse(x.Tags ?? '{}') as Record<string, unknown>);
        return typeof tags.Name === 'string' ? tags.Name : '(untagged)';
      },
    });
    const names = new Set(json.rows.map((r) => r.key));
    expect(names.size).toBeGreaterThan(20);
    for (const row of json.rows) expect(row.cost).toBe(expected.get(row.currency ?? 'USD')?.get(row.key));
    const expectedCount = [...expected.values()].reduce((n, m) => n + m.size, 0);
    expect(json.rows.length).toBe(expectedCount);
  });
});

describe('tally shell', () => {
  it('answers lines from stdin, shows help, and leaves on exit', async () => {
    const r = await runCli(
      ['shell'],
      { TALLY_TODAY: TODAY, HOME: mkdtempSync(join(tmpdir(), 'tally-home-')) },
      'help\ncost last month by service\ncost by flavour\nexit\n',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tally> ');
    expect(r.stdout).toContain('top 5 services last 30 days');
    expect(r.stdout).toContain('Cost by service — last month (2026-10-01 to 2026-10-31)');
    expect(r.stdout).toContain('`flavour` is not something Tally can break costs down by');
    expect(r.stdout).not.toMatch(/\bat .+\.js:\d+/);
  });

  it('keeps history in ~/.tally_history', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tally-home-'));
    await runCli(['shell'], { TALLY_TODAY: TODAY, HOME: home }, 'forecast\nexit\n');
    expect(readFileSync(join(home, '.tally_history'), 'utf8')).toBe('forecast\n');
  });
});

describe('tally start', () => {
  it('without a chat platform and without a terminal exits 2 saying so', async () => {
    const r = await runCli(['start']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no chat platform is configured/);
  });

  it('refuses Slack in HTTP mode without a signing secret, naming SLACK_SIGNING_SECRET', async () => {
    const r = await runCli(['start'], { SLACK_BOT_TOKEN: 'xoxb-1-2-abc' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SLACK_SIGNING_SECRET');
  });

  it('with Slack configured but no Redis, refuses to start naming REDIS_URL', async () => {
    const r = await runCli(['start'], {
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'secret',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('REDIS_URL');
  });
});
