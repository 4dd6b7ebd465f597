import { describe, expect, it } from 'vitest';
import { breakdownChart, type DailyCost, OTHER_SERIES, trendChart } from '../../../src/costs/chart-spec.js';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import type { BreakdownResult, CurrencyBreakdown } from '../../../src/costs/cost-results.types.js';
import { testCostRepository } from '../../support/cost-store.js';
import { testRollup } from '../../support/rollups.js';

const cost = (day: string, key: string, amount: number, currency = 'USD'): DailyCost => ({
  day,
  key,
  currency,
  amount,
});

/** Eight services over ten days with gaps: a missing key on some days, and no data at all on 2026-05-05. */
function sampleDaily(): DailyCost[] {
  const bases: Record<string, number> = { EC2: 900, RDS: 400, S3: 250, Lambda: 60, Glue: 45, SQS: 12, SNS: 7, KMS: 3 };
  const rows: DailyCost[] = [];
  for (let d = 1; d <= 10; d++) {
    if (d === 5) continue;
    const day = `2026-05-${String(d).padStart(2, '0')}`;
    for (const [key, base] of Object.entries(bases)) {
      if (key === 'Glue' && d % 3 === 0) continue;
      rows.push(cost(day, key, base + d * 1.37));
    }
  }
  return rows;
}

/** Sums of the input per day, computed without the code under test. */
function totalsByDay(rows: DailyCost[], keep: (r: DailyCost) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows.filter(keep)) out.set(r.day, (out.get(r.day) ?? 0) + r.amount);
  return out;
}

function breakdown(currencies: CurrencyBreakdown[], groupBy: BreakdownResult['groupBy'] = { kind: 'service' }) {
  return {
    metric: 'effective',
    period: { from: '2026-04-01', to: '2026-04-30', label: 'last month' },
    groupBy,
    currencies,
    dataRange: null,
  } satisfies BreakdownResult;
}

describe('trendChart', () => {
  it('stacks the top N keys plus Other, and every day still sums to the input total', () => {
    const rows = sampleDaily();
    const spec = trendChart(rows, { title: 'Daily cost by service — May', top: 3 });

    expect(spec?.kind).toBe('trend');
    expect(spec?.currency).toBe('USD');
    expect(spec?.series.map((s) => s.name)).toEqual(['EC2', 'RDS', 'S3', OTHER_SERIES]);
    const expected = totalsByDay(rows);
    const rest = totalsByDay(rows, (r) => !['EC2', 'RDS', 'S3'].includes(r.key));
    const other = spec?.series.at(-1)?.values ?? [];
    for (const [i, day] of (spec?.labels ?? []).entries()) {
      const stacked = spec?.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0);
      expect(stacked).toBeCloseTo(expected.get(day) ?? 0, 9);
      expect(other[i]).toBeCloseTo(rest.get(day) ?? 0, 9);
    }
    expect(spec?.labels).toHaveLength(10);
  });

  it('labels every day of the range in order and fills missing days with 0', () => {
    const spec = trendChart(sampleDaily(), { title: 't' });

    expect(spec?.labels).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-05-06',
      '2026-05-07',
      '2026-05-08',
      '2026-05-09',
      '2026-05-10',
    ]);
    for (const s of spec?.series ?? []) {
      expect(s.values).toHaveLength(10);
      expect(s.values[4]).toBe(0);
    }
  });

  it('uses a given range: days before the data are 0, data outside it is left out', () => {
    const rows = [cost('2026-05-03', 'EC2', 10), cost('2026-05-09', 'EC2', 99)];
    const spec = trendChart(rows, { title: 't', range: { from: '2026-05-01', to: '2026-05-04' } });

    expect(spec?.labels).toEqual(['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04']);
    expect(spec?.series).toEqual([{ name: 'EC2', values: [0, 0, 10, 0] }]);
  });

  it('defaults to the top 5 and adds no Other series when nothing is left over', () => {
    const five = sampleDaily().filter((r) => !['SQS', 'SNS', 'KMS'].includes(r.key));

    expect(trendChart(sampleDaily(), { title: 't' })?.series).toHaveLength(6);
    expect(trendChart(five, { title: 't' })?.series.map((s) => s.name)).toEqual(['EC2', 'RDS', 'S3', 'Lambda', 'Glue']);
  });

  it('draws the largest currency unless one is given, never mixing currencies', () => {
    const rows = [
      cost('2026-05-01', 'EC2', 100),
      cost('2026-05-01', 'VM', 70, 'EUR'),
      cost('2026-05-02', 'VM', 60, 'EUR'),
    ];

    const largest = trendChart(rows, { title: 't' });
    expect(largest?.currency).toBe('EUR');
    expect(largest?.series).toEqual([{ name: 'VM', values: [70, 60] }]);
    const usd = trendChart(rows, { title: 't', currency: 'USD' });
    expect(usd?.labels).toEqual(['2026-05-01']);
    expect(usd?.series).toEqual([{ name: 'EC2', values: [100] }]);
  });

  it('names the series with the given labeller, and the no-group-by key as Total', () => {
    const rows = [cost('2026-05-01', '', 5), cost('2026-05-01', '111', 7)];

    expect(trendChart([cost('2026-05-01', '', 5)], { title: 't' })?.series[0]?.name).toBe('Total');
    const named = trendChart(rows, { title: 't', label: (k) => (k === '111' ? 'payments (111)' : 'billing') });
    expect(named?.series.map((s) => s.name)).toEqual(['payments (111)', 'billing']);
  });

  it('returns null without data in the chosen currency', () => {
    expect(trendChart([], { title: 't' })).toBeNull();
    expect(trendChart([cost('2026-05-01', 'EC2', 1)], { title: 't', currency: 'GBP' })).toBeNull();
  });

  it('turns CostQueryService.daily() rows into a trend', async () => {
    const repo = await testCostRepository();
    const rollups = [rollup('2026-05-01', 'EC2', 10), rollup('2026-05-03', 'EC2', 30), rollup('2026-05-03', 'S3', 2)];
    await repo.replaceRollups('t', { from: '2026-05-01', to: '2026-05-03' }, rollups);
    const daily = await new CostQueryService(repo).daily(
      { from: '2026-05-01', to: '2026-05-03' },
      'effective',
      undefined,
      { kind: 'service' },
    );

    const spec = trendChart(daily, { title: 't', top: 1 });
    expect(spec?.labels).toEqual(['2026-05-01', '2026-05-02', '2026-05-03']);
    expect(spec?.series).toEqual([
      { name: 'EC2', values: [10, 0, 30] },
      { name: OTHER_SERIES, values: [0, 0, 2] },
    ]);
  });
});

describe('breakdownChart', () => {
  const usd: CurrencyBreakdown = {
    currency: 'USD',
    total: 150,
    others: null,
    rows: [
      { key: 'AmazonEC2', label: 'Amazon EC2', amount: 100 },
      { key: 'AmazonS3', label: 'Amazon S3', amount: 50 },
    ],
  };
  const eur: CurrencyBreakdown = {
    currency: 'EUR',
    total: 900,
    others: null,
    rows: [{ key: 'vm', label: 'Virtual Machines', amount: 900 }],
  };

  it('draws the rows of the largest currency as bars, titled with the metric and period', () => {
    const spec = breakdownChart(breakdown([eur, usd].sort((a, b) => a.currency.localeCompare(b.currency))));
    expect(spec).toEqual({
      kind: 'bars',
      title: 'Cost by service — last month (2026-04-01 to 2026-04-30)',
      currency: 'EUR',
      labels: ['Virtual Machines'],
      series: [{ name: 'Cost', values: [900] }],
    });
    expect(breakdownChart(breakdown([usd]))?.labels).toEqual(['Amazon EC2', 'Amazon S3']);
    expect(breakdownChart(breakdown([usd]))?.series[0]?.values).toEqual([100, 50]);
  });

  it('returns null without a group-by, currencies or rows', () => {
    expect(breakdownChart(breakdown([usd], null))).toBeNull();
    expect(breakdownChart(breakdown([]))).toBeNull();
    expect(breakdownChart(breakdown([{ ...usd, rows: [] }]))).toBeNull();
  });
});

const rollup = (day: string, serviceName: string, effective: number) => testRollup(day, serviceName, effective);
