import { addDays, addMonths, type Day, isDay } from '../../shared/day.js';
import { TallyError } from '../../shared/errors.js';
import { roundCents, sumAmounts } from '../../shared/money.js';
import { hashString, mixSeed, mulberry32, type Random, randomInt } from './prng.js';
import { SAMPLE_COMMITMENTS } from './sample-catalog.js';
import { commitmentRecords, taxRecords } from './sample-charges.js';
import {
  buildLines,
  type Calendar,
  calendarOf,
  emitLineDay,
  rowAmounts,
  type SampleRecord,
  type UsageLine,
} from './sample-series.js';

export type { SampleRecord } from './sample-series.js';

/**
 * A deterministic, seeded, multi-cloud FOCUS sample dataset: 13 months of daily (and some hourly) usage for three
 * providers, commitment purchases, credits, taxes, one EUR sub-account, and anomalies injected on known series so
 * that anomaly detection, digests and forecasts can be demonstrated and tested. Every row is a complete FOCUS 1.2
 * row (`tally sample` writes them; the FinOps Foundation's validator checks them in tests/e2e): usage is of one
 * resource (provider-format ResourceId, ResourceName, ResourceType, a name tag) priced by SKU, so that its list and
 * contracted costs are exactly its quantity times its unit prices.
 */

/**
 * One anomaly injected into a usage series (sub-account × service, summed over its regions, resources and hourly
 * rows) on one day. With the defaults there are 12 point anomalies (9 spikes of 3–10×, 3 drops to 1–5 % of normal),
 * each on a Monday–Friday, plus one 7-day level shift (×1.7–2.2, starting on a Tuesday, so two of its days are a
 * weekend), all on distinct days within the last ~6 months and on distinct series. Purchase, Credit and Tax rows,
 * usage covered by commitments and the credited series are never anomalous.
 */
export interface InjectedAnomaly {
  day: Day;
  /** The dimension the anomaly is meant to be found on: `key` is then a serviceName or a subAccountId. */
  dimension: 'service' | 'account';
  key: string;
  provider: string;
  subAccountId: string;
  serviceName: string;
  /** Anomalous minus normal EffectiveCost of the series that day, from the generated rows, rounded to cents. */
  expectedImpact: number;
  currency: string;
  /** A `level-shift` lasts several consecutive days; every affected day is listed as its own entry. */
  kind: 'spike' | 'drop' | 'level-shift';
  description: string;
}

/** The generated rows, the anomalies injected into them, and the inclusive day range they cover. */
export interface SampleDataset {
  /**
   * In day order (UTC day of ChargePeriodStart); within a day, Purchase/Credit/Tax rows first, then catalog order.
   * Each carries the FOCUS detail Tally keeps (resource, SKU, pricing quantity, commitment, invoice, …) and, in
   * `focus`, the other FOCUS 1.2 columns a complete file has.
   */
  records: SampleRecord[];
  /** Sorted by day. */
  anomalies: InjectedAnomaly[];
  from: Day;
  to: Day;
}

/** Options of {@link generateSample}. */
export interface SampleOptions {
  /** Last day of the dataset, normally yesterday (UTC). */
  endDay: Day;
  /** PRNG seed; the same (seed, endDay, months) always yields identical output. @defaultValue 42 */
  seed?: number;
  /** Months of history ending on `endDay`. @defaultValue 13 */
  months?: number;
}

const DEFAULT_SEED = 42;
const DEFAULT_MONTHS = 13;
/** Series cheaper than this per day are too small to carry a visible anomaly. */
const MIN_ANOMALY_BASE = 25;
/** Anomalies fall in the last ~6 months, each with at least 4 prior weeks of history. */
const ANOMALY_WINDOW_DAYS = 182;
const MIN_HISTORY_DAYS = 35;
const LEVEL_SHIFT_DAYS = 7;
const POINT_ANOMALIES = 12;
/** Positions among the point anomalies that are drops to near zero, and that are meant for the account dimension. */
const DROP_SLOTS = new Set([2, 6, 10]);
const ACCOUNT_SLOTS = new Set([4, 8]);
const TUESDAY = 2;

/** A usage series as anomalies see it: one sub-account × service over all its regions. */
interface Series {
  lines: UsageLine[];
  base: number;
  flat: boolean;
  largestInAccount: boolean;
}

interface PlannedAnomaly {
  series: Series;
  kind: InjectedAnomaly['kind'];
  dimension: InjectedAnomaly['dimension'];
  days: { index: number; factor: number }[];
}

/**
 * Generates the sample dataset: one row per (sub-account, service, region, resource, day), 24 hourly rows for Compute
 * Engine on `shop-prod`, plus Purchase, Credit and Tax rows. Pure: no clock, no `Math.random`.
 *
 * @example
 * const { records, anomalies } = generateSample({ endDay: '2026-11-21' }); // 2025-10-22 … 2026-11-21
 */
export function generateSample(options: SampleOptions): SampleDataset {
  const { endDay, seed, months } = resolveOptions(options);
  const from = addDays(addMonths(endDay, -months), 1);
  const cal = calendarOf(from, endDay);
  const lines = buildLines(seed);
  const plans = planAnomalies(lines, cal, seed);
  const usage: SampleRecord[] = [];
  for (let i = 0; i < cal.days.length; i++) {
    for (const line of lines) emitLineDay(usage, line, cal, i, seed);
  }
  const charges = commitmentRecords(lines, cal);
  charges.push(...taxRecords([usage, charges], cal));
  const records = mergeByDay(usage, charges);
  const anomalies = plans.flatMap((plan) => describePlan(plan, cal, seed));
  anomalies.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { records, anomalies, from, to: endDay };
}

function resolveOptions(options: SampleOptions): Required<SampleOptions> {
  const seed = options.seed ?? DEFAULT_SEED;
  const months = options.months ?? DEFAULT_MONTHS;
  if (!isDay(options.endDay)) {
    throw new TallyError('USAGE', `endDay must be a YYYY-MM-DD day, got "${options.endDay}".`);
  }
  if (!Number.isInteger(seed)) throw new TallyError('USAGE', `seed must be an integer, got ${seed}.`);
  if (!Number.isInteger(months) || months < 1 || months > 60) {
    throw new TallyError('USAGE', `months must be an integer from 1 to 60, got ${months}.`);
  }
  return { endDay: options.endDay, seed, months };
}

/** Merges `extra` (sorted here) into `usage`, which is already in day order; extra rows start at midnight. */
function mergeByDay(usage: SampleRecord[], extra: SampleRecord[]): SampleRecord[] {
  const startOf = (r: SampleRecord): number => r.chargePeriodStart.getTime();
  extra.sort((a, b) => startOf(a) - startOf(b));
  const out: SampleRecord[] = [];
  let j = 0;
  for (const row of usage) {
    for (let next = extra[j]; next && startOf(next) <= startOf(row); next = extra[++j]) out.push(next);
    out.push(row);
  }
  out.push(...extra.slice(j));
  return out;
}

/** Chooses the anomalous series and days, and sets their factors on the usage lines. */
function planAnomalies(lines: UsageLine[], cal: Calendar, seed: number): PlannedAnomaly[] {
  const rand = mulberry32(mixSeed(seed, hashString('anomalies')));
  const pool = seriesOf(lines);
  const last = cal.days.length - 1;
  const first = Math.max(MIN_HISTORY_DAYS, last - ANOMALY_WINDOW_DAYS);
  const end = last - 2;
  if (end - first < POINT_ANOMALIES * 2) return [];
  const plans: PlannedAnomaly[] = [];
  const shift = planLevelShift(pool, cal, rand, first, end);
  if (shift) plans.push(shift);
  const taken = new Set(plans.flatMap((p) => p.days.map((d) => d.index)));
  for (let k = 0; k < POINT_ANOMALIES; k++) {
    const lo = first + Math.floor((k * (end - first + 1)) / POINT_ANOMALIES);
    const hi = first + Math.floor(((k + 1) * (end - first + 1)) / POINT_ANOMALIES) - 1;
    const index = pickWeekday(cal, rand, lo, hi, taken);
    const dimension = ACCOUNT_SLOTS.has(k) ? 'account' : 'service';
    const series = takeSeries(pool, rand, (s) => dimension === 'service' || s.largestInAccount);
    if (index === undefined || !series) continue;
    taken.add(index);
    const kind = DROP_SLOTS.has(k) ? 'drop' : 'spike';
    const factor = kind === 'drop' ? 0.01 + 0.04 * rand() : 3 + 7 * rand();
    plans.push({ series, kind, dimension, days: [{ index, factor }] });
  }
  for (const plan of plans) {
    for (const { index, factor } of plan.days) for (const line of plan.series.lines) line.factors.set(index, factor);
  }
  return plans;
}

/** Usage grouped by sub-account × service, big enough to carry an anomaly and free of commitments and credits. */
function seriesOf(lines: UsageLine[]): Series[] {
  const { credit } = SAMPLE_COMMITMENTS;
  const groups = new Map<string, UsageLine[]>();
  for (const line of lines) {
    if (line.coveredBy || (line.account.id === credit.subAccountId && line.service.name === credit.serviceName))
      continue;
    const key = `${line.account.id}|${line.service.name}`;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  const all = [...groups.values()].map((ls) => ({
    lines: ls,
    base: sumAmounts(ls.map((l) => l.base)),
    flat: ls.every((l) => l.weekendDrop < 0.1),
    largestInAccount: false,
  }));
  const largest = new Map<string, Series>();
  for (const s of all) {
    const id = s.lines[0]?.account.id ?? '';
    const current = largest.get(id);
    if (!current || s.base > current.base) largest.set(id, s);
  }
  for (const s of largest.values()) s.largestInAccount = true;
  return all.filter((s) => s.base >= MIN_ANOMALY_BASE);
}

/** Removes and returns a random series matching `accept`. */
function takeSeries(pool: Series[], rand: Random, accept: (s: Series) => boolean): Series | undefined {
  const candidates = pool.filter(accept);
  const chosen = candidates[randomInt(rand, 0, candidates.length - 1)];
  if (chosen) pool.splice(pool.indexOf(chosen), 1);
  return chosen;
}

/** A random Monday–Friday day index in [lo, hi] not yet taken. */
function pickWeekday(cal: Calendar, rand: Random, lo: number, hi: number, taken: Set<number>): number | undefined {
  const ok = (i: number) => !cal.weekend[i] && !taken.has(i);
  for (let attempt = 0; attempt < 20; attempt++) {
    const i = randomInt(rand, lo, hi);
    if (ok(i)) return i;
  }
  for (let i = lo; i <= hi; i++) if (ok(i)) return i;
  return undefined;
}

/** A week-long step up on a flat (storage- or database-like) series, starting on a Tuesday ~4 months back. */
function planLevelShift(pool: Series[], cal: Calendar, rand: Random, first: number, end: number) {
  let start = Math.max(first, end - 120 + randomInt(rand, 0, 20));
  while (start <= end && new Date(cal.dayMs[start] ?? 0).getUTCDay() !== TUESDAY) start++;
  const series = takeSeries(pool, rand, (s) => s.flat);
  if (!series || start + LEVEL_SHIFT_DAYS - 1 > end) return undefined;
  const factor = 1.7 + 0.5 * rand();
  const days = Array.from({ length: LEVEL_SHIFT_DAYS }, (_, d) => ({ index: start + d, factor }));
  return { series, kind: 'level-shift', dimension: 'service', days } satisfies PlannedAnomaly;
}

/** One InjectedAnomaly per planned day, its impact computed from the very amounts the rows carry. */
function describePlan(plan: PlannedAnomaly, cal: Calendar, seed: number): InjectedAnomaly[] {
  const head = plan.series.lines[0];
  if (!head) return [];
  const { provider, account, service } = head;
  return plan.days.map(({ index, factor }, n) => {
    const delta = plan.series.lines.map(
      (line) =>
        sumAmounts(rowAmounts(line, cal, index, seed, factor)) - sumAmounts(rowAmounts(line, cal, index, seed, 1)),
    );
    const what =
      plan.kind === 'spike'
        ? `spiked to ${factor.toFixed(1)}× its usual daily cost`
        : plan.kind === 'drop'
          ? `dropped to ${Math.round(factor * 100)}% of its usual daily cost`
          : `shifted to ${factor.toFixed(1)}× its usual level (day ${n + 1} of ${plan.days.length})`;
    return {
      day: cal.days[index] ?? '',
      dimension: plan.dimension,
      key: plan.dimension === 'service' ? service.name : account.id,
      provider: provider.name,
      subAccountId: account.id,
      serviceName: service.name,
      expectedImpact: roundCents(sumAmounts(delta)),
      currency: account.currency,
      kind: plan.kind,
      description: `${service.name} in ${account.name} (${provider.name}) ${what}.`,
    };
  });
}
