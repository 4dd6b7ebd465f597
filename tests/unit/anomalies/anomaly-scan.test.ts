import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbCostRepository } from '../../../adapters/duckdb/duckdb-cost.repository.js';
import type { Anomaly } from '../../../src/anomalies/anomaly.types.js';
import { AnomalyScanService, anomalyId } from '../../../src/anomalies/anomaly-scan.service.js';
import type { DailyRollup } from '../../../src/costs/cost-record.types.js';
import { generateSample, type InjectedAnomaly } from '../../../src/costs/sample/sample-data.js';
import { addDays, type Day, eachDay } from '../../../src/shared/day.js';
import { TallyError } from '../../../src/shared/errors.js';
import { testCostRepository } from '../../support/cost-store.js';

interface Account {
  id: string;
  name: string;
  provider: string;
  currency: string;
}

function rollup(day: Day, account: Account, service: string, region: string, amount: number): DailyRollup {
  return {
    source: 'test',
    day,
    provider: account.provider,
    billingAccountId: `ba-${account.provider}`,
    subAccountId: account.id,
    subAccountName: account.name,
    serviceName: service,
    serviceCategory: 'Compute',
    region,
    chargeCategory: 'Usage',
    currency: account.currency,
    tags: [],
    billed: amount,
    effective: amount,
    list: amount,
    rows: 1,
  };
}

async function repoOf(rollups: DailyRollup[]): Promise<DuckDbCostRepository> {
  const repo = await testCostRepository();
  const days = rollups.map((r) => r.day).sort();
  await repo.replaceRollups('test', { from: days[0]!, to: days.at(-1)! }, rollups);
  return repo;
}

describe('AnomalyScanService on the sample dataset', () => {
  const END: Day = '2026-11-21';
  const sample = generateSample({ endDay: END });
  // The generator injects anomalies into the last ~6 months (day indexes last−182 … last−2): score that window.
  const from = addDays(END, -182);
  let found: Anomaly[] = [];

  beforeAll(async () => {
    const repo = await testCostRepository();
    const writer = await repo.writer('sample');
    for (let i = 0; i < sample.records.length; i += 10_000) await writer.add(sample.records.slice(i, i + 10_000));
    const range = { from: sample.from, to: sample.to };
    await writer.commit({ range, files: [], skipped: [], rowsRejected: 0, rejected: [], rejectedByMonth: {} });
    found = await new AnomalyScanService(repo).scan({ from, to: END });
  });

  /**
   * Scoring rules. Each detection and each injected entry counts once.
   * - strict: a detection matches an injected anomaly when it is on the same day with the same (dimension, key);
   * - series: it also matches when it names the same sub-account × service series from the other side: on the same
   *   day, the detection is on the injected series' other dimension (its service for an `account` entry, its
   *   sub-account for a `service` entry) and the injected key is its top contributor of the injected dimension.
   *   The sample marks some single-series anomalies as meant for the account dimension, although the very same
   *   event is as visible on the service total; the scan names every single-series event by its service.
   * Precision = matching detections / detections; recall = matched injected entries / injected entries.
   */
  const strict = (d: Anomaly, a: InjectedAnomaly) => d.day === a.day && d.dimension === a.dimension && d.key === a.key;
  const sameSeries = (d: Anomaly, a: InjectedAnomaly) => {
    if (strict(d, a)) return true;
    const other =
      a.dimension === 'service'
        ? { dimension: 'account', key: a.subAccountId }
        : { dimension: 'service', key: a.serviceName };
    const top = d.contributors.find((c) => c.dimension === a.dimension);
    return d.day === a.day && d.dimension === other.dimension && d.key === other.key && top?.key === a.key;
  };
  const score = (match: (d: Anomaly, a: InjectedAnomaly) => boolean) => ({
    precision: found.filter((d) => sample.anomalies.some((a) => match(d, a))).length / found.length,
    recall: sample.anomalies.filter((a) => found.some((d) => match(d, a))).length / sample.anomalies.length,
  });

  it('finds the injected anomalies with precision and recall of at least 0.9 (series match)', () => {
    const s = score(sameSeries);
    const t = score(strict);
    console.log(
      `anomaly scan on the sample (${from}..${END}, ${sample.anomalies.length} injected, ${found.length} found): ` +
        `series match precision ${s.precision.toFixed(3)} recall ${s.recall.toFixed(3)}; ` +
        `strict (day, dimension, key) precision ${t.precision.toFixed(3)} recall ${t.recall.toFixed(3)}`,
    );
    expect(sample.anomalies).toHaveLength(19);
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
    // Strict: only the two entries the sample means for the account dimension are named by their service instead.
    const accountEntries = sample.anomalies.filter((a) => a.dimension === 'account').length;
    expect(t.recall).toBeGreaterThanOrEqual((sample.anomalies.length - accountEntries) / sample.anomalies.length);
    expect(t.precision).toBeGreaterThanOrEqual(0.85);
  });

  it('reports each event once and every day of the level shift', () => {
    const keys = found.map((a) => `${a.day}|${a.currency}|${a.dimension}|${a.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    const perDay = new Map<Day, number>();
    for (const a of found) perDay.set(a.day, (perDay.get(a.day) ?? 0) + 1);
    expect([...perDay.values()].every((n) => n === 1)).toBe(true);
    const shift = sample.anomalies.filter((a) => a.kind === 'level-shift');
    expect(shift).toHaveLength(7);
    for (const a of shift) expect(found.some((d) => strict(d, a))).toBe(true);
  });

  it('measures the injected impact: within 10 % of the generator’s figure', () => {
    for (const a of sample.anomalies) {
      const d = found.find((x) => sameSeries(x, a))!;
      expect(Math.sign(d.impact)).toBe(Math.sign(a.expectedImpact));
      expect(Math.abs(d.impact - a.expectedImpact)).toBeLessThanOrEqual(0.1 * Math.abs(a.expectedImpact));
      expect(d.currency).toBe(a.currency);
    }
  });
});

describe('AnomalyScanService on a handmade dataset', () => {
  const ALPHA: Account = { id: 'acc-1', name: 'alpha', provider: 'AWS', currency: 'USD' };
  const BETA: Account = { id: 'acc-2', name: 'beta', provider: 'AWS', currency: 'USD' };
  const GAMMA: Account = { id: 'acc-3', name: 'gamma', provider: 'Microsoft', currency: 'EUR' };
  const DAYS = eachDay('2026-01-01', '2026-04-30');
  /** Flat daily costs: the expected value of every series is exactly its constant. */
  const LINES: [Account, string, string, number][] = [
    [ALPHA, 'Compute', 'us-east-1', 300],
    [ALPHA, 'Compute', 'eu-west-1', 200],
    [ALPHA, 'Storage', 'us-east-1', 100],
    [BETA, 'Compute', 'us-east-1', 400],
    [BETA, 'Storage', 'us-east-1', 350],
    [GAMMA, 'Compute', 'westeurope', 250],
  ];
  /** day → (account id|service|region) → amount that day instead of the constant. */
  const CHANGES: Record<Day, Record<string, number>> = {
    // One series: alpha's Compute in us-east-1 +600.
    '2026-04-10': { 'acc-1|Compute|us-east-1': 900 },
    // gamma's Compute (EUR) drops by 225.
    '2026-04-15': { 'acc-3|Compute|westeurope': 25 },
    // Account-wide: everything in beta doubles (+400 Compute, +350 Storage; neither is 60 % of +750).
    '2026-04-20': { 'acc-2|Compute|us-east-1': 800, 'acc-2|Storage|us-east-1': 700 },
  };
  const rollups = DAYS.flatMap((day) =>
    LINES.map(([account, service, region, amount]) =>
      rollup(day, account, service, region, CHANGES[day]?.[`${account.id}|${service}|${region}`] ?? amount),
    ),
  );
  let found: Anomaly[] = [];
  let repo: DuckDbCostRepository;

  beforeAll(async () => {
    repo = await repoOf(rollups);
    found = await new AnomalyScanService(repo).scan({ from: '2026-03-01', to: '2026-04-30' });
  });

  it('reports one anomaly per event, on the dimension that names it', () => {
    expect(found.map((a) => [a.day, a.dimension, a.key, a.currency])).toEqual([
      ['2026-04-10', 'service', 'Compute', 'USD'],
      ['2026-04-15', 'service', 'Compute', 'EUR'],
      ['2026-04-20', 'account', 'acc-2', 'USD'],
    ]);
  });

  it('gives a single-series event the service total’s amounts and the account as top contributor', () => {
    const a = found[0]!;
    const computeUsd = 300 + 200 + 400;
    expect(a).toMatchObject({ label: 'Compute', provider: 'AWS', direction: 'spike' });
    expect(a.expected).toBeCloseTo(computeUsd, 9);
    expect(a.actual).toBeCloseTo(computeUsd + 600, 9);
    expect(a.impact).toBeCloseTo(600, 9);
    expect(a.relative).toBeCloseTo(600 / computeUsd, 9);
    expect(a.contributors.map((c) => [c.dimension, c.key, c.label])).toEqual([
      ['account', 'acc-1', 'alpha'],
      ['region', 'us-east-1', 'us-east-1'],
    ]);
    expect(a.contributors[0]?.impact).toBeCloseTo(600, 9);
    expect(a.contributors[1]?.impact).toBeCloseTo(600, 9);
  });

  it('reports a drop in another currency separately, with its provider and account', () => {
    const a = found[1]!;
    expect(a).toMatchObject({ currency: 'EUR', provider: 'Microsoft', direction: 'drop', severity: 'high' });
    expect(a.expected).toBeCloseTo(250, 9);
    expect(a.impact).toBeCloseTo(-225, 9);
    expect(a.contributors.map((c) => [c.dimension, c.label])).toEqual([
      ['account', 'gamma'],
      ['region', 'westeurope'],
    ]);
    expect(a.contributors[0]?.impact).toBeCloseTo(-225, 9);
  });

  it('reports an account-wide event on the account, its services and region as contributors', () => {
    const a = found[2]!;
    expect(a).toMatchObject({ label: 'beta', provider: 'AWS', direction: 'spike' });
    expect(a.expected).toBeCloseTo(750, 9);
    expect(a.impact).toBeCloseTo(750, 9);
    expect(a.contributors.map((c) => [c.dimension, c.key, Math.round(c.impact)])).toEqual([
      ['service', 'Compute', 400],
      ['service', 'Storage', 350],
      ['region', 'us-east-1', 750],
    ]);
    // 750 = 15 × minImpact and doubled: critical.
    expect(a.severity).toBe('critical');
  });

  it('gives stable ids from day, dimension, key and currency', async () => {
    const again = await new AnomalyScanService(repo).scan({ from: '2026-03-01', to: '2026-04-30' });
    expect(again.map((a) => a.id)).toEqual(found.map((a) => a.id));
    for (const a of found) expect(a.id).toBe(anomalyId(a.day, a.dimension, a.key, a.currency));
    expect(anomalyId('2026-04-10', 'service', 'Compute', 'USD')).not.toBe(
      anomalyId('2026-04-10', 'service', 'Compute', 'EUR'),
    );
    expect(found[0]?.id).toMatch(/^anm_[0-9a-f]{16}$/);
  });

  it('applies the filter and the requested days', async () => {
    const scan = new AnomalyScanService(repo);
    const microsoft = await scan.scan({ from: '2026-03-01', to: '2026-04-30', filter: { providers: ['Microsoft'] } });
    expect(microsoft.map((a) => [a.day, a.currency])).toEqual([['2026-04-15', 'EUR']]);
    expect((await scan.scan({ from: '2026-04-11', to: '2026-04-19' })).map((a) => a.day)).toEqual(['2026-04-15']);
  });

  it('does not take days after the data ends for a drop to zero', async () => {
    const later = await new AnomalyScanService(repo).scan({ from: '2026-04-21', to: '2026-05-20' });
    expect(later).toEqual([]);
  });

  it('returns nothing for an empty store and refuses a range that ends before it starts', async () => {
    const scan = new AnomalyScanService(await testCostRepository());
    expect(await scan.scan({ from: '2026-01-01', to: '2026-01-31' })).toEqual([]);
    const err = await scan.scan({ from: '2026-02-01', to: '2026-01-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TallyError);
    expect((err as TallyError).code).toBe('USAGE');
  });

  it('reports a rise spread over many small series on the grand total', async () => {
    const accounts = Array.from({ length: 5 }, (_, n) => ({
      id: `a${n}`,
      name: `team-${n}`,
      provider: 'AWS',
      currency: 'USD',
    }));
    const services = ['S0', 'S1', 'S2', 'S3', 'S4'];
    // 25 series of 10 a day; on 04-10 each is 14: +4 a series, +20 per service or account (under 50), +100 in total.
    const small = DAYS.flatMap((day) =>
      accounts.flatMap((acc) => services.map((s) => rollup(day, acc, s, 'us-east-1', day === '2026-04-10' ? 14 : 10))),
    );
    const result = await new AnomalyScanService(await repoOf(small)).scan({ from: '2026-04-01', to: '2026-04-30' });
    expect(result.map((a) => [a.day, a.dimension, a.key, a.label])).toEqual([
      ['2026-04-10', 'total', 'total', 'Total'],
    ]);
    const [total] = result;
    expect(total?.expected).toBeCloseTo(250, 9);
    expect(total?.impact).toBeCloseTo(100, 9);
    expect(total?.contributors.map((c) => c.dimension)).toEqual([
      'service',
      'service',
      'service',
      'account',
      'account',
      'account',
      'region',
    ]);
    for (const c of total?.contributors.slice(0, 6) ?? []) expect(c.impact).toBeCloseTo(20, 9);
    expect(total?.contributors[3]?.label).toMatch(/^team-\d$/);
    expect(total?.contributors[6]?.impact).toBeCloseTo(100, 9);
  });
});
