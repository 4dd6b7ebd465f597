import type { Day } from '../shared/day.js';
import { daysBetween } from '../shared/day.js';
import { CompensatedSum, DecimalSum } from '../shared/money.js';
import type { AggregateRow, CostFilter, Dimension } from './cost-query.types.js';
import { FOLDED_KEY, TIME_DIMENSIONS } from './cost-query.types.js';
import type { Metric } from './cost-record.types.js';
import type { AccountName, CostRepository } from './cost-repository.port.js';
import type {
  BreakdownResult,
  BreakdownRow,
  ChangeStatus,
  ComparisonResult,
  ComparisonRow,
  CurrencyBreakdown,
  CurrencyComparison,
} from './cost-results.types.js';
import { likeForLike } from './like-for-like.js';
import type { Period } from './period.js';

export interface BreakdownRequest {
  period: Period;
  metric: Metric;
  groupBy?: Dimension;
  /** A second dimension: each row is a pair of keys, `a · b`. */
  thenBy?: Dimension;
  filter?: CostFilter;
  top?: number;
  /** `bottom`: the `top` smallest rows instead of the largest. */
  order?: 'bottom';
  /** Add the cost per day over the period's days with data. */
  runRate?: boolean;
}

/** Joins the keys of a two-dimension row: `Amazon EC2 · us-east-1`. */
const KEY_JOIN = ' · ';

export interface CompareRequest extends Omit<BreakdownRequest, 'period'> {
  current: Period;
  previous: Period;
}

/** Answers cost questions from the daily rollups: breakdowns, top N and period comparisons. */
export class CostQueryService {
  private accountNames: Promise<Map<string, AccountName>> | null = null;

  constructor(private readonly repo: CostRepository) {}

  async breakdown(req: BreakdownRequest): Promise<BreakdownResult> {
    const groupBy = [...(req.groupBy ? [req.groupBy] : []), ...(req.groupBy && req.thenBy ? [req.thenBy] : [])];
    // The store folds the rest of a `top` of one dimension; two dimensions or the bottom are cut here.
    const storeTop = req.top && req.groupBy && groupBy.length === 1 && req.order !== 'bottom';
    const raw = await this.repo.aggregate({
      from: req.period.from,
      to: req.period.to,
      filter: req.filter,
      groupBy,
      metrics: [req.metric],
      ...(storeTop ? { top: { n: req.top!, metric: req.metric } } : {}),
    });
    const rows = groupBy.length === 2 ? raw.map((r) => ({ ...r, keys: [r.keys.join(KEY_JOIN)] })) : raw;
    const labels = await this.labellerOf(groupBy, raw);
    const inTime = req.groupBy ? TIME_DIMENSIONS.has(req.groupBy.kind) : false;
    const currencies = groupByCurrency(rows).map(([currency, list]) => {
      const c = toCurrencyBreakdown(currency, list, req.metric, labels, req.top, req.order);
      // A table by day, week or month reads in time order.
      return inTime ? { ...c, rows: [...c.rows].sort((a, b) => a.key.localeCompare(b.key)) } : c;
    });
    const dataRange = await this.repo.dataRange();
    return {
      metric: req.metric,
      period: req.period,
      groupBy: req.groupBy ?? null,
      ...(req.groupBy && req.thenBy ? { thenBy: req.thenBy } : {}),
      ...(req.order ? { order: req.order } : {}),
      ...(req.runRate ? { runRateDays: daysWithData(req.period, dataRange) } : {}),
      currencies,
      dataRange,
      coverage: await this.repo.coverage(req.period),
    };
  }

  /** Labels of one key, or of a pair of keys joined by {@link KEY_JOIN}. */
  private async labellerOf(groupBy: Dimension[], rows: AggregateRow[]): Promise<(key: string) => string> {
    if (groupBy.length < 2) return this.labeller(groupBy[0], rows);
    const [first, second] = await Promise.all([
      this.labeller(
        groupBy[0],
        rows.map((r) => ({ ...r, keys: [r.keys[0] ?? ''] })),
      ),
      this.labeller(
        groupBy[1],
        rows.map((r) => ({ ...r, keys: [r.keys[1] ?? ''], names: r.names?.slice(1) })),
      ),
    ]);
    return (key) => {
      const [a = '', b = ''] = key.split(KEY_JOIN);
      return `${first(a)}${KEY_JOIN}${second(b)}`;
    };
  }

  /**
   * Two periods side by side. A current period that runs past the data is compared like for like
   * ({@link likeForLike}): both are cut to the same number of days, and `likeForLike` says so.
   */
  async compare(asked: CompareRequest): Promise<ComparisonResult> {
    const cut = likeForLike(asked.current, asked.previous, await this.repo.sources());
    const req = { ...asked, current: cut.current, previous: cut.previous };
    const groupBy = req.groupBy ? [req.groupBy] : [];
    // One aggregate per slice of sources, each over its own days; rows of one key are summed across slices below.
    const sum = (period: (s: (typeof cut.slices)[number]) => Period) =>
      Promise.all(
        cut.slices.map((s) =>
          this.repo.aggregate({
            from: period(s).from,
            to: period(s).to,
            filter: req.filter,
            groupBy,
            metrics: [req.metric],
            ...(s.sources ? { sources: s.sources } : {}),
          }),
        ),
      ).then((parts) => parts.flat());
    const [cur, prev] = await Promise.all([sum((s) => s.current), sum((s) => s.previous)]);
    const labels = await this.labeller(req.groupBy, [...cur, ...prev]);
    const currencies = new Set([...cur, ...prev].map((r) => r.currency));
    const result: CurrencyComparison[] = [...currencies].sort().map((currency) => {
      const curRows = cur.filter((r) => r.currency === currency);
      const prevRows = prev.filter((r) => r.currency === currency);
      // Per key, totals and changes are taken between exact sums and rounded once.
      const curByKey = exactSumsByKey(curRows, req.metric);
      const prevByKey = exactSumsByKey(prevRows, req.metric);
      const a = curByKey ? centsByKey(curByKey) : sumByKey(curRows, req.metric);
      const b = prevByKey ? centsByKey(prevByKey) : sumByKey(prevRows, req.metric);
      const curAll = exactSum(curRows, req.metric);
      const prevAll = exactSum(prevRows, req.metric);
      const exactChange = (key?: string) => {
        const zero = new DecimalSum();
        const x = key === undefined ? curAll : curByKey && (curByKey.get(key) ?? zero);
        const y = key === undefined ? prevAll : prevByKey && (prevByKey.get(key) ?? zero);
        return x && y ? x.minusCents(y) : null;
      };
      const totals = { current: curAll?.cents ?? null, previous: prevAll?.cents ?? null, change: exactChange };
      return toCurrencyComparison(currency, a, b, labels, req.top, totals);
    });
    return {
      metric: req.metric,
      current: req.current,
      previous: req.previous,
      groupBy: req.groupBy ?? null,
      currencies: result,
      ...(cut.note ? { likeForLike: cut.note } : {}),
      dataRange: await this.repo.dataRange(),
      coverage: await this.repo.coverage({
        from: req.previous.from < req.current.from ? req.previous.from : req.current.from,
        to: req.previous.to > req.current.to ? req.previous.to : req.current.to,
      }),
    };
  }

  /** Daily totals per currency over a period (for trends, forecasts and charts). */
  async daily(period: { from: Day; to: Day }, metric: Metric, filter?: CostFilter, groupBy?: Dimension) {
    const rows = await this.repo.aggregate({
      from: period.from,
      to: period.to,
      filter,
      groupBy: groupBy ? [groupBy] : [],
      byDay: true,
      metrics: [metric],
    });
    return rows.map((r) => ({ day: r.day as Day, key: r.keys[0] ?? '', currency: r.currency, amount: r[metric] }));
  }

  /**
   * Daily totals per currency and charge category (FOCUS ChargeCategory), optionally also per a dimension: what the
   * forecast needs to tell usage from monthly charges.
   */
  async dailyByCharge(period: { from: Day; to: Day }, metric: Metric, filter?: CostFilter, groupBy?: Dimension) {
    const rows = await this.repo.aggregate({
      from: period.from,
      to: period.to,
      filter,
      groupBy: [...(groupBy ? [groupBy] : []), { kind: 'charge' }],
      byDay: true,
      metrics: [metric],
    });
    return rows.map((r) => ({
      day: r.day as Day,
      key: groupBy ? (r.keys[0] ?? '') : '',
      charge: r.keys[groupBy ? 1 : 0] ?? '',
      currency: r.currency,
      amount: r[metric],
    }));
  }

  /** The last day every source with data since `since` has (the day a forecast's actuals end), or null. */
  async commonDataEnd(since: Day): Promise<Day | null> {
    const ends = (await this.repo.sources()).flatMap((s) => (s.range && s.range.to >= since ? [s.range.to] : []));
    return ends.length ? ends.reduce((a, b) => (a < b ? a : b)) : null;
  }

  dataRange() {
    return this.repo.dataRange();
  }

  /**
   * A function from a group key to the label people read: account names for account ids, resource names for
   * resource ids (from the rows' `names`).
   */
  async labeller(groupBy: Dimension | undefined, rows: AggregateRow[] = []): Promise<(key: string) => string> {
    if (groupBy?.kind === 'resource') {
      const names = new Map<string, string>();
      for (const r of rows) {
        const name = r.names?.[0];
        if (name && r.keys[0]) names.set(r.keys[0], name);
      }
      return (key) => {
        const name = names.get(key);
        return name && name !== key ? `${name} (${key})` : key;
      };
    }
    if (groupBy?.kind !== 'account') return (key) => key;
    this.accountNames ??= this.repo.accounts().then((list) => new Map(list.map((a) => [a.subAccountId, a])));
    const names = await this.accountNames;
    return (key) => {
      if (key === '') return '(billing account level)';
      const name = names.get(key)?.subAccountName;
      return name && name !== key ? `${name} (${key})` : key;
    };
  }

  /** Forget cached names after new data arrives. */
  invalidate(): void {
    this.accountNames = null;
  }
}

function groupByCurrency(rows: AggregateRow[]): [string, AggregateRow[]][] {
  const map = new Map<string, AggregateRow[]>();
  for (const r of rows) {
    const list = map.get(r.currency);
    if (list) list.push(r);
    else map.set(r.currency, [r]);
  }
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Sums the metric per first group key (an aggregation may already be one row per key; this also merges). Where the
 * store gives exact decimal sums, they are added exactly and rounded to cents once (docs/cost-data.md).
 */
function sumByKey(rows: AggregateRow[], metric: Metric): Map<string, number> {
  const exact = exactSumsByKey(rows, metric);
  if (exact) return centsByKey(exact);
  const sums = new Map<string, CompensatedSum>();
  for (const r of rows) {
    const key = r.keys[0] ?? 'Total';
    let s = sums.get(key);
    if (!s) {
      s = new CompensatedSum();
      sums.set(key, s);
    }
    s.add(r[metric]);
  }
  return new Map([...sums].map(([k, s]) => [k, s.value]));
}

const centsByKey = (sums: Map<string, DecimalSum>) => new Map([...sums].map(([k, s]) => [k, s.cents]));

/** The exact total of a metric over rows; null when some row has no exact sum. */
function exactSum(rows: AggregateRow[], metric: Metric): DecimalSum | null {
  const sum = new DecimalSum();
  for (const r of rows) if (!r.exact || !sum.add(r.exact[metric])) return null;
  return sum;
}

/** Exact sums per first group key; null when some row has no exact sum. */
function exactSumsByKey(rows: AggregateRow[], metric: Metric): Map<string, DecimalSum> | null {
  const sums = new Map<string, DecimalSum>();
  for (const r of rows) {
    const key = r.keys[0] ?? 'Total';
    let s = sums.get(key);
    if (!s) {
      s = new DecimalSum();
      sums.set(key, s);
    }
    if (!r.exact || !s.add(r.exact[metric])) return null;
  }
  return sums;
}

/** The exact total of a metric over rows, rounded to cents; null when some row has no exact sum. */
function exactTotal(rows: AggregateRow[], metric: Metric): number | null {
  return exactSum(rows, metric)?.cents ?? null;
}

/** The days of `period` up to the data's last day: what a run rate divides by (at least one). */
function daysWithData(period: Period, range: { from: Day; to: Day } | null): number {
  const to = range && range.to < period.to ? range.to : period.to;
  return Math.max(1, daysBetween(period.from, to < period.from ? period.from : to) + 1);
}

function toCurrencyBreakdown(
  currency: string,
  rows: AggregateRow[],
  metric: Metric,
  label: (key: string) => string,
  top: number | undefined,
  order?: 'bottom',
): CurrencyBreakdown {
  // A `top` query already folded the smaller groups into one row in the store.
  const foldedRows = rows.filter((r) => r.keys[0] === FOLDED_KEY);
  const groups = foldedRows.length ? rows.filter((r) => r.keys[0] !== FOLDED_KEY) : rows;
  const byKey = sumByKey(groups, metric);
  const total = new CompensatedSum();
  for (const v of byKey.values()) total.add(v);
  const folded = foldedRows.length ? (sumByKey(foldedRows, metric).get(FOLDED_KEY) ?? 0) : 0;
  total.add(folded);
  const exact = exactTotal(rows, metric);
  const sorted: BreakdownRow[] = [...byKey]
    .map(([key, amount]) => ({ key, label: label(key), amount }))
    .sort((a, b) => (order === 'bottom' ? a.amount - b.amount : b.amount - a.amount) || a.key.localeCompare(b.key));
  const shown = top ? sorted.slice(0, top) : sorted;
  const rest = sorted.slice(shown.length);
  const foldedCount = foldedRows.reduce((n, r) => n + (r.folded ?? 0), 0);
  const restExact = foldedRows.length ? exactTotal([...foldedRows], metric) : null;
  const others =
    rest.length || foldedCount
      ? {
          count: rest.length + foldedCount,
          amount: rest.length ? sumRows([...rest.map((r) => r.amount), folded]) : (restExact ?? folded),
        }
      : null;
  return { currency, total: exact ?? total.value, rows: shown, others };
}

function sumRows(values: number[]): number {
  const s = new CompensatedSum();
  for (const v of values) s.add(v);
  return s.value;
}

function toCurrencyComparison(
  currency: string,
  cur: Map<string, number>,
  prev: Map<string, number>,
  label: (key: string) => string,
  top: number | undefined,
  exact: { current: number | null; previous: number | null; change: (key?: string) => number | null },
): CurrencyComparison {
  const keys = new Set([...cur.keys(), ...prev.keys()]);
  const rows: ComparisonRow[] = [...keys].map((key) => {
    const current = cur.get(key) ?? 0;
    const previous = prev.get(key) ?? 0;
    const moved = change(current, previous, cur.has(key), prev.has(key), exact.change(key));
    return { key, label: label(key), current, previous, ...moved };
  });
  rows.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.key.localeCompare(b.key));
  const shown = top ? rows.slice(0, top) : rows;
  const rest = rows.slice(shown.length);
  const current = exact.current ?? sumRows([...cur.values()]);
  const previous = exact.previous ?? sumRows([...prev.values()]);
  return {
    currency,
    current,
    previous,
    change: exact.change() ?? current - previous,
    ratio: previous === 0 ? null : (current - previous) / Math.abs(previous),
    rows: shown,
    others: rest.length ? { count: rest.length, change: sumRows(rest.map((r) => r.change)) } : null,
  };
}

function change(current: number, previous: number, inCurrent: boolean, inPrevious: boolean, exact: number | null) {
  const delta = exact ?? current - previous;
  let status: ChangeStatus = delta > 0.005 ? 'up' : delta < -0.005 ? 'down' : 'same';
  if (!inPrevious) status = 'new';
  else if (!inCurrent) status = 'gone';
  return { change: delta, ratio: previous === 0 ? null : delta / Math.abs(previous), status };
}
