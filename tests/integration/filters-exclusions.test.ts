// Issue 14, item 1: filters on every dimension with several values, exclusions and untagged rows, through the real
// grammar, the command service and DuckDB, over a FOCUS fixture. Expected sums are computed here from the file with
// csv-parse (tests/support/focus-oracle.ts), never with Tally's query code.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { vocabularyOf } from '../../src/agent/understand/vocabulary.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { CommandService } from '../../src/conversation/run-command.js';
import { CostQueryService } from '../../src/costs/cost-query.service.js';
import { ForecastService } from '../../src/costs/forecast.service.js';
import { ImportService } from '../../src/costs/import.service.js';
import { fixedClock, systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const rows = readFixture(EXPORT);
const tags = (r: Record<string, string>) => (r.Tags ? (JSON.parse(r.Tags) as Record<string, string>) : {});
/** May 2026 effective cost in cents (the oracle sums to the cent) per currency of the rows `keep` accepts. */
const may = (keep: (r: Record<string, string>) => boolean) => {
  const sums = expectedSums(rows.filter(keep), {
    from: '2026-05-01',
    to: '2026-05-31',
    amount: 'EffectiveCost',
    key: () => 'all',
  });
  return Object.fromEntries([...sums].map(([currency, m]) => [currency, Math.round((m.get('all') ?? 0) * 100)]));
};

let store: TestCostStore;
let commands: CommandService;
beforeAll(async () => {
  store = await createTestCostStore();
  await new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  }).importPath(EXPORT);
  const costs = new CostQueryService(store.repo);
  commands = new CommandService({
    costs,
    forecast: new ForecastService(costs),
    clock: fixedClock(new Date('2026-06-10T12:00:00Z')),
    status: async () => ({ store: 'test', dataRange: null, imports: [], notes: [] }),
    names: vocabularyOf(store.repo),
  });
});
afterAll(() => store.cleanup());

/** The totals per currency, in cents, that `text` answers. */
async function totals(text: string): Promise<Record<string, number>> {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`${text} did not parse`);
  const reply = await commands.run(parsed.command);
  const data = reply.data as { totals?: { currency: string; total: number }[] };
  return Object.fromEntries((data.totals ?? []).map((t) => [t.currency, Math.round(t.total * 100)]));
}

describe('filters and exclusions over DuckDB', () => {
  it('excludes a charge category, a provider, and a tag value (rows without the tag stay)', async () => {
    expect(await totals('cost in May 2026 excluding charge Tax')).toEqual(may((r) => r.ChargeCategory !== 'Tax'));
    expect(await totals('cost in May 2026 except provider AWS')).toEqual(may((r) => r.ProviderName !== 'AWS'));
    expect(await totals('cost in May 2026 not tag:team=payments')).toEqual(may((r) => tags(r).team !== 'payments'));
  });
  it('filters on several values of a dimension, on charge categories, and on rows without a tag', async () => {
    expect(await totals('cost in May 2026 for charge Usage for charge Credit')).toEqual(
      may((r) => r.ChargeCategory === 'Usage' || r.ChargeCategory === 'Credit'),
    );
    expect(await totals('cost in May 2026 tag:team=(untagged)')).toEqual(may((r) => tags(r).team === undefined));
  });
  it('says what it excluded', async () => {
    const parsed = parseCommand('cost in May 2026 excluding charge Tax');
    const reply = parsed.ok ? await commands.run(parsed.command) : null;
    expect(reply?.context).toContain('excluding: charge Tax');
  });
});

describe('filter values checked against the data', () => {
  it('reads a value written in another case as the data writes it, and says so', async () => {
    expect(await totals('cost in May 2026 for provider aws')).toEqual(may((r) => r.ProviderName === 'AWS'));
    expect(await totals('cost in May 2026 tag:team=PAYMENTS')).toEqual(may((r) => tags(r).team === 'payments'));
    const parsed = parseCommand('cost in May 2026 for provider aws');
    const reply = parsed.ok ? await commands.run(parsed.command) : null;
    expect(reply?.context).toContain('Read provider aws as AWS.');
  });
  it('says a name the data does not hold, with the nearest names, never "No cost data"', async () => {
    const parsed = parseCommand('cost in May 2026 for provider Microsft');
    const reply = parsed.ok ? await commands.run(parsed.command) : null;
    expect(reply?.kind).toBe('notice');
    expect(reply?.text).toContain('No provider named `Microsft` in the cost data. Did you mean `Microsoft`?');
    expect(reply?.data).toMatchObject({ notFound: [{ what: 'provider', value: 'Microsft' }] });
    const oracle = parseCommand('cost in May 2026 for provider Oracle');
    const none = oracle.ok ? await commands.run(oracle.command) : null;
    expect(none?.text).toContain('No provider named `Oracle` in the cost data.');
    expect(none?.text).not.toContain('No cost data');
  });
});

describe('two dimensions, bottom N and run rate over DuckDB', () => {
  const run = async (text: string) => {
    const parsed = parseCommand(text);
    if (!parsed.ok) throw new Error(`${text} did not parse`);
    return (await commands.run(parsed.command)).data as {
      rows: { key: string; cost: number; currency?: string }[];
      totals: { currency: string; total: number }[];
      runRate?: { currency: string; perDay: number; days: number }[];
    };
  };
  const mayRows = (key: (r: Record<string, string>) => string) =>
    expectedSums(rows, { from: '2026-05-01', to: '2026-05-31', amount: 'EffectiveCost', key });

  it('breaks costs down by two dimensions, each row a pair', async () => {
    const data = await run('cost in May 2026 by provider and region');
    // A row without RegionId (the tax) is in region "global", as Tally stores it.
    const expected = mayRows((r) => `${r.ProviderName} · ${r.RegionId || 'global'}`);
    for (const [currency, byKey] of expected)
      for (const [key, amount] of byKey) {
        const row = data.rows.find((x) => x.key === key && (x.currency ?? currency) === currency);
        expect(row?.cost, key).toBe(amount);
      }
  });
  it('gives the N smallest rows with bottom N, the rest as Other', async () => {
    const data = await run('bottom 2 services in May 2026 for provider AWS');
    const aws = [...mayRows((r) => (r.ProviderName === 'AWS' ? r.ServiceName! : '-')).get('USD')!].filter(
      ([k]) => k !== '-',
    );
    const smallest = aws.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, 2);
    expect(data.rows.filter((r) => r.key !== 'Other').map((r) => [r.key, r.cost])).toEqual(smallest);
  });
  it('gives the run rate per day over the days with data', async () => {
    const data = await run('cost in May 2026 run rate');
    const total = mayRows(() => 'all');
    // The fixture's data runs past May, so the run rate divides by May's 31 days.
    for (const r of data.runRate ?? []) {
      expect(r.days).toBe(31);
      expect(r.perDay).toBe(Math.round((total.get(r.currency)!.get('all')! / 31) * 100) / 100);
    }
    expect(data.runRate?.length).toBe(total.size);
  });
});
