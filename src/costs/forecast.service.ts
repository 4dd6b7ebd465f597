import type { Day } from '../shared/day.js';
import { addDays, addMonths, eachDay, endOfMonth, minDay, startOfMonth, weekdayIndex } from '../shared/day.js';
import { CompensatedSum } from '../shared/money.js';
import type { CostQueryService } from './cost-query.service.js';
import type { CostFilter, Dimension } from './cost-query.types.js';
import type { Metric } from './cost-record.types.js';
import type { CurrencyForecast, ForecastResult, ForecastRow } from './cost-results.types.js';
import { monthLabel } from './period.js';

/** How many weeks of history the weekday averages use. */
const FORECAST_BASIS_WEEKS = 4;

type Series = Map<string, Map<Day, number>>;

/**
 * Month-end forecast: actual cost of the complete days of this month (through yesterday) plus, for each remaining
 * day including today, the average cost of the same weekday over the last four complete weeks.
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
    const basis = { from: addDays(req.today, -7 * FORECAST_BASIS_WEEKS), to: yesterday };
    const lastMonth = { from: addMonths(monthStart, -1), to: addDays(monthStart, -1) };
    const from = minDay(basis.from, lastMonth.from);
    const daily = await this.costs.daily({ from, to: yesterday }, req.metric, req.filter, req.groupBy);
    const labels = await this.costs.labeller(req.groupBy);
    const byCurrency = new Map<string, Series>();
    for (const d of daily) {
      const series = byCurrency.get(d.currency) ?? new Map<string, Map<Day, number>>();
      byCurrency.set(d.currency, series);
      const days = series.get(d.key) ?? new Map<Day, number>();
      series.set(d.key, days);
      days.set(d.day, (days.get(d.day) ?? 0) + d.amount);
    }
    const remaining = eachDay(req.today, monthEnd);
    const currencies = [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, series]) =>
        forecastCurrency(currency, series, { monthStart, yesterday, basis, lastMonth, remaining }, labels),
      );
    return {
      metric: req.metric,
      month: { from: monthStart, to: monthEnd, label: monthLabel(monthStart.slice(0, 7)) },
      actualThrough: yesterday >= monthStart ? yesterday : null,
      basis,
      groupBy: req.groupBy ?? null,
      currencies,
      method:
        `Forecast = actual cost from ${monthStart} through ${yesterday} plus, for each remaining day of the month, ` +
        `the average cost of the same weekday over the ${FORECAST_BASIS_WEEKS} weeks ${basis.from} to ${basis.to}.`,
    };
  }
}

interface Window {
  monthStart: Day;
  yesterday: Day;
  basis: { from: Day; to: Day };
  lastMonth: { from: Day; to: Day };
  remaining: Day[];
}

function forecastCurrency(currency: string, series: Series, w: Window, label: (k: string) => string): CurrencyForecast {
  const rows: ForecastRow[] = [];
  const totals = { actual: new CompensatedSum(), forecast: new CompensatedSum(), lastMonth: new CompensatedSum() };
  for (const [key, days] of series) {
    const actual = sumDays(days, w.monthStart, w.yesterday);
    const weekdayMeans = weekdayAverages(days, w.basis);
    const projected = new CompensatedSum().add(actual);
    for (const d of w.remaining) projected.add(weekdayMeans[weekdayIndex(d)] ?? 0);
    totals.actual.add(actual);
    totals.forecast.add(projected.value);
    totals.lastMonth.add(sumDays(days, w.lastMonth.from, w.lastMonth.to));
    rows.push({ key, label: label(key), actual, forecast: projected.value });
  }
  rows.sort((a, b) => b.forecast - a.forecast || a.key.localeCompare(b.key));
  return {
    currency,
    actual: totals.actual.value,
    forecast: totals.forecast.value,
    lastMonth: totals.lastMonth.value,
    rows,
  };
}

function sumDays(days: Map<Day, number>, from: Day, to: Day): number {
  const s = new CompensatedSum();
  for (const [d, v] of days) if (d >= from && d <= to) s.add(v);
  return s.value;
}

/** Mean per weekday over the basis window; a day without data counts as zero. */
function weekdayAverages(days: Map<Day, number>, basis: { from: Day; to: Day }): number[] {
  const sums = Array.from({ length: 7 }, () => new CompensatedSum());
  const counts = new Array<number>(7).fill(0);
  for (const d of eachDay(basis.from, basis.to)) {
    const i = weekdayIndex(d);
    sums[i]!.add(days.get(d) ?? 0);
    counts[i]! += 1;
  }
  return sums.map((s, i) => (counts[i] ? s.value / counts[i]! : 0));
}
