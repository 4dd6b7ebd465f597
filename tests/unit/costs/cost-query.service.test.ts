import { describe, expect, it } from 'vitest';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import type { DailyRollup } from '../../../src/costs/cost-record.types.js';
import { ForecastService } from '../../../src/costs/forecast.service.js';
import { addDays, eachDay, weekdayIndex } from '../../../src/shared/day.js';
import { testCostRepository } from '../../support/cost-store.js';
import { testRollup } from '../../support/rollups.js';

const rollup = (day: string, serviceName: string, effective: number, extra: Partial<DailyRollup> = {}) =>
  testRollup(day, serviceName, effective, { list: effective * 1.2, ...extra });

async function serviceWith(rollups: DailyRollup[]) {
  const repo = await testCostRepository();
  const days = rollups.map((r) => r.day).sort();
  await repo.replaceRollups('t', { from: days[0]!, to: days[days.length - 1]! }, rollups);
  return new CostQueryService(repo);
}

const period = (from: string, to: string) => ({ from, to, label: `${from} to ${to}` });

describe('CostQueryService.compare', () => {
  it('reports change, percentage, and items that appeared or disappeared', async () => {
    const svc = await serviceWith([
      rollup('2026-05-01', 'EC2', 100),
      rollup('2026-05-01', 'S3', 50),
      rollup('2026-05-08', 'EC2', 130),
      rollup('2026-05-08', 'Lambda', 7),
    ]);
    const r = await svc.compare({
      metric: 'effective',
      current: period('2026-05-08', '2026-05-08'),
      previous: period('2026-05-01', '2026-05-01'),
      groupBy: { kind: 'service' },
    });
    const usd = r.currencies[0]!;
    expect(usd).toMatchObject({ current: 137, previous: 150, change: -13 });
    expect(usd.ratio).toBeCloseTo(-13 / 150, 10);
    const byKey = Object.fromEntries(usd.rows.map((x) => [x.key, x]));
    expect(byKey.EC2).toMatchObject({ change: 30, status: 'up' });
    expect(byKey.EC2!.ratio).toBeCloseTo(0.3, 10);
    expect(byKey.S3).toMatchObject({ current: 0, previous: 50, status: 'gone', ratio: -1 });
    expect(byKey.Lambda).toMatchObject({ current: 7, previous: 0, status: 'new', ratio: null });
    expect(usd.rows.map((x) => x.key)).toEqual(['S3', 'EC2', 'Lambda']);
  });

  it('keeps currencies apart', async () => {
    const svc = await serviceWith([
      rollup('2026-05-01', 'EC2', 10),
      rollup('2026-05-01', 'VM', 20, { currency: 'EUR' }),
    ]);
    const r = await svc.breakdown({ metric: 'effective', period: period('2026-05-01', '2026-05-01') });
    expect(r.currencies.map((c) => [c.currency, c.total])).toEqual([
      ['EUR', 20],
      ['USD', 10],
    ]);
  });

  it('top N keeps the biggest and sums the rest as others; account keys get names', async () => {
    const svc = await serviceWith([
      rollup('2026-05-01', 'A', 5),
      rollup('2026-05-01', 'B', 9),
      rollup('2026-05-01', 'C', 1),
      rollup('2026-05-01', 'D', 3),
    ]);
    const r = await svc.breakdown({
      metric: 'list',
      period: period('2026-05-01', '2026-05-01'),
      groupBy: { kind: 'service' },
      top: 2,
    });
    const usd = r.currencies[0]!;
    expect(usd.rows.map((x) => x.key)).toEqual(['B', 'A']);
    expect(usd.others?.count).toBe(2);
    expect(usd.others?.amount).toBeCloseTo((1 + 3) * 1.2, 10);
    const acc = await svc.breakdown({
      metric: 'effective',
      period: period('2026-05-01', '2026-05-01'),
      groupBy: { kind: 'account' },
    });
    expect(acc.currencies[0]!.rows[0]).toMatchObject({ key: '111', label: 'payments (111)', amount: 18 });
  });
});

describe('ForecastService', () => {
  it('adds to the month-to-date actuals the same-weekday means of the last four weeks', async () => {
    const today = '2026-11-18';
    const days = eachDay('2026-10-01', '2026-11-17');
    // A weekly pattern: cost = 10 × (weekday index + 1), plus 1 for each day in November.
    const cost = (d: string) => 10 * (weekdayIndex(d) + 1) + (d >= '2026-11-01' ? 1 : 0);
    const svc = await serviceWith(days.map((d) => rollup(d, 'EC2', cost(d))));
    const r = await new ForecastService(svc).forecast({ today, metric: 'effective' });
    const basis = eachDay(addDays(today, -28), addDays(today, -1));
    const mean = (wd: number) => {
      const same = basis.filter((d) => weekdayIndex(d) === wd).map(cost);
      return same.reduce((a, b) => a + b, 0) / same.length;
    };
    const actual = eachDay('2026-11-01', '2026-11-17')
      .map(cost)
      .reduce((a, b) => a + b, 0);
    const rest = eachDay(today, '2026-11-30')
      .map((d) => mean(weekdayIndex(d)))
      .reduce((a, b) => a + b, 0);
    const lastMonth = eachDay('2026-10-01', '2026-10-31')
      .map(cost)
      .reduce((a, b) => a + b, 0);
    const usd = r.currencies[0]!;
    expect(usd.actual).toBeCloseTo(actual, 8);
    expect(usd.forecast).toBeCloseTo(actual + rest, 8);
    expect(usd.lastMonth).toBeCloseTo(lastMonth, 8);
    expect(r.method).toContain('same weekday');
  });
});
