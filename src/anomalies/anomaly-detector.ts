import { addDays, addMonths, type Day, daysBetween } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import type { Severity } from './anomaly.types.js';

/**
 * Anomaly detection on one daily cost series (issue 6). Pure and allocation-light: a series is a `Float64Array` of
 * daily amounts, `NaN` where there is no data (before the data starts or after it ends; a day with data but no cost
 * is 0).
 *
 * The model, for day d:
 * - **baseline** (day-of-week aware, robust): the median of the same weekday over the previous `weeks` weeks
 *   (at least `minWeeks` of them with data, else no verdict);
 * - **recurring monthly charges**: when the same day of the previous `months` months deviated from their own
 *   baselines by a consistent amount (the median of at least two, itself ≥ `minImpact` and ≥ k·spread) — a monthly tax,
 *   fee or credit — a deviation in that direction is measured against baseline + that amount (a charge that has not
 *   appeared yet is not reported: billing often posts a month's tax when the month closes);
 * - **spread**: 1.4826 × the median absolute residual (actual − baseline) of the previous `spreadDays` days, floored
 *   at `minSpreadRelative` × |expected|;
 * - **flag** when |actual − expected| ≥ k·spread AND ≥ `minRelative`·|expected| AND ≥ `minImpact`. A series that was 0
 *   before (new spend) has expected 0: the relative test passes and the absolute one decides;
 * - **runs**: deviations in one direction on consecutive days (gaps of up to {@link RUN_GAP_DAYS} days allowed) are
 *   reported for the first `maxRunDays` of them (a level shift for its first week); after that the shift is the new
 *   normal until the baseline has caught up with it.
 */

/** Tuning of {@link detectAnomalies}. Amounts are in the series' currency. */
export interface DetectorOptions {
  /**
   * The smallest |actual − expected| that is reported.
   * @defaultValue 50
   */
  minImpact: number;
  /**
   * The smallest |actual − expected| / |expected| that is reported (0.3 = 30 %). Not applied when expected is 0.
   * @defaultValue 0.3
   */
  minRelative: number;
  /**
   * Weeks of same-weekday history the baseline is the median of. An odd number makes a lasting level shift the new
   * baseline in one step, after (weeks + 1) / 2 weeks.
   * @defaultValue 5
   */
  weeks: number;
  /**
   * The fewest same-weekday days with data a baseline needs; with fewer (short history) the day gets no verdict.
   * @defaultValue 3
   */
  minWeeks: number;
  /**
   * How many robust standard deviations a deviation must reach.
   * @defaultValue 4
   */
  k: number;
  /**
   * Days of recent residuals the spread is measured over.
   * @defaultValue 28
   */
  spreadDays: number;
  /**
   * The spread is at least this fraction of |expected| (a very regular series is not flagged for tiny wobbles).
   * @defaultValue 0.02
   */
  minSpreadRelative: number;
  /**
   * Consecutive days a deviation in one direction is reported before it counts as the new normal.
   * @defaultValue 7
   */
  maxRunDays: number;
  /**
   * Months looked back for charges recurring on the same day of the month; 0 disables the check. Needs
   * {@link DetectContext.previousMonth}.
   * @defaultValue 3
   */
  months: number;
}

/** The defaults of {@link DetectorOptions}. */
export const DEFAULT_DETECTOR_OPTIONS: Readonly<DetectorOptions> = Object.freeze({
  minImpact: 50,
  minRelative: 0.3,
  weeks: 5,
  minWeeks: 3,
  k: 4,
  spreadDays: 28,
  minSpreadRelative: 0.02,
  maxRunDays: 7,
  months: 3,
});

/** Where to report and the calendar of the series. */
export interface DetectContext {
  /**
   * First index to report. Earlier days are still read as history (and to count runs).
   * @defaultValue 0
   */
  from?: number;
  /**
   * Last index to report, inclusive.
   * @defaultValue the last index
   */
  to?: number;
  /** For each index, the index of the same day of the previous month, or −1 (see {@link previousMonthIndex}). */
  previousMonth?: Int32Array;
}

/** One anomalous day of a series. */
export interface SeriesAnomaly {
  index: number;
  actual: number;
  expected: number;
  /** actual − expected. */
  impact: number;
  /** impact / |expected|; null when expected is 0 (new spend). */
  relative: number | null;
  direction: 'spike' | 'drop';
  severity: Severity;
  /** How far apart actual and expected are as a ratio: larger / smaller − 1 (Infinity when either is ≤ 0). */
  size: number;
  /** |impact| / spread (robust z-score). */
  score: number;
  /** Day of the run of same-direction deviations (1 = its first day). */
  runDay: number;
}

/** Below this |expected| the relative change is undefined (new spend). Half a cent. */
const ZERO = 0.005;
/** Scales a median absolute deviation to a standard deviation for normal noise. */
const MAD_SCALE = 1.4826;
/** Fewest residuals for a measured spread; with fewer only the floor applies. */
const MIN_SPREAD_SAMPLES = 7;
/**
 * Days without a deviation that still continue a run: a shift close to the thresholds flickers in and out, and should
 * not be reported again on each return.
 */
const RUN_GAP_DAYS = 2;

/** Merges `options` over the defaults and validates them (TallyError `USAGE` on a bad value). */
export function resolveDetectorOptions(options: Partial<DetectorOptions> = {}): DetectorOptions {
  const o = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
  const bad = (name: string, rule: string) =>
    new TallyError('USAGE', `Anomaly detector option ${name} must be ${rule}.`, { metadata: { option: name } });
  const nonNegative = ['minImpact', 'minRelative', 'k', 'minSpreadRelative'] as const;
  for (const name of nonNegative) if (!(Number.isFinite(o[name]) && o[name] >= 0)) throw bad(name, 'a number ≥ 0');
  const counts = ['weeks', 'minWeeks', 'spreadDays', 'maxRunDays'] as const;
  for (const name of counts) if (!(Number.isInteger(o[name]) && o[name] >= 1)) throw bad(name, 'an integer ≥ 1');
  if (!(Number.isInteger(o.months) && o.months >= 0)) throw bad('months', 'an integer ≥ 0');
  if (o.minWeeks > o.weeks) throw bad('minWeeks', 'at most weeks');
  return o;
}

/**
 * Severity from the size of the impact and of the change (documented rule, `minImpact` as the unit):
 * - `critical`: |impact| ≥ 10 × minImpact and the change is at least 2× (size ≥ 1: doubled, halved, or new spend);
 * - `high`: |impact| ≥ 4 × minImpact and at least 1.5× (size ≥ 0.5);
 * - `medium`: |impact| ≥ 2 × minImpact;
 * - `low`: anything else that passed the thresholds.
 */
export function severityOf(impact: number, size: number, minImpact: number): Severity {
  const units = minImpact > 0 ? Math.abs(impact) / minImpact : Number.POSITIVE_INFINITY;
  if (units >= 10 && size >= 1) return 'critical';
  if (units >= 4 && size >= 0.5) return 'high';
  if (units >= 2) return 'medium';
  return 'low';
}

/** larger / smaller − 1 of actual and expected; Infinity when either is ≤ 0 (new, gone, or negative). */
export function changeSize(actual: number, expected: number): number {
  if (actual <= ZERO || expected <= ZERO) return Number.POSITIVE_INFINITY;
  return Math.max(actual, expected) / Math.min(actual, expected) - 1;
}

/** For each day from `first`, the index of the same day of the previous month (clamped to its end), or −1. */
export function previousMonthIndex(first: Day, length: number): Int32Array {
  const out = new Int32Array(length);
  let day = first;
  for (let i = 0; i < length; i++) {
    const j = i - daysBetween(addMonths(day, -1), day);
    out[i] = j >= 0 ? j : -1;
    day = addDays(day, 1);
  }
  return out;
}

/**
 * The baseline model of one series: its weekly baselines are computed once; the expected value and spread of any day
 * are then cheap. {@link detectAnomalies} uses it; so does the scan, for contributors' expected amounts.
 */
export class SeriesModel {
  /** Same-weekday median per day; NaN where there is too little history. */
  readonly weekly: Float64Array;
  private readonly scratch: Float64Array;

  constructor(
    readonly values: Float64Array,
    readonly options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
    private readonly previousMonth?: Int32Array,
  ) {
    this.weekly = weeklyBaseline(values, options.weeks, options.minWeeks);
    this.scratch = new Float64Array(Math.max(options.spreadDays, options.months, options.weeks, 1));
  }

  /**
   * 1.4826 × the median |residual| over the `spreadDays` days before `i`. With fewer than 7 residuals (short
   * history), 1.4826 × the median absolute deviation of the same-weekday values the baseline was taken from.
   */
  spreadAt(i: number): number {
    const { values, weekly, scratch } = this;
    let m = 0;
    for (let j = Math.max(0, i - this.options.spreadDays); j < i; j++) {
      const r = values[j]! - weekly[j]!;
      if (!Number.isNaN(r)) scratch[m++] = Math.abs(r);
    }
    if (m >= MIN_SPREAD_SAMPLES) return MAD_SCALE * medianOf(scratch, m);
    const centre = weekly[i]!;
    m = 0;
    for (let j = i - 7; j >= 0 && j >= i - 7 * this.options.weeks; j -= 7) {
      const v = values[j]!;
      if (!Number.isNaN(v)) scratch[m++] = Math.abs(v - centre);
    }
    return m > 0 && !Number.isNaN(centre) ? MAD_SCALE * medianOf(scratch, m) : 0;
  }

  /**
   * The recurring monthly amount on day `i`: the median deviation from baseline on the same day of the previous
   * months (at least two with data), or 0 when there are fewer or it is under `minImpact`.
   */
  monthlyAt(i: number): number {
    const prev = this.previousMonth;
    const { months, minImpact } = this.options;
    if (!prev || months === 0) return 0;
    let m = 0;
    let p = prev[i] ?? -1;
    for (let n = 0; n < months && p >= 0; n++, p = prev[p] ?? -1) {
      const r = this.values[p]! - this.weekly[p]!;
      if (!Number.isNaN(r)) this.scratch[m++] = r;
    }
    if (m < 2) return 0;
    const median = medianOf(this.scratch, m);
    return Math.abs(median) >= minImpact && median !== 0 ? median : 0;
  }

  /**
   * The expected value of day `i` (weekly baseline plus a recurring monthly amount) and the spread; null when the
   * day has no baseline. A recurring amount only counts when the day deviates in its direction: a monthly charge
   * that has not appeared yet is not an anomaly (billing often posts a month's tax or fee when the month closes).
   */
  expectation(i: number): { expected: number; spread: number } | null {
    const weekly = this.weekly[i]!;
    if (Number.isNaN(weekly)) return null;
    const measured = this.spreadAt(i);
    const { k, minSpreadRelative } = this.options;
    const monthly = this.monthlyAt(i);
    const deviation = this.values[i]! - weekly;
    const recurring =
      monthly !== 0 && Math.sign(monthly) === Math.sign(deviation) && Math.abs(monthly) >= k * measured ? monthly : 0;
    const expected = weekly + recurring;
    return { expected, spread: Math.max(measured, minSpreadRelative * Math.abs(expected)) };
  }

  /** The expected value of day `i`, or NaN without a baseline. */
  expectedAt(i: number): number {
    return this.expectation(i)?.expected ?? Number.NaN;
  }

  /** The verdict for day `i`: its expectation when the day deviates past every threshold, else null. */
  judge(i: number): { expected: number; spread: number } | null {
    const actual = this.values[i]!;
    const weekly = this.weekly[i]!;
    if (Number.isNaN(actual) || Number.isNaN(weekly)) return null;
    // Cheap rejection first: most days fail the absolute or relative test and never need a spread.
    if (!this.passes(actual - weekly, weekly)) return null;
    const e = this.expectation(i);
    if (!e || !this.passes(actual - e.expected, e.expected)) return null;
    return Math.abs(actual - e.expected) >= this.options.k * e.spread ? e : null;
  }

  private passes(impact: number, expected: number): boolean {
    const size = Math.abs(impact);
    if (size < this.options.minImpact || size === 0) return false;
    return Math.abs(expected) < ZERO || size >= this.options.minRelative * Math.abs(expected);
  }
}

/**
 * The anomalous days of one series within `context.from..to`, in day order.
 *
 * @example
 * const days = detectAnomalies(Float64Array.from(costs), { minImpact: 100 });
 * // → [{ index: 62, actual: 910, expected: 300, impact: 610, severity: 'high', … }]
 */
export function detectAnomalies(
  values: Float64Array,
  options: Partial<DetectorOptions> | DetectorOptions = {},
  context: DetectContext = {},
): SeriesAnomaly[] {
  const resolved = resolveDetectorOptions(options);
  return detectWithModel(new SeriesModel(values, resolved, context.previousMonth), context);
}

/** {@link detectAnomalies} on a model built by the caller (options already resolved). */
export function detectWithModel(model: SeriesModel, context: DetectContext = {}): SeriesAnomaly[] {
  const { values, options } = model;
  const from = Math.max(0, context.from ?? 0);
  const to = Math.min(values.length - 1, context.to ?? values.length - 1);
  const out: SeriesAnomaly[] = [];
  let run = 0;
  let runSign = 0;
  let last = Number.NEGATIVE_INFINITY;
  // Runs are counted from maxRunDays before `from`, so that a long deviation is not reported again at `from`.
  for (let i = Math.max(0, from - options.maxRunDays - RUN_GAP_DAYS); i <= to; i++) {
    const verdict = model.judge(i);
    if (!verdict) continue;
    const actual = values[i]!;
    const impact = actual - verdict.expected;
    const sign = impact > 0 ? 1 : -1;
    run = sign === runSign && i - last <= RUN_GAP_DAYS + 1 ? run + 1 : 1;
    runSign = sign;
    last = i;
    if (i < from || run > options.maxRunDays) continue;
    out.push(anomalyOf(i, actual, verdict, run, options.minImpact));
  }
  return out;
}

function anomalyOf(
  index: number,
  actual: number,
  verdict: { expected: number; spread: number },
  runDay: number,
  minImpact: number,
): SeriesAnomaly {
  const { expected, spread } = verdict;
  const impact = actual - expected;
  const size = changeSize(actual, expected);
  return {
    index,
    actual,
    expected,
    impact,
    relative: Math.abs(expected) < ZERO ? null : impact / Math.abs(expected),
    direction: impact > 0 ? 'spike' : 'drop',
    severity: severityOf(impact, size, minImpact),
    size,
    score: spread > 0 ? Math.abs(impact) / spread : Number.POSITIVE_INFINITY,
    runDay,
  };
}

/** Same-weekday medians over the previous `weeks` weeks; NaN with fewer than `minWeeks` values. */
export function weeklyBaseline(values: Float64Array, weeks: number, minWeeks: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const buf = new Float64Array(weeks);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 1; j <= weeks; j++) {
      const k = i - 7 * j;
      if (k < 0) break;
      const v = values[k]!;
      if (Number.isNaN(v)) continue;
      // Insertion into the sorted prefix: `weeks` is small, so this beats a sort.
      let p = m++;
      while (p > 0 && buf[p - 1]! > v) {
        buf[p] = buf[p - 1]!;
        p--;
      }
      buf[p] = v;
    }
    out[i] = m >= minWeeks ? (m % 2 ? buf[m >> 1]! : (buf[(m >> 1) - 1]! + buf[m >> 1]!) / 2) : Number.NaN;
  }
  return out;
}

/** Median of the first `m` entries of `buf` (reorders them). */
function medianOf(buf: Float64Array, m: number): number {
  const part = buf.subarray(0, m).sort();
  const mid = m >> 1;
  return m % 2 ? part[mid]! : (part[mid - 1]! + part[mid]!) / 2;
}
