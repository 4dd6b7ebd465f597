import type { Day } from '../shared/day.js';
import type { Metric } from './cost-record.types.js';

/** A dimension to break costs down by. `tag:<key>` groups by a tag's value (rows without it fall in `(untagged)`). */
export type Dimension =
  | { kind: 'provider' }
  | { kind: 'account' }
  | { kind: 'service' }
  | { kind: 'category' }
  | { kind: 'subcategory' }
  | { kind: 'region' }
  | { kind: 'charge' }
  | { kind: 'resource' }
  | { kind: 'tag'; key: string }
  /** Time buckets: a table by day, by week (keyed by its Monday) or by month (`YYYY-MM`). */
  | { kind: 'day' }
  | { kind: 'week' }
  | { kind: 'month' };

/** The dimensions that are time buckets. */
export const TIME_DIMENSIONS: ReadonlySet<Dimension['kind']> = new Set(['day', 'week', 'month']);

/** The key a row without the grouped tag gets. */
export const UNTAGGED = '(untagged)';

/** The key of the row that holds the groups a `top` query left out (see {@link AggregateQuery.top}). */
export const FOLDED_KEY = '\u0000others';

/** The key of rows without a resource (taxes, purchases, credits, billing-level charges). */
export const NO_RESOURCE = '(no resource)';

/** The filterable dimensions and the {@link CostFilter} list each fills. */
export const FILTER_FIELDS = {
  provider: 'providers',
  account: 'subAccountIds',
  service: 'services',
  category: 'categories',
  subcategory: 'subcategories',
  region: 'regions',
  charge: 'charges',
  resource: 'resourceIds',
} as const satisfies Record<Exclude<Dimension['kind'], 'tag' | 'day' | 'week' | 'month'>, string>;

/** The value lists a filter or an exclusion holds (FOCUS columns; tags as key=value pairs). */
export interface CostValueLists {
  providers?: string[];
  subAccountIds?: string[];
  services?: string[];
  categories?: string[];
  /** FOCUS ServiceSubcategory. */
  subcategories?: string[];
  regions?: string[];
  /** FOCUS ChargeCategory: Usage, Purchase, Tax, Credit, Adjustment. */
  charges?: string[];
  resourceIds?: string[];
  /**
   * Tag values: different keys must all hold, values of one key are alternatives (`env=staging`, `env=dev`); the
   * value {@link UNTAGGED} means "without this tag".
   */
  tags?: { key: string; value: string }[];
}

/**
 * Restricts which rollups count. Every list is an allow-list; an empty or absent list allows all. `exclude` drops
 * rows matching any of its values ("excluding tax", "not env=prod"); rows without the column's value stay.
 */
export interface CostFilter extends CostValueLists {
  exclude?: CostValueLists;
  /** Each listed tag must have one of its values (a viewer's scope, see `view-scope.ts`). */
  tagsIn?: { key: string; values: string[] }[];
}

/** An aggregation request to the repository: sum the three metrics over a day range, grouped. */
export interface AggregateQuery {
  from: Day;
  to: Day;
  filter?: CostFilter;
  /** Group by these dimensions (0–2), and optionally by day as well. */
  groupBy: Dimension[];
  byDay?: boolean;
  /**
   * The metrics the caller reads. A store may then skip the others (they come back as 0) and the row counts; FerretDB
   * needs one pipeline per sum, so asking for one metric is four times cheaper there.
   * @defaultValue all three metrics and the row counts
   */
  metrics?: Metric[];
  /**
   * Keep only the `n` largest groups per currency by `metric` (one group-by dimension, no `byDay`); the others come
   * back summed in one row per currency with the key {@link FOLDED_KEY} and their number in `folded`.
   */
  top?: { n: number; metric: Metric };
  /** Only these sources' rows (a like-for-like comparison cuts each source at its own last day). */
  sources?: readonly string[];
}

/** One group of an aggregation: keys in `groupBy` order, per currency. */
export interface AggregateRow {
  keys: string[];
  /** Display names parallel to `keys` where the data has one (a resource's ResourceName); absent otherwise. */
  names?: (string | null)[];
  day?: Day;
  currency: string;
  billed: number;
  effective: number;
  list: number;
  rows: number;
  /**
   * The same sums as exact decimal texts, where the store has them (DuckDB's `DECIMAL`); answers then round these to
   * cents instead of the numbers, which can be off by a binary fraction.
   */
  exact?: { billed: string; effective: string; list: string };
  /** On the {@link FOLDED_KEY} row of a `top` query: how many groups it sums. */
  folded?: number;
}
