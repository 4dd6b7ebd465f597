// Issue 14, item 5: the month-end forecast includes the monthly charges (tax dated the 1st of the month it covers,
// as providers export it), states an 80% range, ends its actuals where every source has data, and is compared with
// last month like for like. Two real FOCUS files in the DuckDB store; every expected figure is computed here.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { CostQueryService } from '../../src/costs/cost-query.service.js';
import { ForecastService } from '../../src/costs/forecast.service.js';
import { ImportService } from '../../src/costs/import.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';

const HEADER =
  'BillingAccountId,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ListCost,ProviderName,ServiceName,ServiceCategory,SubAccountId,RegionId';
const DAY = 86_400_000;
const TODAY = '2026-06-16';
const TAX_RATE = 0.1;
const iso = (t: number) => new Date(t).toISOString();
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = dayMs(from); t <= dayMs(to); t += DAY) out.push(iso(t).slice(0, 10));
  return out;
};
/** AWS usage: 100 a day, 120 on days of odd ISO-week parity (a weekday's cost varies from week to week). */
const awsUsage = (d: string) => (Math.floor((dayMs(d) / DAY + 3) / 7) % 2 === 0 ? 100 : 120);
const AZURE_USAGE = 50;
const row = (cat: string, start: string, end: string, cost: number, provider: string, service: string) =>
  [
    `${provider}-billing`,
    'USD',
    cat,
    iso(dayMs(start)),
    iso(dayMs(end)),
    cost.toFixed(2),
    cost.toFixed(2),
    cost.toFixed(2),
    provider,
    service,
    cat === 'Tax' ? 'Other' : 'Compute',
    `${provider}-acct`,
    cat === 'Tax' ? '' : 'eu-west-1',
  ].join(',');

const AWS_DAYS = days('2026-04-01', '2026-06-15');
const AZURE_DAYS = days('2026-04-01', '2026-06-14');
const monthUsage = (m: string) => AWS_DAYS.filter((d) => d.startsWith(m)).reduce((s, d) => s + awsUsage(d), 0);
/** Tax of each complete month, dated the 1st of that month and covering it (AWS's usage only). */
const tax = (m: string) => Math.round(monthUsage(m) * TAX_RATE * 100) / 100;

let store: TestCostStore;
let folder: string;
beforeAll(async () => {
  store = await createTestCostStore();
  folder = await mkdtemp(join(tmpdir(), 'tally-forecast-'));
  const aws = [
    ...AWS_DAYS.map((d) => row('Usage', d, iso(dayMs(d) + DAY).slice(0, 10), awsUsage(d), 'AWS', 'Amazon EC2')),
    row('Tax', '2026-04-01', '2026-05-01', tax('2026-04'), 'AWS', 'Tax'),
    row('Tax', '2026-05-01', '2026-06-01', tax('2026-05'), 'AWS', 'Tax'),
  ];
  const azure = AZURE_DAYS.map((d) =>
    row('Usage', d, iso(dayMs(d) + DAY).slice(0, 10), AZURE_USAGE, 'Microsoft', 'Virtual Machines'),
  );
  const importer = new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  });
  for (const [name, lines] of [
    ['aws', aws],
    ['azure', azure],
  ] as const) {
    const file = join(folder, `${name}.csv`);
    await writeFile(file, [HEADER, ...lines].join('\n'));
    await importer.importPath(file, { source: name });
  }
});
afterAll(async () => {
  await store.cleanup();
  await rm(folder, { recursive: true, force: true });
});

describe('the month-end forecast', () => {
  it('adds the tax last month had, scaled with usage, ends actuals where every source has data, and gives an 80% range', async () => {
    const r = await new ForecastService(new CostQueryService(store.repo)).forecast({
      today: TODAY,
      metric: 'effective',
    });
    // Azure ends on the 14th: actuals end there for both sources.
    const through = '2026-06-14';
    expect(r.actualThrough).toBe(through);
    const usd = r.currencies.find((c) => c.currency === 'USD')!;
    const juneSoFar = days('2026-06-01', through);
    const actual = juneSoFar.reduce((s, d) => s + awsUsage(d) + AZURE_USAGE, 0);
    expect(usd.actual).toBeCloseTo(actual, 2);
    // Each remaining day: the mean of the same weekday over the 4 weeks ending on the 14th.
    const basis = days('2026-05-18', through);
    const sameWeekday = (d: string) => basis.filter((b) => (dayMs(b) - dayMs(d)) % (7 * DAY) === 0);
    const remaining = days('2026-06-15', '2026-06-30');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const usageForecast = actual + remaining.reduce((s, d) => s + mean(sameWeekday(d).map(awsUsage)) + AZURE_USAGE, 0);
    const usageLastMonth = monthUsage('2026-05') + days('2026-05-01', '2026-05-31').length * AZURE_USAGE;
    const expected = usageForecast + tax('2026-05') * (usageForecast / usageLastMonth);
    expect(usd.forecast).toBeCloseTo(expected, 2);
    // Last month with its tax: like for like with a forecast that has one.
    expect(usd.lastMonth).toBeCloseTo(usageLastMonth + tax('2026-05'), 2);
    const variance = remaining.reduce((s, d) => {
      const xs = sameWeekday(d).map((b) => awsUsage(b) + AZURE_USAGE);
      const m = mean(xs);
      return s + xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
    }, 0);
    expect(variance).toBeGreaterThan(0);
    expect(usd.range.low).toBeCloseTo(expected - 1.2816 * Math.sqrt(variance), 2);
    expect(usd.range.high).toBeCloseTo(expected + 1.2816 * Math.sqrt(variance), 2);
    expect(r.method).toContain('Data ends 2026-06-14');
  });
});
