import type { Day } from '../shared/day.js';
import type { AggregateQuery, AggregateRow } from './cost-query.types.js';
import type { DailyRollup } from './cost-record.types.js';

/** Where an account id's display name is found (the latest name seen wins). */
export interface AccountName {
  subAccountId: string;
  subAccountName: string;
  provider: string;
}

/** Stores daily rollups and answers aggregations over them. Implemented in-process and on MongoDB. */
export interface CostRepository {
  /**
   * Replaces, for one source, every rollup whose day lies in [from, to] with `rollups`. Idempotent: running it
   * twice with the same input leaves the same data. Rollups of other sources are untouched.
   */
  replaceRollups(source: string, range: { from: Day; to: Day }, rollups: DailyRollup[]): Promise<void>;

  /** Sums billed, effective and list cost per group and currency. Groups with no rollups are absent. */
  aggregate(query: AggregateQuery): Promise<AggregateRow[]>;

  /** First and last day with data, or null when the store is empty. */
  dataRange(): Promise<{ from: Day; to: Day } | null>;

  /** Known sub-accounts with their names. */
  accounts(): Promise<AccountName[]>;

  /** Distinct tag keys present in the data. */
  tagKeys(): Promise<string[]>;
}
