import type { Day } from '../shared/day.js';
import type { Dimension } from './cost-query.types.js';
import type { Metric } from './cost-record.types.js';
import type { CoverageNotes } from './cost-repository.port.js';
import type { Period } from './period.js';

/** One line of a breakdown: the group key, a label for people, and the amount in the metric. */
export interface BreakdownRow {
  key: string;
  label: string;
  amount: number;
}

/** A breakdown in one currency. Totals never mix currencies. */
export interface CurrencyBreakdown {
  currency: string;
  total: number;
  rows: BreakdownRow[];
  /** What `top N` left out. */
  others: { count: number; amount: number } | null;
}

export interface BreakdownResult {
  metric: Metric;
  period: Period;
  groupBy: Dimension | null;
  /** The second dimension of a two-dimension breakdown (row keys are joined by `KEY_JOIN`). */
  thenBy?: Dimension;
  /** `bottom`: the rows are the smallest. */
  order?: 'bottom';
  /** Set when a run rate was asked: the days it divides by (the period's days up to the data's last day). */
  runRateDays?: number;
  currencies: CurrencyBreakdown[];
  dataRange: { from: Day; to: Day } | null;
  /** Rejected rows and double-counted sources behind the period (stated in the answer). */
  coverage?: CoverageNotes;
}

export type ChangeStatus = 'new' | 'gone' | 'up' | 'down' | 'same';

export interface ComparisonRow {
  key: string;
  label: string;
  current: number;
  previous: number;
  change: number;
  /** change / previous, or null when there was nothing before. */
  ratio: number | null;
  status: ChangeStatus;
}

export interface CurrencyComparison {
  currency: string;
  current: number;
  previous: number;
  change: number;
  ratio: number | null;
  rows: ComparisonRow[];
  others: { count: number; change: number } | null;
}

export interface ComparisonResult {
  metric: Metric;
  current: Period;
  previous: Period;
  groupBy: Dimension | null;
  currencies: CurrencyComparison[];
  /** Set when the periods were cut to the same days of data (like for like), saying how. */
  likeForLike?: string;
  dataRange: { from: Day; to: Day } | null;
  coverage?: CoverageNotes;
}

export interface ForecastRow {
  key: string;
  label: string;
  actual: number;
  forecast: number;
}

export interface CurrencyForecast {
  currency: string;
  actual: number;
  forecast: number;
  /** The 80% range of the forecast, from the spread of daily usage (docs/cost-data.md#the-forecast). */
  range: { low: number; high: number };
  lastMonth: number;
  rows: ForecastRow[];
}

export interface ForecastResult {
  metric: Metric;
  month: Period;
  actualThrough: Day | null;
  basis: { from: Day; to: Day };
  groupBy: Dimension | null;
  currencies: CurrencyForecast[];
  method: string;
}
