import type { Day } from '../shared/day.js';
import { addDays, addMonths, eachDay, endOfMonth, maxDay, minDay, startOfMonth, weekdayIndex } from '../shared/day.js';
import { CompensatedSum } from '../shared/money.js';
import type { CostQueryService } from './cost-query.service.js';
import type { CostFilter, Dimension } from './cost-query.types.js';
import type { Metric } from './cost-record.types.js';
import type { CurrencyForecast, ForecastResult, ForecastRow } from './cost-results.types.js';
import { monthLabel } from './period.js';

/** How many weeks of history the weekday averages use. */
const FORECAST_BASIS_WEEKS = 4;
/** FOCUS charge categories billed once a month (or once), not day by day: projected from last month, not averaged. */
const MONTHLY_CHARGES: ReadonlySet<string> = new Set(['Tax', 'Purchase']);
/** The z-score of an 80% two-sided range of a normal distribution. */
const Z_80 = 1.2816;

/** Per key: daily usage-like cost, and monthly charges per charge category, per day. */
interface KeySeries {
  usage: Map<Day, number>;
  monthly: Map<string, Map<Day, number>>;
}
type Series = Map<string, KeySeries>;

/**
 * Month-end forecast (docs/cost-data.md#the-forecast): actual cost of the month through the last day every source
 * has; plus, for each remaining day, the average usage cost of the same weekday over the last four complete weeks;
 * plus the monthly charges (tax, purchases such as savings-plan fees) that last month had and this month has not yet
 * had — tax scaled by this month's usage against last month's. The 80% range comes from the spread of each weekday's
 * usage over those weeks. Last month is counted with its monthly charges, so the two compare like for like.
 */
export class ForecastService {
  constructor(private readonly costs: CostQueryService) {}

  async forecast(req: {
    today: Day;
    metric: Metric;
    filter?: CostFilter;
    groupBy?: Dimension;
  }): Promise<ForecastResult> {
    const monthStart = startOfMonth(req.today);
    const monthEnd = endOfMonth(req.today);
    const yesterday = addDays(req.today, -1);
    const lastMonth = { from: addMonths(monthStart, -1), to: addDays(monthStart, -1) };
    const probe = addDays(req.today, -7 * FORECAST_BASIS_WEEKS);
    // Days a source has not delivered yet are not zero: actuals end where every active source has data.
    const dataEnd = await this.costs.commonDataEnd(probe);
    const through = dataEnd ? minDay(yesterday, dataEnd) : yesterday;
    const basis = { from: addDays(through, 1 - 7 * FORECAST_BASIS_WEEKS), to: through };
    const from = minDay(basis.from, lastMonth.from);
    const daily = await this.costs.dailyByCharge({ from, to: through }, req.metric, req.filter, req.groupBy);
    const labels = await this.costs.labeller(req.groupBy);
    const byCurrency = new Map<string, Series>();
    for (const d of daily) {
      const series = byCurrency.get(d.currency) ?? new Map<string, KeySeries>();
      byCurrency.set(d.currency, series);
      const key = series.get(d.key) ?? { usage: new Map(), monthly: new Map() };
      series.set(d.key, key);
      const days = MONTHLY_CHARGES.has(d.charge)
        ? (key.monthly.get(d.charge) ?? key.monthly.set(d.charge, new Map()).get(d.charge)!)
        : key.usage;
      days.set(d.day, (days.get(d.day) ?? 0) + d.amount);
    }
    const remaining = eachDay(maxDay(addDays(through, 1), monthStart), monthEnd);
    const window: Window = { monthStart, through, basis, lastMonth, remaining };
    const currencies = [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, series]) => forecastCurrency(currency, series, window, labels));
    const lagging = through < yesterday ? ` Data ends ${through}: the days after it are forecast too.` : '';
    return {
      metric: req.metric,
      month: { from: monthStart, to: monthEnd, label: monthLabel(monthStart.slice(0, 7)) },
      actualThrough: through >= monthStart ? through : null,
      basis,
      groupBy: req.groupBy ?? null,
      currencies,
      method:
        `Forecast = actual cost from ${monthStart} through ${through}; plus, for each remaining day, the average usage ` +
        `cost of the same weekday over the ${FORECAST_BASIS_WEEKS} weeks ${basis.from} to ${basis.to}; plus the monthly ` +
        `charges (tax, purchases) last month had and this month has not had yet, tax scaled with usage. The 80% range ` +
        `comes from the spread of each weekday's cost in those weeks. Last month includes its monthly charges.${lagging}`,
    };
  }
}

interface Window {
  monthStart: Day;
  through: Day;
  basis: { from: Day; to: Day };
  lastMonth: { from: Day; to: Day };
  remaining: Day[];
}

function forecastCurrency(currency: string, series: Series, w: Window, label: (k: string) => string): CurrencyForecast {
  // Usage first, per key; its total against last month's scales the tax of every key alike.
  const usage = [...series].map(([key, s]) => {
    const actual = sumDays(s.usage, w.monthStart, w.through);
    const means = weekdayStats(s.usage, w.basis).map((x) => x.mean);
    const forecast = new CompensatedSum().add(actual);
    for (const d of w.remaining) forecast.add(means[weekdayIndex(d)] ?? 0);
    return { key, s, actual, forecast: forecast.value, last: sumDays(s.usage, w.lastMonth.from, w.lastMonth.to) };
  });
  const usageForecast = total(usage.map((u) => u.forecast));
  const usageLast = total(usage.map((u) => u.last));
  const taxScale = usageLast > 0 ? usageForecast / usageLast : 1;
  const rows: ForecastRow[] = [];
  const totals = { actual: new CompensatedSum(), forecast: new CompensatedSum(), lastMonth: new CompensatedSum() };
  const usageByDay = new Map<Day, number>();
  for (const u of usage) {
    const actual = new CompensatedSum().add(u.actual);
    const projected = new CompensatedSum().add(u.forecast);
    const last = new CompensatedSum().add(u.last);
    for (const [charge, days] of u.s.monthly) {
      const sofar = sumDays(days, w.monthStart, w.through);
      const before = sumDays(days, w.lastMonth.from, w.lastMonth.to) * (charge === 'Tax' ? taxScale : 1);
      actual.add(sofar);
      last.add(sumDays(days, w.lastMonth.from, w.lastMonth.to));
      // A monthly charge already made this month stands; one not made yet is expected as last month's.
      projected.add(Math.abs(before) > Math.abs(sofar) ? before : sofar);
    }
    for (const [d, v] of u.s.usage) usageByDay.set(d, (usageByDay.get(d) ?? 0) + v);
    totals.actual.add(actual.value);
    totals.forecast.add(projected.value);
    totals.lastMonth.add(last.value);
    rows.push({ key: u.key, label: label(u.key), actual: actual.value, forecast: projected.value });
  }
  const spread = weekdayStats(usageByDay, w.basis);
  const variance = total(w.remaining.map((d) => spread[weekdayIndex(d)]?.variance ?? 0));
  const half = Z_80 * Math.sqrt(Math.max(0, variance));
  rows.sort((a, b) => b.forecast - a.forecast || a.key.localeCompare(b.key));
  const forecast = totals.forecast.value;
  return {
    currency,
    actual: totals.actual.value,
    forecast,
    range: { low: Math.max(totals.actual.value, forecast - half), high: forecast + half },
    lastMonth: totals.lastMonth.value,
    rows,
  };
}

function total(values: number[]): number {
  const s = new CompensatedSum();
  for (const v of values) s.add(v);
  return s.value;
}

function sumDays(days: Map<Day, number>, from: Day, to: Day): number {
  const s = new CompensatedSum();
  for (const [d, v] of days) if (d >= from && d <= to) s.add(v);
  return s.value;
}

/** Mean and sample variance per weekday over the basis window; a day without data counts as zero. */
function weekdayStats(days: Map<Day, number>, basis: { from: Day; to: Day }): { mean: number; variance: number }[] {
  const values: number[][] = Array.from({ length: 7 }, () => []);
  for (const d of eachDay(basis.from, basis.to)) values[weekdayIndex(d)]!.push(days.get(d) ?? 0);
  return values.map((v) => {
    if (v.length === 0) return { mean: 0, variance: 0 };
    const mean = new CompensatedSum();
    for (const x of v) mean.add(x);
    const m = mean.value / v.length;
    const sq = new CompensatedSum();
    for (const x of v) sq.add((x - m) ** 2);
    return { mean: m, variance: v.length > 1 ? sq.value / (v.length - 1) : 0 };
  });
}
