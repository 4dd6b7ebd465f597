import type { Clock } from '../shared/clock.js';
import { collectGarbage } from '../shared/collect-garbage.js';
import { TallyError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { CostRecord } from './cost-record.types.js';
import type { CostRepository, CostWriter, SkippedFile } from './cost-repository.port.js';
import type { FocusReader } from './focus-reader.port.js';
import { createFocusRowMapper } from './focus-row.mapper.js';
import { parseFocusTime } from './focus-values.js';
import type { ImportRun, ImportRunRepository, RejectedRow } from './import-run.types.js';

/** How many rejected rows an import run keeps (all are counted). */
const MAX_KEPT_REJECTIONS = 100;

/**
 * Records handed to the store per batch. Small enough that a batch dies young in V8's heap (a large one is promoted
 * to the old generation and kept there as garbage until a full collection: docs/cost-data.md, "Sizing").
 */
const WRITE_BATCH = 1_000;

/**
 * Rows read after which the import collects JavaScript garbage before committing: reading a large export leaves
 * 100 MB and more of dead rows in V8's heap, which would otherwise stay resident while DuckDB sums the rows
 * (docs/cost-data.md, "Sizing"). Below it the garbage is small and a full collection not worth its pause.
 */
const COLLECT_AFTER_ROWS = 100_000;

export interface ImportDeps {
  reader: FocusReader;
  costs: CostRepository;
  runs: ImportRunRepository;
  clock: Clock;
}

/** What reading an export found, besides the records. */
export interface ReadCounts {
  read: number;
  rejected: number;
  kept: RejectedRow[];
  rejectedByMonth: Record<string, number>;
  files: string[];
  skipped: SkippedFile[];
}

/**
 * Imports a FOCUS export (docs/cost-data.md): streams every row of every file into the cost store's writer; a
 * file of another FOCUS dataset (Contract Commitment, Invoice Detail, …) is skipped and listed; a file that is no
 * FOCUS cost file is refused (exit 2) when it is the only file, and skipped with the columns it lacks otherwise;
 * rows with unreadable values are counted and reported with file, line and column. Nothing is visible until the
 * whole export has been read; then the source's data for the days it covers is replaced. An import that fails keeps
 * the previous data and is recorded as failed (for `status`). Re-importing is idempotent.
 */
export class ImportService {
  constructor(private readonly deps: ImportDeps) {}

  /**
   * Imports the export at `path` as `options.source` (default `focus:<path>`). `options.names` renames local files
   * in what is stored and reported (files, skipped files, rejected rows): object storage syncs download objects to
   * temporary files and report them by their object URI (docs/cost-data.md).
   */
  async importPath(
    path: string,
    options: { source?: string; names?: ReadonlyMap<string, string> } = {},
  ): Promise<ImportRun> {
    const source = options.source ?? `focus:${path}`;
    const startedAt = this.deps.clock.now();
    const writer = await this.deps.costs.writer(source);
    let result: Awaited<ReturnType<CostWriter['commit']>>;
    let counts: ReadCounts;
    try {
      counts = renameFiles(await this.readInto(path, writer), options.names);
      if (counts.read >= COLLECT_AFTER_ROWS) collectGarbage();
      result = await writer.commit({
        files: counts.files,
        skipped: counts.skipped,
        rowsRejected: counts.rejected,
        rejected: counts.kept,
        rejectedByMonth: counts.rejectedByMonth,
      });
    } catch (err) {
      await writer.abort();
      await this.recordFailure(source, startedAt, err);
      throw err;
    }
    const run: ImportRun = {
      id: newId('imp'),
      source,
      startedAt,
      finishedAt: this.deps.clock.now(),
      rowsRead: counts.read,
      rowsImported: counts.read - counts.rejected,
      rowsRejected: counts.rejected,
      rejected: counts.kept,
      totals: result.totals,
      range: result.range,
      files: counts.files,
      skipped: counts.skipped,
    };
    await this.deps.runs.record(run);
    return run;
  }

  /**
   * Records a failed import (the store kept the data of the previous one), so that `status` shows it failed. A store
   * that cannot record it either does not hide the import's own error.
   */
  private async recordFailure(source: string, startedAt: Date, err: unknown): Promise<void> {
    const code = err instanceof TallyError ? err.code : 'INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    const run: ImportRun = {
      id: newId('imp'),
      source,
      kind: 'import',
      startedAt,
      finishedAt: this.deps.clock.now(),
      rowsRead: 0,
      rowsImported: 0,
      rowsRejected: 0,
      rejected: [],
      totals: [],
      range: null,
      error: `${code}: ${message}`,
    };
    await this.deps.runs.record(run).catch(() => undefined);
  }

  /** Reads every row of an export into a writer (in batches), without committing. */
  async readInto(path: string, writer: Pick<CostWriter, 'add' | 'addBulk'>): Promise<ReadCounts> {
    const counts: ReadCounts = { read: 0, rejected: 0, kept: [], rejectedByMonth: {}, files: [], skipped: [] };
    let refused: TallyError | null = null;
    let seen = 0;
    for await (const chunk of this.deps.reader.read(path)) {
      seen++;
      const mapper = createFocusRowMapper(chunk.header);
      if (!mapper.ok) {
        if (mapper.dataset) {
          counts.skipped.push({ file: chunk.file, reason: `FOCUS ${mapper.dataset} dataset, not cost and usage` });
          continue;
        }
        const plural = mapper.missing.length > 1 ? 's' : '';
        const message = `${chunk.file} lacks required FOCUS column${plural}: ${mapper.missing.join(', ')}`;
        refused ??= new TallyError('FOCUS_MISSING_COLUMNS', message, {
          metadata: { file: chunk.file, missing: mapper.missing },
        });
        counts.skipped.push({
          file: chunk.file,
          reason: `lacks required FOCUS column${plural} ${mapper.missing.join(', ')}`,
        });
        continue;
      }
      counts.files.push(chunk.file);
      const bulk = chunk.bulk && writer.addBulk ? await writer.addBulk(chunk.file, chunk.bulk.columns) : null;
      if (bulk) {
        counts.read += bulk.read;
        counts.rejected += bulk.rejected;
        for (const r of bulk.firstRejected) if (counts.kept.length < MAX_KEPT_REJECTIONS) counts.kept.push(r);
        for (const [month, n] of Object.entries(bulk.rejectedByMonth))
          counts.rejectedByMonth[month] = (counts.rejectedByMonth[month] ?? 0) + n;
        continue;
      }
      const startIndex = chunk.header.findIndex((h) => h.trim().replace(/^\uFEFF/, '') === 'ChargePeriodStart');
      let pending: CostRecord[] = [];
      for await (const batch of chunk.batches) {
        const { rows, lines, csvErrors } = batch;
        for (let i = 0; i < rows.length; i++) {
          counts.read++;
          const csvError = csvErrors?.get(i);
          const result = csvError
            ? { ok: false as const, problem: { column: '(CSV record)', reason: csvError } }
            : mapper.map(rows[i]!);
          if (result.ok) {
            pending.push(result.record);
            if (pending.length >= WRITE_BATCH) {
              await writer.add(pending);
              pending = [];
            }
            continue;
          }
          counts.rejected++;
          const when = startIndex >= 0 ? parseFocusTime(rows[i]?.[startIndex] ?? '') : null;
          if (when) {
            const month = when.toISOString().slice(0, 7);
            counts.rejectedByMonth[month] = (counts.rejectedByMonth[month] ?? 0) + 1;
          }
          if (counts.kept.length < MAX_KEPT_REJECTIONS)
            counts.kept.push({ file: chunk.file, line: lines[i]!, ...result.problem });
        }
      }
      if (pending.length) await writer.add(pending);
    }
    if (seen === 0)
      throw new TallyError('FOCUS_FILE_UNREADABLE', `${path}: no FOCUS files (.csv, .csv.gz, .parquet) found`, {
        metadata: { path },
      });
    // One file that is not a FOCUS cost file is refused; in a folder, such files are listed and the rest imports.
    if (refused && counts.files.length === 0 && counts.skipped.every((s) => !s.reason.startsWith('FOCUS ')))
      throw refused;
    return counts;
  }
}

/** The counts with each local file named as `names` says (unchanged without `names`). */
function renameFiles(counts: ReadCounts, names: ReadonlyMap<string, string> | undefined): ReadCounts {
  if (!names) return counts;
  const name = (file: string) => names.get(file) ?? file;
  return {
    ...counts,
    files: counts.files.map(name),
    skipped: counts.skipped.map((s) => ({ ...s, file: name(s.file) })),
    kept: counts.kept.map((r) => ({ ...r, file: name(r.file) })),
  };
}
