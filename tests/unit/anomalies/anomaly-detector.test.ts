import { describe, expect, it } from 'vitest';
import {
  changeSize,
  DEFAULT_DETECTOR_OPTIONS,
  detectAnomalies,
  previousMonthIndex,
  resolveDetectorOptions,
  SeriesModel,
  severityOf,
  weeklyBaseline,
} from '../../../src/anomalies/anomaly-detector.js';
import { addDays, eachDay } from '../../../src/shared/day.js';
import { TallyError } from '../../../src/shared/errors.js';

/** A small seeded generator (LCG), independent of Tally's own PRNG. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296;
  };
}

interface Shape {
  days: number;
  base?: number;
  /** Weekend days cost this share less (days 5 and 6 of every week are the weekend). */
  weekendDrop?: number;
  /** Uniform noise of ± this share. */
  noise?: number;
  seed?: number;
}

/** A weekly-patterned series with noise: the normal value of day i is `normal(i)`. */
function series({ days, base = 1000, weekendDrop = 0.3, noise = 0.03, seed = 1 }: Shape) {
  const rand = lcg(seed);
  const normal = (i: number) => base * (i % 7 >= 5 ? 1 - weekendDrop : 1);
  const values = Float64Array.from({ length: days }, (_, i) => normal(i) * (1 + noise * (2 * rand() - 1)));
  return { values, normal };
}

const indexes = (found: { index: number }[]) => found.map((a) => a.index);

describe('detectAnomalies on generated series', () => {
  it('finds nothing in a clean weekly series with noise (weekends are not anomalies)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { values } = series({ days: 400, seed, weekendDrop: 0.4, noise: 0.05 });
      expect(detectAnomalies(values)).toEqual([]);
    }
  });

  it('finds known spikes and drops on exactly their days, with expected near the normal value', () => {
    const { values, normal } = series({ days: 300, seed: 7 });
    const injected = new Map([
      [100, 3],
      [150, 0.05],
      [203, 2.5],
      [250, 0.2],
    ]);
    for (const [i, factor] of injected) values[i] = normal(i) * factor;
    const found = detectAnomalies(values);
    expect(indexes(found)).toEqual([...injected.keys()]);
    for (const a of found) {
      const factor = injected.get(a.index)!;
      // The baseline is a median of noisy same-weekday values: within the ±3 % noise of the normal value.
      expect(Math.abs(a.expected - normal(a.index)) / normal(a.index)).toBeLessThan(0.03);
      expect(a.actual).toBe(values[a.index]);
      expect(a.impact).toBeCloseTo(a.actual - a.expected, 9);
      expect(a.direction).toBe(factor > 1 ? 'spike' : 'drop');
      expect(a.relative).toBeCloseTo((normal(a.index) * factor - a.expected) / a.expected, 9);
    }
  });

  it('sees a weekday that costs what a weekend day costs as a drop', () => {
    const { values, normal } = series({ days: 120, weekendDrop: 0.5, noise: 0.01, seed: 3 });
    values[100] = normal(5); // day 100 is a weekday (100 % 7 = 2) at the weekend level
    const found = detectAnomalies(values);
    expect(indexes(found)).toEqual([100]);
    expect(found[0]?.direction).toBe('drop');
  });

  it('reports a level shift for its first maxRunDays days, then takes it as the new normal', () => {
    const { values, normal } = series({ days: 260, base: 400, noise: 0.02, seed: 11 });
    for (let i = 180; i < 260; i++) values[i] = normal(i) * 1.8 * (values[i]! / normal(i));
    const found = detectAnomalies(values);
    expect(indexes(found)).toEqual([180, 181, 182, 183, 184, 185, 186]);
    expect(found.map((a) => a.runDay)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const longer = detectAnomalies(values, { maxRunDays: 10 });
    expect(indexes(longer)).toEqual(Array.from({ length: 10 }, (_, d) => 180 + d));
  });

  it('does not re-report a long run that started before the reported window', () => {
    const { values, normal } = series({ days: 260, base: 400, noise: 0.02, seed: 11 });
    for (let i = 180; i < 260; i++) values[i] = normal(i) * 1.8;
    expect(indexes(detectAnomalies(values, {}, { from: 185 }))).toEqual([185, 186]);
    expect(detectAnomalies(values, {}, { from: 190, to: 200 })).toEqual([]);
  });

  it('reports new spend on a series that was 0: expected 0, relative null, for its first week', () => {
    const values = new Float64Array(200);
    for (let i = 120; i < 200; i++) values[i] = 800;
    const found = detectAnomalies(values);
    expect(indexes(found)).toEqual([120, 121, 122, 123, 124, 125, 126]);
    expect(found[0]).toMatchObject({ actual: 800, expected: 0, impact: 800, relative: null, direction: 'spike' });
    // 800 = 16 × minImpact, from nothing: critical.
    expect(found[0]?.severity).toBe('critical');
  });

  it('reports spend that stops (a drop to 0) as a drop of 100 %', () => {
    const values = new Float64Array(100).fill(300);
    values[80] = 0;
    const found = detectAnomalies(values);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 80, actual: 0, expected: 300, impact: -300, relative: -1 });
  });

  it('gives no verdict with less than minWeeks weeks of history', () => {
    const flat = (days: number) => new Float64Array(days).fill(500);
    const short = flat(21);
    short[20] = 5000; // only 2 earlier same weekdays (6 and 13)
    expect(detectAnomalies(short)).toEqual([]);
    const enough = flat(22);
    enough[21] = 5000; // 3 earlier same weekdays (0, 7, 14)
    expect(indexes(detectAnomalies(enough))).toEqual([21]);
    expect(indexes(detectAnomalies(short, { minWeeks: 2 }))).toEqual([20]);
  });

  it('treats NaN as no data: no baseline from it, and no drop after the data ends', () => {
    const values = new Float64Array(120).fill(Number.NaN);
    for (let i = 30; i < 100; i++) values[i] = 200;
    values[90] = 900;
    expect(indexes(detectAnomalies(values))).toEqual([90]);
    expect(Number.isNaN(weeklyBaseline(values, 6, 3)[50]!)).toBe(true); // 3 weeks of data are needed first
  });

  it('needs both the absolute and the relative threshold', () => {
    const make = (base: number, jump: number) => {
      const values = new Float64Array(100).fill(base);
      values[90] = base + jump;
      return values;
    };
    // +40 on 100: 40 % but under 50.
    expect(detectAnomalies(make(100, 40))).toEqual([]);
    expect(indexes(detectAnomalies(make(100, 40), { minImpact: 30 }))).toEqual([90]);
    // +200 on 1000: over 50 but 20 %.
    expect(detectAnomalies(make(1000, 200))).toEqual([]);
    expect(indexes(detectAnomalies(make(1000, 200), { minRelative: 0.15 }))).toEqual([90]);
    // +60 on 100: both.
    expect(indexes(detectAnomalies(make(100, 60)))).toEqual([90]);
  });

  it('needs a deviation beyond k robust standard deviations of the series', () => {
    const spike = (noise: number) => {
      const { values, normal } = series({ days: 120, base: 1000, noise, seed: 5 });
      values[100] = normal(100) * 1.5;
      return values;
    };
    expect(indexes(detectAnomalies(spike(0.02)))).toEqual([100]);
    // ±40 % noise: a +50 % day is within the usual wobble.
    expect(detectAnomalies(spike(0.4))).toEqual([]);
  });

  it('expects charges that recur on the same day of the month, once two months show them', () => {
    const days = eachDay('2025-01-01', '2025-08-31');
    const values = Float64Array.from(days, (d) => 300 + (d.endsWith('-01') ? 2000 : 0));
    values[days.indexOf('2025-07-01')] = 300 + 4000; // the charge doubled in July
    values[days.indexOf('2025-08-01')] = 300; // and was not posted in August
    const previousMonth = previousMonthIndex(days[0]!, days.length);
    const found = detectAnomalies(values, {}, { previousMonth });
    // February and March have fewer than two earlier months with a baseline (3 weeks of history are needed first).
    expect(found.map((a) => days[a.index])).toEqual(['2025-02-01', '2025-03-01', '2025-07-01']);
    const july = found[2]!;
    expect(july.expected).toBeCloseTo(2300, 9);
    expect(july.impact).toBeCloseTo(2000, 9);
    // Without the calendar every first of the month is new spend.
    expect(detectAnomalies(values).map((a) => days[a.index])).toEqual([
      '2025-02-01',
      '2025-03-01',
      '2025-04-01',
      '2025-05-01',
      '2025-06-01',
      '2025-07-01',
    ]);
  });
});

describe('severity', () => {
  const unit = DEFAULT_DETECTOR_OPTIONS.minImpact;
  it.each([
    [10 * unit, 1, 'critical'],
    [10 * unit, 0.99, 'high'],
    [-10 * unit, Number.POSITIVE_INFINITY, 'critical'],
    [4 * unit, 0.5, 'high'],
    [4 * unit, 0.49, 'medium'],
    [9.99 * unit, 5, 'high'],
    [2 * unit, 0.3, 'medium'],
    [1.99 * unit, 10, 'low'],
  ] as const)('impact %d, size %d → %s', (impact, size, severity) => {
    expect(severityOf(impact, size, unit)).toBe(severity);
  });

  it('measures change size symmetrically for spikes and drops', () => {
    expect(changeSize(200, 100)).toBe(1);
    expect(changeSize(50, 100)).toBe(1);
    expect(changeSize(0, 100)).toBe(Number.POSITIVE_INFINITY);
    expect(changeSize(100, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('grades detections with the rule', () => {
    const values = new Float64Array(120).fill(1000);
    values[100] = 3000; // +2000 = 40 units, 3×
    values[110] = 1400; // +400 = 8 units, 1.4×
    const found = detectAnomalies(values);
    expect(found.map((a) => a.severity)).toEqual(['critical', 'medium']);
  });
});

describe('options and calendar', () => {
  it('rejects bad options with USAGE', () => {
    for (const bad of [
      { weeks: 0 },
      { minImpact: -1 },
      { minWeeks: 9, weeks: 4 },
      { months: 1.5 },
      { k: Number.NaN },
    ]) {
      expect(() => resolveDetectorOptions(bad)).toThrow(TallyError);
      try {
        resolveDetectorOptions(bad);
      } catch (err) {
        expect((err as TallyError).code).toBe('USAGE');
      }
    }
    expect(resolveDetectorOptions({ weeks: 4 })).toMatchObject({ ...DEFAULT_DETECTOR_OPTIONS, weeks: 4 });
  });

  it('maps each day to the same day of the previous month, clamped to the month end', () => {
    const first = '2026-01-15';
    const days = eachDay(first, '2026-04-30');
    const prev = previousMonthIndex(first, days.length);
    const at = (day: string) => days[prev[days.indexOf(day)]!];
    expect(at('2026-02-15')).toBe('2026-01-15');
    expect(at('2026-03-31')).toBe('2026-02-28');
    expect(at('2026-03-01')).toBe('2026-02-01');
    expect(prev[days.indexOf('2026-02-14')]).toBe(-1);
    expect(days[prev[days.indexOf(addDays(first, 100))]!]).toBe('2026-03-25');
  });

  it('gives the same expected value through the model as in a detection', () => {
    const { values, normal } = series({ days: 200, seed: 9 });
    values[150] = normal(150) * 4;
    const [hit] = detectAnomalies(values);
    const model = new SeriesModel(values, resolveDetectorOptions());
    expect(model.expectedAt(150)).toBe(hit?.expected);
  });
});
