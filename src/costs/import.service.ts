import type { Clock } from '../shared/clock.js';
import { TallyError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { CostRecord } from './cost-record.types.js';
import type { CostRepository } from './cost-repository.port.js';
import type { FocusReader } from './focus-reader.port.js';
import { createFocusRowMapper } from './focus-row.mapper.js';
import type { ImportRun, ImportRunRepository, RejectedRow } from './import-run.types.js';
import { RollupBuilder } from './rollup-builder.js';

/** How many rejected rows an import run keeps (all are counted). */
export const MAX_KEPT_REJECTIONS = 100;

export interface ImportDeps {
  reader: FocusReader;
  costs: CostRepository;
  runs: ImportRunRepository;
  clock: Clock;
}

/**
 * Imports a FOCUS export: streams every row, refuses a file that lacks required columns (nothing is written then),
 * skips and reports rows with unparseable values, rolls the rest up by day and replaces this source's rollups
 * for the days the export covers. Re-importing the same export is idempotent.
 */
export class ImportService {
  constructor(private readonly deps: ImportDeps) {}

  async importPath(path: string, options: { source?: string } = {}): Promise<ImportRun> {
    const source = options.source ?? `focus:${path}`;
    const startedAt = this.deps.clock.now();
    const builder = new RollupBuilder(source);
    const counts = await this.readInto(path, (r) => builder.add(r));
    const range = builder.range();
    if (range) await this.deps.costs.replaceRollups(source, range, builder.rollups());
    const run: ImportRun = {
      id: newId('imp'),
      source,
      startedAt,
      finishedAt: this.deps.clock.now(),
      rowsRead: counts.read,
      rowsImported: counts.read - counts.rejected,
      rowsRejected: counts.rejected,
      rejected: counts.kept,
      totals: builder.currencyTotals(),
      range,
    };
    await this.deps.runs.record(run);
    return run;
  }

  /** Loads records from a path into `sink` without storing anything (used for in-memory sessions too). */
  async readInto(path: string, sink: (r: CostRecord) => void) {
    const counts = { read: 0, rejected: 0, kept: [] as RejectedRow[] };
    let files = 0;
    for await (const chunk of this.deps.reader.read(path)) {
      files++;
      const mapper = createFocusRowMapper(chunk.header);
      if (!mapper.ok) {
        throw new TallyError(
          'FOCUS_MISSING_COLUMNS',
          `${chunk.file} lacks required FOCUS column${mapper.missing.length > 1 ? 's' : ''}: ${mapper.missing.join(', ')}`,
          { metadata: { file: chunk.file, missing: mapper.missing } },
        );
      }
      for await (const batch of chunk.batches) {
        const { rows, lines, csvErrors } = batch;
        for (let i = 0; i < rows.length; i++) {
          counts.read++;
          const csvError = csvErrors?.get(i);
          const result = csvError
            ? { ok: false as const, problem: { column: '(CSV record)', reason: csvError } }
            : mapper.map(rows[i]!);
          if (result.ok) sink(result.record);
          else {
            counts.rejected++;
            if (counts.kept.length < MAX_KEPT_REJECTIONS)
              counts.kept.push({ file: chunk.file, line: lines[i]!, ...result.problem });
          }
        }
      }
    }
    if (files === 0)
      throw new TallyError('FOCUS_FILE_UNREADABLE', `${path}: no FOCUS CSV files found`, { metadata: { path } });
    return counts;
  }
}
