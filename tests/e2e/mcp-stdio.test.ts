import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { connectStdio, type McpTestClient } from '../support/mcp-client.js';
import { runCli } from '../support/run-cli.js';

// Issue 14, item 6: `tally mcp` (the built CLI) with the SDK's own client over stdio. Figures are compared with
// `tally ask --json` for the same question and with sums computed here from the fixture file.
const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const TODAY = '2026-06-10';
const MAY = { from: '2026-05-01', to: '2026-05-31' };
const APRIL = { from: '2026-04-01', to: '2026-04-30' };
const rows = readFixture(EXPORT);

interface Breakdown {
  query: Record<string, unknown>;
  totals: { currency: string; total: number }[];
  rows: { key: string; cost: number; currency?: string }[];
}
interface Comparison {
  query: Record<string, unknown>;
  currencies: {
    currency: string;
    current: number;
    previous: number;
    rows: { key: string; current: number; previous: number }[];
  }[];
}

async function askJson(question: string): Promise<Record<string, unknown>> {
  const r = await runCli(['ask', '--focus', EXPORT, '--json', question], { TALLY_TODAY: TODAY });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Per currency and key, as {@link expectedSums} gives them (amounts to the cent). */
function byCurrency(list: { key: string; amount: number; currency: string }[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of list) out.set(r.currency, (out.get(r.currency) ?? new Map()).set(r.key, r.amount));
  return out;
}
const cents = (amount: number) => Math.round(amount * 100);

let mcp: McpTestClient;

beforeAll(async () => {
  mcp = await connectStdio(['--focus', EXPORT], { TALLY_TODAY: TODAY, LOG_LEVEL: 'warn' });
}, 60_000);

afterAll(async () => {
  await mcp?.close();
});

describe('tally mcp over stdio', () => {
  it('lists the five read-only tools, each taking its input as a schema', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['anomalies', 'compare_costs', 'forecast', 'list_dimension_values', 'query_costs'].sort(),
    );
    for (const t of tools) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    const query = tools.find((t) => t.name === 'query_costs');
    expect(Object.keys(query?.inputSchema.properties ?? {}).sort()).toEqual(
      ['exclude', 'groupBy', 'metric', 'period', 'top', 'where'].sort(),
    );
  });

  it('query_costs gives the figures of `tally ask --json` and of the file, with the query that ran', async () => {
    const got = (await mcp.call('query_costs', { period: MAY, groupBy: 'service' })) as unknown as Breakdown;
    expect(got.query).toEqual({ version: 1, kind: 'cost', metric: 'effective', period: MAY, groupBy: 'service' });
    const asked = (await askJson('cost by service from 2026-05-01 to 2026-05-31')) as unknown as Breakdown;
    expect(got.query).toEqual(asked.query);
    expect(got.rows).toEqual(asked.rows);
    expect(got.totals).toEqual(asked.totals);
    const expected = expectedSums(rows, { ...MAY, amount: 'EffectiveCost', key: (r) => r.ServiceName ?? '' });
    expect(byCurrency(got.rows.map((r) => ({ key: r.key, amount: r.cost, currency: r.currency ?? '' })))).toEqual(
      expected,
    );
  });

  it('query_costs filters like the query model: one provider, billed, top 1 with the rest as Other', async () => {
    const got = (await mcp.call('query_costs', {
      metric: 'billed',
      period: MAY,
      where: { provider: ['AWS'] },
      groupBy: 'account',
      top: 1,
    })) as unknown as Breakdown;
    expect(got.query).toMatchObject({ metric: 'billed', where: { provider: ['AWS'] }, groupBy: 'account', top: 1 });
    const aws = rows.filter((r) => r.ProviderName === 'AWS');
    const perAccount = expectedSums(aws, { ...MAY, amount: 'BilledCost', key: (r) => r.SubAccountId ?? '' }).get('USD');
    const sorted = [...(perAccount ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const [first, ...rest] = sorted;
    const other = rest.reduce((s, [, c]) => s + cents(c), 0) / 100;
    expect(got.rows.map((r) => [r.key, cents(r.cost)])).toEqual([
      [first?.[0], cents(first?.[1] ?? 0)],
      ['Other', cents(other)],
    ]);
    const asked = (await askJson(
      'billed cost from 2026-05-01 to 2026-05-31 by account top 1 for provider AWS',
    )) as unknown as Breakdown;
    expect(got.rows).toEqual(asked.rows);
  });

  it('compare_costs gives both periods per provider as `tally ask --json` and the file do', async () => {
    const got = (await mcp.call('compare_costs', {
      period: MAY,
      previous: APRIL,
      groupBy: 'provider',
    })) as unknown as Comparison;
    expect(got.query).toEqual({
      version: 1,
      kind: 'compare',
      metric: 'effective',
      period: MAY,
      previous: APRIL,
      groupBy: 'provider',
    });
    const asked = (await askJson('compare 2026-05 vs 2026-04 by provider')) as unknown as Comparison;
    expect(got.currencies).toEqual(asked.currencies);
    const provider = (r: Record<string, string>) => r.ProviderName ?? '';
    const current = expectedSums(rows, { ...MAY, amount: 'EffectiveCost', key: provider });
    const previous = expectedSums(rows, { ...APRIL, amount: 'EffectiveCost', key: provider });
    for (const c of got.currencies)
      for (const r of c.rows) {
        expect(r.current, `${c.currency} ${r.key} May`).toBe(current.get(c.currency)?.get(r.key) ?? 0);
        expect(r.previous, `${c.currency} ${r.key} April`).toBe(previous.get(c.currency)?.get(r.key) ?? 0);
      }
    const keys = (m: Map<string, Map<string, number>>) => [...m.values()].flatMap((k) => [...k.keys()]);
    expect(new Set(got.currencies.flatMap((c) => c.rows.map((r) => r.key)))).toEqual(
      new Set([...keys(current), ...keys(previous)]),
    );
  });

  it('list_dimension_values lists the accounts in the file, with a prefix', async () => {
    const all = (await mcp.call('list_dimension_values', { dimension: 'account' })) as {
      values: { value: string; label?: string }[];
    };
    expect(all.values.map((v) => v.value).sort()).toEqual([...new Set(rows.map((r) => r.SubAccountId))].sort());
    const named = rows.find((r) => r.SubAccountId === '111111111111')?.SubAccountName ?? '';
    const some = (await mcp.call('list_dimension_values', { dimension: 'account', prefix: named.slice(0, 4) })) as {
      values: { value: string }[];
    };
    expect(some.values.map((v) => v.value)).toContain('111111111111');
    expect(some.values.length).toBeLessThan(all.values.length);
    const tags = (await mcp.call('list_dimension_values', { dimension: 'tag:team' })) as {
      values: { value: string }[];
    };
    const teams = rows.flatMap((r) => (r.Tags ? [(JSON.parse(r.Tags) as Record<string, string>).team ?? ''] : []));
    expect(tags.values.map((v) => v.value)).toEqual([...new Set(teams.filter(Boolean))].sort());
  });

  it('forecast and anomalies answer with the query that ran', async () => {
    const forecast = await mcp.call('forecast', {});
    expect(forecast.query).toEqual({ version: 1, kind: 'forecast', metric: 'effective' });
    const anomalies = await mcp.call('anomalies', { period: MAY });
    expect(anomalies.query).toEqual({ kind: 'anomalies', period: MAY });
    expect(Array.isArray(anomalies.anomalies)).toBe(true);
  });

  it('refuses input outside the query model as an error, not as figures', async () => {
    const bad = await mcp.client.callTool({ name: 'query_costs', arguments: { period: { from: 'May', to: 'June' } } });
    expect(bad.isError).toBe(true);
    const unknown = await mcp.client.callTool({ name: 'list_dimension_values', arguments: { dimension: 'colour' } });
    expect(unknown.isError).toBe(true);
  });
});
