import type { Day } from '../shared/day.js';
import { eachDay } from '../shared/day.js';
import type { ChartSpec } from '../shared/reply.types.js';
import { dimensionLabel, metricTitle, periodText } from './cost-labels.js';
import type { BreakdownResult } from './cost-results.types.js';

/** One day of one group in one currency, as `CostQueryService.daily()` returns it. */
export interface DailyCost {
  day: Day;
  key: string;
  currency: string;
  amount: number;
}

/** Options of {@link trendChart}. */
export interface TrendChartOptions {
  /** The chart title; name the metric and the period in it. */
  title: string;
  /**
   * The one currency to draw; amounts in other currencies are left out (totals never mix currencies).
   * @defaultValue the currency with the largest total
   */
  currency?: string;
  /**
   * How many keys get a series of their own; the rest are summed into one `Other` series.
   * @defaultValue 5
   */
  top?: number;
  /**
   * The days to draw. Days without data are drawn as 0.
   * @defaultValue the first to the last day found in the data
   */
  range?: { from: Day; to: Day };
  /**
   * The series name of a key, e.g. `CostQueryService.labeller()` for account names.
   * @defaultValue the key itself, or `Total` for the empty key (no group-by)
   */
  label?: (key: string) => string;
}

/** The name of the series that sums every key outside the top N. */
export const OTHER_SERIES = 'Other';

const DEFAULT_TOP = 5;

/**
 * A breakdown as horizontal bars, one per row, in the currency with the largest total.
 * Null when the breakdown has no group-by (a plain total) or no rows.
 */
export function breakdownChart(result: BreakdownResult): ChartSpec | null {
  if (!result.groupBy) return null;
  const largest = pickLargest(result.currencies.map((c) => [c.currency, c.total] as const));
  const breakdown = result.currencies.find((c) => c.currency === largest);
  if (!breakdown || breakdown.rows.length === 0) return null;
  const metric = metricTitle(result.metric);
  return {
    kind: 'bars',
    title: `${metric} by ${dimensionLabel(result.groupBy).toLowerCase()} — ${periodText(result.period)}`,
    currency: breakdown.currency,
    labels: breakdown.rows.map((row) => row.label),
    series: [{ name: metric, values: breakdown.rows.map((row) => row.amount) }],
  };
}

/**
 * A daily trend in one currency: the top N keys by total as stacked series, plus an `Other` series summing
 * the rest. Every day of the range is a label, in order; missing days are 0. Null when there is no data in
 * the chosen currency.
 *
 * @example
 * trendChart(await costs.daily(period, 'effective', undefined, { kind: 'service' }), {
 *   title: 'Daily cost by service — last 30 days',
 *   top: 5,
 * });
 */
export function trendChart(daily: readonly DailyCost[], options: TrendChartOptions): ChartSpec | null {
  const currency = options.currency ?? pickLargest(currencyTotals(daily));
  const rows = daily.filter((r) => r.currency === currency);
  if (currency === undefined || rows.length === 0) return null;
  const days = dayRange(rows, options.range);
  const index = new Map(days.map((d, i) => [d, i] as const));
  const perKey = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(r.day);
    if (i === undefined) continue; // outside the requested range
    let values = perKey.get(r.key);
    if (!values) {
      values = new Array<number>(days.length).fill(0);
      perKey.set(r.key, values);
    }
    values[i] = (values[i] ?? 0) + r.amount;
  }
  return {
    kind: 'trend',
    title: options.title,
    currency,
    labels: days,
    series: topSeries(perKey, options.top ?? DEFAULT_TOP, options.label ?? defaultLabel),
  };
}

/** The top N keys by total, largest first (ties by key), then `Other` when anything is left. */
function topSeries(
  perKey: Map<string, number[]>,
  top: number,
  label: (key: string) => string,
): { name: string; values: number[] }[] {
  const ranked = [...perKey.entries()]
    .map(([key, values]) => ({ key, values, total: values.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  const n = Math.max(0, Math.floor(top));
  const series = ranked.slice(0, n).map((s) => ({ name: label(s.key), values: s.values }));
  const rest = ranked.slice(n);
  if (rest.length > 0) {
    const values = rest[0]!.values.map((_, i) => rest.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
    series.push({ name: OTHER_SERIES, values });
  }
  return series;
}

function dayRange(rows: readonly DailyCost[], range: { from: Day; to: Day } | undefined): Day[] {
  if (range) return eachDay(range.from, range.to);
  let from = rows[0]!.day;
  let to = from;
  for (const r of rows) {
    if (r.day < from) from = r.day;
    if (r.day > to) to = r.day;
  }
  return eachDay(from, to);
}

function currencyTotals(daily: readonly DailyCost[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const r of daily) totals.set(r.currency, (totals.get(r.currency) ?? 0) + r.amount);
  return [...totals.entries()];
}

/** The currency with the largest total; ties go to the first in alphabetical order. */
function pickLargest(totals: readonly (readonly [string, number])[]): string | undefined {
  let best: readonly [string, number] | undefined;
  for (const t of totals) {
    if (!best || t[1] > best[1] || (t[1] === best[1] && t[0] < best[0])) best = t;
  }
  return best?.[0];
}

function defaultLabel(key: string): string {
  return key === '' ? 'Total' : key;
}
