import type { Day } from '../shared/day.js';
import type { AggregateQuery, AggregateRow } from './cost-query.types.js';
import type { CostRecord, DailyRollup } from './cost-record.types.js';
import type { RejectedRow } from './import-run.types.js';

/** Where an account id's display name is found (the latest name seen wins). */
export interface AccountName {
  subAccountId: string;
  subAccountName: string;
  provider: string;
}

/** A file or object a source skipped, and why (another FOCUS dataset, no rows, …). */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** What one source holds in the cost store, for `status` and `tally sources` (docs/cost-data.md). */
export interface CostSourceInfo {
  name: string;
  /** Files or objects read by the last import (empty for API syncs). */
  files: string[];
  skipped: SkippedFile[];
  /** FOCUS rows imported (summed into daily rows). */
  rows: number;
  rejectedRows: number;
  /** The first rejections of the last import, at most 100. */
  rejected: RejectedRow[];
  /** First and last UTC day with data, or null when the source is empty. */
  range: { from: Day; to: Day } | null;
  /** ISO instant of the last write. */
  lastImport: string;
  /** The billing accounts the source covers, each with its first and last day. */
  billingAccounts: { id: string; from: Day; to: Day }[];
}

/** Facts about the data behind one answer's period that the answer must state (docs/cost-data.md). */
export interface CoverageNotes {
  /**
   * Sources with rows rejected on import: `rows` whose day lies in the period, and `undated` rows (their date was
   * unreadable) of a source that has data in the period, which may belong to it.
   */
  rejected: { source: string; rows: number; undated: number }[];
  /** Pairs of sources that cover the same billing account on the same days in the period: counted twice. */
  overlaps: { sources: [string, string]; billingAccountId: string; from: Day; to: Day }[];
}

/** What an import tells the store about itself when it commits (all counts of the whole import). */
export interface CostWriteSummary {
  /** The day range to replace; defaults to the range of the rows written. */
  range?: { from: Day; to: Day };
  files: string[];
  skipped: SkippedFile[];
  rowsRejected: number;
  rejected: RejectedRow[];
  /** Rejected rows per month (`YYYY-MM`) when their day was readable; the rest count as undated. */
  rejectedByMonth: Record<string, number>;
}

/** What a bulk load read. */
export interface BulkLoad {
  read: number;
  rejected: number;
  firstRejected: RejectedRow[];
  rejectedByMonth: Record<string, number>;
}

/** The result of a committed write. */
export interface CostWriteResult {
  range: { from: Day; to: Day } | null;
  rows: number;
  /** Billed and effective totals per currency of what was written (exact sums, as numbers). */
  totals: { currency: string; billed: number; effective: number }[];
}

/**
 * A streaming write of one source: records are added in batches and become visible only at `commit`, which
 * replaces the source's data for the committed day range, partition by partition. `abort` discards everything.
 */
export interface CostWriter {
  add(records: readonly CostRecord[]): Promise<void>;
  /**
   * Loads a whole columnar FOCUS file in bulk (when the store can), applying the row mapper's rules: the counts of
   * rows read and rejected, the first rejections (file, row number, column) and rejected rows per month. Null when
   * the store cannot; the caller then maps the rows itself.
   */
  addBulk?(file: string, columns: { name: string; type: string }[]): Promise<BulkLoad | null>;
  commit(summary: CostWriteSummary): Promise<CostWriteResult>;
  abort(): Promise<void>;
}

/**
 * The cost store (docs/cost-data.md): daily rows per source, aggregated on demand. Implemented on DuckDB over
 * Parquet files (`adapters/duckdb`), shared by every process that uses the same data directory.
 */
export interface CostRepository {
  /**
   * Replaces, for one source, every row whose day lies in [from, to] with `rollups`. Idempotent: running it
   * twice with the same input leaves the same data. Rows of other sources are untouched.
   */
  replaceRollups(source: string, range: { from: Day; to: Day }, rollups: readonly DailyRollup[]): Promise<void>;

  /** A streaming write of a large import (see {@link CostWriter}). */
  writer(source: string): Promise<CostWriter>;

  /** Sums billed, effective and list cost per group and currency. Groups with no rows are absent. */
  aggregate(query: AggregateQuery): Promise<AggregateRow[]>;

  /** First and last day with data, or null when the store is empty. */
  dataRange(): Promise<{ from: Day; to: Day } | null>;

  /** Known sub-accounts with their names. */
  accounts(): Promise<AccountName[]>;

  /** Distinct tag keys present in the data. */
  tagKeys(): Promise<string[]>;

  /** Every source in the store, by name. */
  sources(): Promise<CostSourceInfo[]>;

  /** Deletes one source's data; false when there is no such source. */
  removeSource(name: string): Promise<boolean>;

  /** Rejected rows and double-counted sources behind a day range. */
  coverage(range: { from: Day; to: Day }): Promise<CoverageNotes>;
}
