import type { CostQueryService } from '../costs/cost-query.service.js';
import type { CostFilter } from '../costs/cost-query.types.js';
import type { Metric } from '../costs/cost-record.types.js';
import type { ForecastService } from '../costs/forecast.service.js';
import type { Day } from '../shared/day.js';
import { addDays, daysBetween, eachDay, endOfMonth, maxDay, minDay, startOfMonth } from '../shared/day.js';
import { CompensatedSum, formatMoney } from '../shared/money.js';
import type { BudgetPeriodRange } from './budget.types.js';

/** Spend so far and the forecast to the end of a budget's period, in one currency. */
export interface PeriodForecast {
  /** The last day counted as actual: the last day every source has (as the month-end forecast counts). */
  through: Day;
  /** Spend from the period's first day through `through`. */
  spent: number;
  /** Spend so far per day of the period through `through` (days without cost are left out). */
  daily: { day: Day; amount: number }[];
  forecast: number;
  /** The 80% range of the forecast. */
  range: { low: number; high: number };
  /** How the forecast was made, in words, with its dates. */
  method: string;
  /** Currencies the scope also has costs in, which this budget does not count. */
  otherCurrencies: string[];
}

/** What the period forecast reads: the cost queries and the month-end forecast. */
export interface PeriodForecastDeps {
  costs: CostQueryService;
  forecast: ForecastService;
}

/**
 * The forecast to the end of a budget's period (docs/budgets.md#status). The current month is the month-end forecast
 * of `ForecastService` (docs/cost-data.md#the-forecast) for the budget's scope and metric, so a monthly budget's
 * forecast is exactly that forecast. A longer period adds the actual spend of its earlier months and, for each later
 * month, this month's forecast per day times that month's days (the 80% range scaled alike). Days of earlier months
 * the data does not hold yet count at the forecast's daily rate for the rest of this month.
 */
export async function periodForecast(
  deps: PeriodForecastDeps,
  req: { today: Day; period: BudgetPeriodRange; metric: Metric; filter: CostFilter; currency: string },
): Promise<PeriodForecast> {
  const { period, currency } = req;
  const month = await deps.forecast.forecast({ today: req.today, metric: req.metric, filter: req.filter });
  // `basis.to` is the day the month-end forecast's actuals end, also when it is before this month.
  const through = minDay(month.basis.to, period.to);
  const days =
    through >= period.from ? await deps.costs.daily({ from: period.from, to: through }, req.metric, req.filter) : [];
  const mine = days.filter((d) => d.currency === currency).sort((a, b) => (a.day < b.day ? -1 : 1));
  const spent = new CompensatedSum();
  for (const d of mine) spent.add(d.amount);
  const cur = month.currencies.find((c) => c.currency === currency);
  const monthStart = startOfMonth(req.today);
  const monthEnd = endOfMonth(req.today);
  const monthDays = daysBetween(monthStart, monthEnd) + 1;
  const monthForecast = cur?.forecast ?? 0;
  const monthRest = monthForecast - (cur?.actual ?? 0);
  // Days of earlier months of the period that no source has delivered yet.
  const gapDays =
    through < addDays(monthStart, -1)
      ? eachDay(maxDay(addDays(through, 1), period.from), addDays(monthStart, -1)).length
      : 0;
  const restDays = daysBetween(maxDay(addDays(through, 1), monthStart), monthEnd) + 1;
  const gap = gapDays > 0 ? (monthRest / Math.max(1, restDays)) * gapDays : 0;
  const laterDays = period.to > monthEnd ? daysBetween(monthEnd, period.to) : 0;
  const scale = laterDays / monthDays;
  const base = spent.value + monthRest + gap;
  const forecast = base + monthForecast * scale;
  const low = cur ? base - monthForecast + cur.range.low * (1 + scale) : forecast;
  const high = cur ? base - monthForecast + cur.range.high * (1 + scale) : forecast;
  const method =
    period.from === monthStart && period.to === monthEnd
      ? month.method
      : `${month.method} For ${period.label}: the actual cost from ${period.from} through ${through}` +
        (gapDays ? `, the ${gapDays} earlier days without data yet at the rest of this month's forecast per day` : '') +
        `, this month's forecast` +
        (laterDays
          ? `, and for the ${laterDays} days after ${monthEnd} this month's forecast per day ` +
            `(${formatMoney(monthForecast / monthDays, currency)}); the 80% range is scaled alike.`
          : '.');
  return {
    through,
    spent: spent.value,
    daily: mine.map((d) => ({ day: d.day, amount: d.amount })),
    forecast,
    range: { low: Math.min(low, forecast), high: Math.max(high, forecast) },
    method,
    otherCurrencies: [...new Set(days.map((d) => d.currency).filter((c) => c !== currency))].sort(),
  };
}
