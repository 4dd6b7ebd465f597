import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { costQuerySchema } from '../../src/costs/cost-query.schema.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const rows = readFixture(EXPORT);
const MAY = { from: '2026-05-01', to: '2026-05-31' };

interface BreakdownJson {
  metric: string;
  currency: string | null;
  from: string;
  to: string;
  total: number | null;
  totals: { currency: string; total: number }[];
  rows: { key: string; cost: number; currency?: string }[];
}

async function askJson(question: string): Promise<BreakdownJson> {
  const r = await runCli(['ask', '--focus', EXPORT, '--json', question]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as BreakdownJson;
}

/** Compares the JSON rows with sums computed from the fixture, per currency and key, to the cent. */
function expectMatches(json: BreakdownJson, amount: string, key: (r: Record<string, string>) => string) {
  const expected = expectedSums(rows, { ...MAY, amount, key });
  const got = new Map<string, Map<string, number>>();
  const single = json.currency;
  for (const r of json.rows) {
    const cur = r.currency ?? single ?? '';
    const m = got.get(cur) ?? new Map<string, number>();
    got.set(cur, m);
    m.set(r.key, r.cost);
  }
  expect(got).toEqual(expected);
  const totals = new Map(json.totals.map((t) => [t.currency, t.total]));
  const all = expectedSums(rows, { ...MAY, amount, key: () => 'all' });
  expect(totals).toEqual(new Map([...all].map(([c, m]) => [c, m.get('all')])));
}

describe('tally ask --json on a FOCUS export (figures from the file itself)', () => {
  it('cost by service for May equals the effective sums to the cent, per currency', async () => {
    const json = await askJson('cost by service from 2026-05-01 to 2026-05-31');
    expect(json).toMatchObject({ metric: 'effective', from: MAY.from, to: MAY.to });
    expectMatches(json, 'EffectiveCost', (r) => r.ServiceName ?? '');
  });

  it('billed cost by service uses BilledCost, purchases included', async () => {
    const json = await askJson('billed cost by service from 2026-05-01 to 2026-05-31');
    expect(json.metric).toBe('billed');
    expectMatches(json, 'BilledCost', (r) => r.ServiceName ?? '');
  });

  it('cost by account keys rows by SubAccountId', async () => {
    expectMatches(
      await askJson('cost by account from 2026-05-01 to 2026-05-31'),
      'EffectiveCost',
      (r) => r.SubAccountId ?? '',
    );
  });

  it('cost by provider', async () => {
    expectMatches(
      await askJson('cost by provider from 2026-05-01 to 2026-05-31'),
      'EffectiveCost',
      (r) => r.ProviderName ?? '',
    );
  });

  it('list cost by region', async () => {
    const json = await askJson('list cost by region from 2026-05-01 to 2026-05-31');
    expect(json.metric).toBe('list');
    expectMatches(json, 'ListCost', (r) => r.RegionId || 'global');
  });

  it('a single day holds the hourly rows of that day only', async () => {
    const json = await askJson('cost by service from 2026-05-10 to 2026-05-10');
    const expected = expectedSums(rows, {
      from: '2026-05-10',
      to: '2026-05-10',
      amount: 'EffectiveCost',
      key: (r) => r.ServiceName ?? '',
    });
    const usd = expected.get('USD')!;
    for (const [k, cents] of usd)
      expect(json.rows.find((r) => r.key === k && (r.currency ?? 'USD') === 'USD')?.cost).toBe(cents);
  });

  it('the text answer names metric and period and formats amounts', async () => {
    const r = await runCli(['ask', '--focus', EXPORT, 'cost by provider from 2026-05-01 to 2026-05-31']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Metric: effective cost');
    expect(r.stdout).toContain('2026-05-01 to 2026-05-31');
    expect(r.stdout).toMatch(/\d{1,3}(,\d{3})*\.\d{2} USD/);
    expect(r.stdout).toMatch(/\d+\.\d{2} EUR/);
  });

  it('answers a free-text question without a model, with the figures of the file', async () => {
    const r = await runCli(['ask', '--focus', EXPORT, '--json', 'what did we spend on EC2 last month?'], {
      TALLY_TODAY: '2026-06-10',
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as BreakdownJson;
    const ec2 = expectedSums(rows, {
      ...MAY,
      amount: 'EffectiveCost',
      key: (x) => (/Elastic Compute Cloud/.test(x.ServiceName ?? '') ? 'ec2' : 'other'),
    });
    expect(json.total).toBe(ec2.get('USD')?.get('ec2'));
  });
});

describe('tally ask --json: the query with the answer', () => {
  it('returns the structured query that ran, valid against the schema, and top N rows that add up to the total', async () => {
    const json = (await askJson('top 2 services in 2026-05 for provider AWS')) as BreakdownJson & { query: unknown };
    const query = costQuerySchema.parse(json.query);
    expect(query).toMatchObject({
      kind: 'cost',
      period: MAY,
      where: { provider: ['AWS'] },
      groupBy: 'service',
      top: 2,
    });
    const aws = expectedSums(
      rows.filter((r) => r.ProviderName === 'AWS'),
      { ...MAY, amount: 'EffectiveCost', key: () => 'all' },
    );
    const cents = (x: number) => Math.round(x * 100);
    expect(json.rows.map((r) => r.key)).toContain('Other');
    expect(json.rows.reduce((n, r) => n + cents(r.cost), 0)).toBe(cents(json.total!));
    expect(cents(json.total!)).toBe(cents(aws.get('USD')!.get('all')!));
  });
});
