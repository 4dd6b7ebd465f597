import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDbCostRepository } from '../adapters/duckdb/duckdb-cost.repository.js';
import { DuckDbEngine, spillDir } from '../adapters/duckdb/duckdb-engine.js';
import { FocusExportReader } from '../adapters/focus-file/focus-export.reader.js';
import { createStores } from '../src/bootstrap/deps.js';
import { loadConfig } from '../src/config/env.js';
import type { AggregateQuery, AggregateRow } from '../src/costs/cost-query.types.js';
import type { CostRecord, DailyRollup } from '../src/costs/cost-record.types.js';
import type {
  AccountName,
  CostRepository,
  CostSourceInfo,
  CostWriteResult,
  CostWriter,
  CostWriteSummary,
  CoverageNotes,
} from '../src/costs/cost-repository.port.js';
import type { FocusFileChunk, FocusReader } from '../src/costs/focus-reader.port.js';
import { ImportService } from '../src/costs/import.service.js';
import type { ImportRun } from '../src/costs/import-run.types.js';
import type { Clock } from '../src/shared/clock.js';
import type { Day } from '../src/shared/day.js';

/** A cost store (DuckDB over Parquet) in a fresh temporary data directory, removed with its engine by `close()`. */
export interface BenchCostStore {
  costs: DuckDbCostRepository;
  engine: DuckDbEngine;
  dir: string;
  close(): Promise<void>;
}

export async function benchCostStore(): Promise<BenchCostStore> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-bench-costs-'));
  try {
    const engine = await DuckDbEngine.create({ tempDir: spillDir(dir) });
    return {
      costs: new DuckDbCostRepository(engine, dir),
      engine,
      dir,
      close: async () => {
        engine.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Wraps the store to time its writes: `add` (the staging files) and `commit` (DuckDB sums the staged rows into daily
 * rows and rewrites the month partitions) of a streaming writer, and `replaceRollups`; counts the daily rows stored.
 */
export class TimedCostRepository implements CostRepository {
  addMs = 0;
  commitMs = 0;
  rollupsWritten = 0;

  constructor(private readonly inner: DuckDbCostRepository) {}

  get writeMs(): number {
    return this.addMs + this.commitMs;
  }

  async replaceRollups(source: string, range: { from: Day; to: Day }, rollups: readonly DailyRollup[]): Promise<void> {
    const t0 = performance.now();
    await this.inner.replaceRollups(source, range, rollups);
    this.commitMs += performance.now() - t0;
    this.rollupsWritten += await this.storedRows(source);
  }

  async writer(source: string): Promise<CostWriter> {
    const inner = await this.inner.writer(source);
    const timed = async <T>(work: () => Promise<T>, phase: 'addMs' | 'commitMs'): Promise<T> => {
      const t0 = performance.now();
      try {
        return await work();
      } finally {
        this[phase] += performance.now() - t0;
      }
    };
    return {
      add: (records: readonly CostRecord[]) => timed(() => inner.add(records), 'addMs'),
      commit: async (summary: CostWriteSummary): Promise<CostWriteResult> => {
        const result = await timed(() => inner.commit(summary), 'commitMs');
        this.rollupsWritten += await this.storedRows(source);
        return result;
      },
      abort: () => inner.abort(),
    };
  }

  private async storedRows(source: string): Promise<number> {
    const manifest = await this.inner.layout.manifest(source);
    return Object.values(manifest?.partitions ?? {}).reduce((n, p) => n + p.storedRows, 0);
  }

  aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    return this.inner.aggregate(query);
  }

  dataRange(): Promise<{ from: Day; to: Day } | null> {
    return this.inner.dataRange();
  }

  accounts(): Promise<AccountName[]> {
    return this.inner.accounts();
  }

  tagKeys(): Promise<string[]> {
    return this.inner.tagKeys();
  }

  sources(): Promise<CostSourceInfo[]> {
    return this.inner.sources();
  }

  removeSource(name: string): Promise<boolean> {
    return this.inner.removeSource(name);
  }

  coverage(range: { from: Day; to: Day }): Promise<CoverageNotes> {
    return this.inner.coverage(range);
  }
}

/** Wraps a FOCUS reader to time the wait for each batch of rows (DuckDB reading Parquet into JS string arrays). */
export class TimedFocusReader implements FocusReader {
  readMs = 0;

  constructor(private readonly inner: FocusReader) {}

  async *read(path: string): AsyncIterable<FocusFileChunk> {
    const timer = this;
    const it = this.inner.read(path)[Symbol.asyncIterator]();
    for (;;) {
      const t0 = performance.now();
      const next = await it.next();
      this.readMs += performance.now() - t0;
      if (next.done) return;
      const chunk = next.value;
      yield {
        ...chunk,
        batches: {
          async *[Symbol.asyncIterator]() {
            const rows = chunk.batches[Symbol.asyncIterator]();
            for (;;) {
              const t1 = performance.now();
              const batch = await rows.next();
              timer.readMs += performance.now() - t1;
              if (batch.done) return;
              yield batch.value;
            }
          },
        },
      };
    }
  }
}

/** Time spent in DuckDB statements, by kind (see {@link timeStatements}). */
export type StatementTimes = Map<string, { ms: number; count: number }>;

/** What a statement does, for the time split of an import or a question. */
function statementKind(sql: string): string {
  const s = sql.trimStart();
  if (/^CREATE OR REPLACE TEMP TABLE "?new_rows"? AS/i.test(s)) return 'staging CSV -> daily rows (read_csv, GROUP BY)';
  if (/^CREATE OR REPLACE TEMP TABLE "?part"?/i.test(s)) return 'month partition (old rows kept + new rows)';
  if (/^COPY "?part"?/i.test(s)) return 'month partition -> Parquet (COPY)';
  if (/FROM "?part"?/i.test(s)) return 'partition stats for the manifest';
  if (/FROM "?new_rows"?/i.test(s)) return 'import range and totals';
  if (/^DESCRIBE/i.test(s)) return 'DESCRIBE export file';
  if (/^SELECT .* FROM read_parquet\(\[/is.test(s)) return 'aggregate (read_parquet)';
  return 'other';
}

/**
 * Times every `run` / `runAndReadAll` of the engine's `withConnection` connections (a bench-only proxy; the engine
 * is not changed otherwise). Streams (`engine.connect()`, the Parquet export reader) are not counted.
 */
export function timeStatements(engine: DuckDbEngine): StatementTimes {
  const times: StatementTimes = new Map();
  const record = (sql: string, ms: number) => {
    const kind = statementKind(sql);
    const t = times.get(kind) ?? { ms: 0, count: 0 };
    t.ms += ms;
    t.count++;
    times.set(kind, t);
  };
  const original = engine.withConnection.bind(engine);
  engine.withConnection = <T>(work: (c: DuckDBConnection) => Promise<T>) =>
    original((c) => work(timedConnection(c, record)));
  return times;
}

function timedConnection(c: DuckDBConnection, record: (sql: string, ms: number) => void): DuckDBConnection {
  return new Proxy(c, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== 'run' && prop !== 'runAndReadAll') return value.bind(target);
      return async (sql: string, ...rest: unknown[]) => {
        const t0 = performance.now();
        try {
          return await value.call(target, sql, ...rest);
        } finally {
          record(sql, performance.now() - t0);
        }
      };
    },
  });
}

export interface ImportResult {
  run: ImportRun;
  ms: number;
  rowsPerSecond: number;
  /** Waiting for rows from the export reader (DuckDB → JS string arrays). */
  readMs: number;
  /** Writing records to the staging files. */
  addMs: number;
  /** The commit: staged rows → daily rows → month partitions → manifest. */
  commitMs: number;
  /** The rest: mapping FOCUS rows to records (ImportService + FocusRowMapper). */
  mapMs: number;
  rollups: number;
  statements: [string, { ms: number; count: number }][];
}

/**
 * Imports a FOCUS export into `dataDir` as `tally import PATH` does (src/bootstrap/cli-commands.ts importCommand):
 * `createStores` on the data directory, then `ImportService` with `FocusExportReader` on the process's DuckDB; the
 * reader and the store are wrapped only to time their parts.
 */
export async function importExport(dataDir: string, path: string, clock: Clock): Promise<ImportResult> {
  const config = loadConfig({
    TALLY_DATA_DIR: dataDir,
    ...(process.env.TALLY_DUCKDB_MEMORY ? { TALLY_DUCKDB_MEMORY: process.env.TALLY_DUCKDB_MEMORY } : {}),
  });
  const stores = await createStores(config);
  try {
    if (!(stores.costs instanceof DuckDbCostRepository)) throw new Error('bench: the cost store is not DuckDB');
    const statements = timeStatements(stores.engine);
    const costs = new TimedCostRepository(stores.costs);
    const reader = new TimedFocusReader(new FocusExportReader(stores.engine));
    const importer = new ImportService({ reader, costs, runs: stores.runs, clock });
    const t0 = performance.now();
    const run = await importer.importPath(path);
    const ms = performance.now() - t0;
    return {
      run,
      ms,
      rowsPerSecond: (run.rowsRead / ms) * 1000,
      readMs: reader.readMs,
      addMs: costs.addMs,
      commitMs: costs.commitMs,
      mapMs: ms - reader.readMs - costs.addMs - costs.commitMs,
      rollups: costs.rollupsWritten,
      statements: [...statements].sort((a, b) => b[1].ms - a[1].ms),
    };
  } finally {
    await stores.close();
  }
}
