import { describe, expect, it } from 'vitest';
import type { CostRecord } from '../../../src/costs/cost-record.types.js';
import { generateSample, type InjectedAnomaly } from '../../../src/costs/sample/sample-data.js';
import { addDays, type Day, dayOf, daysBetween, eachDay, weekdayIndex } from '../../../src/shared/day.js';
import { TallyError } from '../../../src/shared/errors.js';

const END: Day = '2026-11-21';
const sample = generateSample({ endDay: END });
const usage = sample.records.filter((r) => r.chargeCategory === 'Usage');

function distinct<T>(values: Iterable<T>): Set<T> {
  return new Set(values);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** EffectiveCost of Usage rows per `subAccountId|serviceName`, then per day. */
function dailySeries(records: CostRecord[]): Map<string, Map<Day, number>> {
  const out = new Map<string, Map<Day, number>>();
  for (const r of records) {
    if (r.chargeCategory !== 'Usage') continue;
    const key = `${r.subAccountId}|${r.serviceName}`;
    const days = out.get(key) ?? new Map<Day, number>();
    const day = dayOf(r.chargePeriodStart);
    days.set(day, (days.get(day) ?? 0) + r.effectiveCost);
    out.set(key, days);
  }
  return out;
}

function decimalsOf(n: number): number {
  return (String(n).split('.')[1] ?? '').length;
}

describe('generateSample', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    const again = generateSample({ endDay: END });
    expect(JSON.stringify(again)).toBe(JSON.stringify(sample));
    const other = generateSample({ endDay: END, seed: 7 });
    expect(other.records.length).toBe(sample.records.length);
    expect(other.records.map((r) => r.effectiveCost)).not.toEqual(sample.records.map((r) => r.effectiveCost));
    expect(other.anomalies).not.toEqual(sample.anomalies);
  });

  it('covers 13 months ending on endDay, every day', () => {
    expect(sample.to).toBe(END);
    expect(sample.from).toBe('2025-10-22');
    const days = distinct(usage.map((r) => dayOf(r.chargePeriodStart)));
    expect(days).toEqual(distinct(eachDay(sample.from, END)));
    const allDays = sample.records.map((r) => dayOf(r.chargePeriodStart)).sort();
    expect(allDays[0]).toBe(sample.from);
    expect(allDays.at(-1)).toBe(END);
    expect(sample.records.length).toBeGreaterThanOrEqual(60_000);
    expect(sample.records.length).toBeLessThanOrEqual(150_000);
  });

  it('honours the months option', () => {
    const short = generateSample({ endDay: END, months: 2 });
    expect(short.from).toBe('2026-09-22');
    expect(short.records.every((r) => dayOf(r.chargePeriodStart) >= '2026-09-22')).toBe(true);
  });

  it('rejects bad options with a USAGE error', () => {
    for (const options of [{ endDay: '2026-02-30' }, { endDay: END, months: 0 }, { endDay: END, seed: 1.5 }]) {
      let caught: unknown;
      try {
        generateSample(options);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(TallyError);
      expect((caught as TallyError).code).toBe('USAGE');
    }
  });

  it('spans three providers, ≥ 8 sub-accounts, ≥ 30 services and ≥ 5 regions', () => {
    expect(distinct(usage.map((r) => r.provider))).toEqual(distinct(['AWS', 'Microsoft', 'Google Cloud']));
    expect(distinct(usage.map((r) => r.subAccountId)).size).toBeGreaterThanOrEqual(8);
    expect(distinct(usage.map((r) => r.serviceName)).size).toBeGreaterThanOrEqual(30);
    const regions = distinct(usage.map((r) => r.region).filter((r) => r !== '' && r !== 'global'));
    expect(regions.size).toBeGreaterThanOrEqual(5);
    const categories = distinct(usage.map((r) => r.serviceCategory));
    for (const c of ['Compute', 'Storage', 'Databases', 'Networking', 'Analytics', 'AI and Machine Learning']) {
      expect(categories).toContain(c);
    }
  });

  it('tags usage with team, env and cost-center, and some keys contain "." or "/"', () => {
    const untagged = usage.filter((r) => !['team', 'env', 'cost-center'].every((k) => r.tags.some((t) => t.key === k)));
    expect(untagged).toEqual([]);
    expect(distinct(usage.flatMap((r) => r.tags.filter((t) => t.key === 'env').map((t) => t.value)))).toEqual(
      distinct(['prod', 'staging', 'dev']),
    );
    expect(usage.some((r) => r.tags.some((t) => t.key === 'kubernetes.io/cluster'))).toBe(true);
    const keys = distinct(usage.flatMap((r) => r.tags.map((t) => t.key)));
    expect([...keys].some((k) => k.includes('.'))).toBe(true);
    expect([...keys].some((k) => k.includes('/'))).toBe(true);
  });

  it('has lower compute cost on weekends than on weekdays', () => {
    const weekday: number[] = [];
    const weekend: number[] = [];
    const byDay = new Map<Day, number>();
    for (const r of usage.filter((u) => u.serviceCategory === 'Compute')) {
      const day = dayOf(r.chargePeriodStart);
      byDay.set(day, (byDay.get(day) ?? 0) + r.effectiveCost);
    }
    for (const [day, cost] of byDay) (weekdayIndex(day) >= 5 ? weekend : weekday).push(cost);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(weekend)).toBeLessThan(mean(weekday) * 0.85);
  });

  it('grows some services and declines one', () => {
    const series = dailySeries(sample.records);
    const monthMean = (key: string, month: string) => {
      const values = [...(series.get(key) ?? [])].filter(([d]) => d.startsWith(month)).map(([, v]) => v);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(monthMean('309817446251|Amazon SageMaker', '2026-10')).toBeGreaterThan(
      1.5 * monthMean('309817446251|Amazon SageMaker', '2025-11'),
    );
    expect(monthMean('309817446251|Amazon ElastiCache', '2026-10')).toBeLessThan(
      0.7 * monthMean('309817446251|Amazon ElastiCache', '2025-11'),
    );
  });

  it('prices usage like a real export: list ≥ effective, billed = effective unless covered by a commitment', () => {
    expect(usage.filter((r) => !(r.listCost >= r.effectiveCost && r.effectiveCost > 0))).toEqual([]);
    expect(usage.filter((r) => r.billedCost !== r.effectiveCost && r.billedCost !== 0)).toEqual([]);
    expect(usage.some((r) => r.billedCost === 0)).toBe(true);
    expect(usage.some((r) => decimalsOf(r.effectiveCost) >= 8)).toBe(true);
  });

  it('has commitment purchases billed with zero effective cost', () => {
    const purchases = sample.records.filter((r) => r.chargeCategory === 'Purchase');
    expect(distinct(purchases.map((r) => r.provider))).toEqual(distinct(['AWS', 'Microsoft']));
    for (const r of purchases) {
      expect(r.effectiveCost).toBe(0);
      expect(r.billedCost).toBeGreaterThan(0);
    }
  });

  it('has negative credits, monthly taxes per billing account, and EUR rows', () => {
    const credits = sample.records.filter((r) => r.chargeCategory === 'Credit');
    expect(credits.length).toBeGreaterThanOrEqual(12);
    for (const r of credits) {
      expect(r.billedCost).toBeLessThan(0);
      expect(r.effectiveCost).toBeLessThan(0);
    }
    const taxes = sample.records.filter((r) => r.chargeCategory === 'Tax');
    expect(distinct(taxes.map((r) => r.billingAccountId)).size).toBe(3);
    for (const r of taxes) expect(r.billedCost).toBeGreaterThan(0);
    expect(taxes.filter((r) => r.provider === 'AWS')).toHaveLength(13);
    const currencies = distinct(sample.records.map((r) => r.currency));
    expect(currencies).toEqual(distinct(['USD', 'EUR']));
  });

  it('emits hourly rows for some series and daily rows for the rest', () => {
    const hours = (r: CostRecord) => (r.chargePeriodEnd.getTime() - r.chargePeriodStart.getTime()) / 3_600_000;
    const hourly = usage.filter((r) => hours(r) === 1);
    expect(hourly.length).toBeGreaterThan(0);
    const oneDay = hourly.filter((r) => dayOf(r.chargePeriodStart) === END && r.region === 'us-central1');
    expect(oneDay).toHaveLength(24);
    const odd = usage.filter((r) => hours(r) !== 1 && (hours(r) !== 24 || r.chargePeriodStart.getUTCHours() !== 0));
    expect(odd).toEqual([]);
  });

  it('gives resource ids in provider formats', () => {
    const ids = usage.map((r) => r.resourceId);
    expect(ids.some((id) => /^i-0[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(ids.some((id) => /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/.+\/virtualMachines\//.test(id))).toBe(
      true,
    );
    expect(ids.some((id) => /^projects\/[a-z0-9-]+\/zones\/.+\/instances\//.test(id))).toBe(true);
  });
});

describe('injected anomalies', () => {
  const series = dailySeries(sample.records);
  const { anomalies } = sample;

  it('lists ≥ 12 anomalies on distinct days over the last ~6 months, of every kind', () => {
    expect(anomalies.length).toBeGreaterThanOrEqual(12);
    expect(distinct(anomalies.map((a) => a.day)).size).toBe(anomalies.length);
    for (const a of anomalies) {
      expect(daysBetween(a.day, END)).toBeLessThanOrEqual(190);
      expect(daysBetween(a.day, END)).toBeGreaterThan(0);
      if (a.kind !== 'level-shift') expect(weekdayIndex(a.day)).toBeLessThan(5);
    }
    const kinds = (kind: InjectedAnomaly['kind']) => anomalies.filter((a) => a.kind === kind).length;
    expect(kinds('spike')).toBeGreaterThanOrEqual(5);
    expect(kinds('drop')).toBeGreaterThanOrEqual(2);
    expect(kinds('level-shift')).toBeGreaterThanOrEqual(5);
    expect(anomalies.some((a) => a.dimension === 'account' && a.key === a.subAccountId)).toBe(true);
  });

  it('states an impact matching the series against the median of the same weekday over 4 prior weeks', () => {
    for (const a of anomalies) {
      const days = series.get(`${a.subAccountId}|${a.serviceName}`);
      expect(days, `${a.subAccountId}|${a.serviceName}`).toBeDefined();
      const actual = days?.get(a.day) ?? 0;
      const baseline = median([7, 14, 21, 28].map((n) => days?.get(addDays(a.day, -n)) ?? 0));
      const observed = actual - baseline;
      expect(Math.abs(observed - a.expectedImpact), `${a.day} ${a.description}`).toBeLessThanOrEqual(
        0.35 * Math.abs(a.expectedImpact),
      );
      if (a.kind === 'drop') expect(actual).toBeLessThan(0.06 * baseline);
      if (a.kind === 'spike') expect(actual).toBeGreaterThan(2.5 * baseline);
      expect(a.key).toBe(a.dimension === 'service' ? a.serviceName : a.subAccountId);
      expect(a.expectedImpact).toBe(Math.round(a.expectedImpact * 100) / 100);
    }
  });

  it('never targets purchase, credit or tax rows', () => {
    for (const a of anomalies) {
      const rows = sample.records.filter(
        (r) =>
          r.subAccountId === a.subAccountId && r.serviceName === a.serviceName && dayOf(r.chargePeriodStart) === a.day,
      );
      expect(rows.every((r) => r.chargeCategory === 'Usage')).toBe(true);
    }
  });
});
