import type { Day } from '../shared/day.js';

/** A rejected FOCUS row: the 1-based line number in the file, the column and why. */
export interface RejectedRow {
  file: string;
  line: number;
  column: string;
  reason: string;
}

/** The record of one import or sync. */
export interface ImportRun {
  id: string;
  source: string;
  startedAt: Date;
  finishedAt: Date;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  /** First rejections, at most 100. */
  rejected: RejectedRow[];
  /** Total billed cost per currency, as imported. */
  totals: { currency: string; billed: number; effective: number }[];
  range: { from: Day; to: Day } | null;
  /** `sync` for a scheduled cloud sync (source `aws-ce:<account>`, …); absent for a file import. */
  kind?: 'import' | 'sync';
  /** Why a sync failed (the run then imported nothing). */
  error?: string;
  /** What a listing of a source's accounts found worth saying (`CostSource.listAccounts`); `status` shows them. */
  notes?: string[];
  /** The files a file import read, and those it skipped with the reason (another FOCUS dataset, …). */
  files?: string[];
  skipped?: { file: string; reason: string }[];
}

export interface ImportRunRepository {
  record(run: ImportRun): Promise<void>;
  /** Newest first. */
  latest(limit: number): Promise<ImportRun[]>;
  /** The newest run of `source` that did not fail, or null. */
  lastSuccess(source: string): Promise<ImportRun | null>;
}
