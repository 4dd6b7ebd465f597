import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDbCostRepository } from '../adapters/duckdb/duckdb-cost.repository.js';
import { DuckDbEngine, spillDir } from '../adapters/duckdb/duckdb-engine.js';
import { FocusExportReader } from '../adapters/focus-file/focus-export.reader.js';
import { createStores } from '../src/bootstrap/deps.js';
import { loadConfig } from '../src/config/env.js';
import type { CostRepository, CostWriter } from '../src/costs/cost-repository.port.js';
import type { FocusFileChunk, FocusReader } from '../src/costs/focus-reader.port.js';
import { ImportService } from '../src/costs/import.service.js';
import type { ImportRun } from '../src/costs/import-run.types.js';
import type { Clock } from '../src/shared/clock.js';

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

/** Time spent in the cost store's writer during an import, by method. */
interface WriteTimes {
  /** `add`: records written to the staging files (row path). */
  addMs: number;
  /** `addBulk`: a columnar file loaded by the store itself, in SQL (bulk path). */
  bulkMs: number;
  /** `commit`: staged rows summed into daily rows, month partitions rewritten, manifest written. */
  commitMs: number;
  /** Calls per method. */
  calls: Record<string, number>;
}

const TIMED_WRITER_METHODS: Record<string, keyof Omit<WriteTimes, 'calls'>> = {
  add: 'addMs',
  addRollups: 'addMs',
  addBulk: 'bulkMs',
  commit: 'commitMs',
};

/**
 * The store as it is, with each writer it hands out wrapped (a proxy: every method of the store and of the writer is
 * forwarded, optional ones such as `addBulk` included) to time `add`, `addBulk` and `commit`.
 */
function timeWrites(inner: CostRepository): { costs: CostRepository; times: WriteTimes } {
  const times: WriteTimes = { addMs: 0, bulkMs: 0, commitMs: 0, calls: {} };
  const wrapWriter = (writer: CostWriter): CostWriter =>
    new Proxy(writer, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        const phase = typeof prop === 'string' ? TIMED_WRITER_METHODS[prop] : undefined;
        if (!phase) return value.bind(target);
        return async (...args: unknown[]) => {
          const t0 = performance.now();
          try {
            return await value.apply(target, args);
          } finally {
            times[phase] += performance.now() - t0;
            times.calls[String(prop)] = (times.calls[String(prop)] ?? 0) + 1;
          }
        };
      },
    });
  const costs = new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== 'writer') return value.bind(target);
      return async (source: string) => wrapWriter(await target.writer(source));
    },
  });
  return { costs, times };
}

/** Wraps a FOCUS reader to time the wait for each batch of rows (DuckDB reading Parquet into JS string arrays). */
class TimedFocusReader implements FocusReader {
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

/** Time spent in DuckDB statements, by kind (see {@link timeStatements}); `failed`: the kind of the last one that threw. */
export type StatementTimes = Map<string, { ms: number; count: number }> & { failed?: string };

/** What the import's temporary tables and views hold (adapters/duckdb), for the statement labels. */
const TABLES: Record<string, string> = {
  bulk_rows: 'FOCUS rows mapped in SQL',
  new_rows: 'staged rows summed by day',
  fresh: "a month's new daily rows",
  part: 'a month partition',
};

/**
 * A statement's label for the time split of an import or a question: its verb and the table it reads or builds
 * (generic, so that it follows changes to the adapters), e.g. `CREATE TEMP TABLE fresh (a month's new daily rows)`,
 * `COPY part -> Parquet`, `SELECT FROM read_parquet`.
 */
function statementKind(sql: string): string {
  const s = sql.trim().replace(/\s+/g, ' ');
  const named = (table: string) => (TABLES[table] ? `${table} (${TABLES[table]})` : table);
  const source = (text: string) => /\bFROM "?([A-Za-z_]\w*)"?/i.exec(text)?.[1] ?? '?';
  if (/^DESCRIBE/i.test(s)) return 'DESCRIBE export file';
  const create = /^CREATE (?:OR REPLACE )?TEMP(?:ORARY)? (TABLE|VIEW) "?(\w+)"?/i.exec(s);
  if (create) return `CREATE TEMP ${create[1]?.toUpperCase()} ${named(create[2] ?? '?')}`;
  if (/^COPY/i.test(s)) {
    const table = /^COPY "?(\w+)"? TO/i.exec(s)?.[1] ?? source(s);
    return `COPY ${named(table)} -> Parquet${/PARTITION_BY/i.test(s) ? ' PARTITION_BY day' : ''}`;
  }
  if (/^SELECT/i.test(s)) return `SELECT FROM ${named(source(s))}`;
  return s.slice(0, 40);
}

/**
 * Times every `run` / `runAndReadAll` of the engine's `withConnection` connections (a bench-only proxy; the engine
 * is not changed otherwise). Streams (`engine.connect()`, the Parquet export reader) are not counted.
 */
export function timeStatements(engine: DuckDbEngine): StatementTimes {
  const times: StatementTimes = new Map();
  const record = (sql: string, ms: number, failed: boolean) => {
    const kind = statementKind(sql);
    if (failed) times.failed = kind;
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

function timedConnection(
  c: DuckDBConnection,
  record: (sql: string, ms: number, failed: boolean) => void,
): DuckDBConnection {
  return new Proxy(c, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== 'run' && prop !== 'runAndReadAll') return value.bind(target);
      return async (sql: string, ...rest: unknown[]) => {
        const t0 = performance.now();
        let failed = true;
        try {
          const result = await value.call(target, sql, ...rest);
          failed = false;
          return result;
        } finally {
          record(sql, performance.now() - t0, failed);
        }
      };
    },
  });
}

export interface ImportResult {
  run: ImportRun;
  ms: number;
  rowsPerSecond: number;
  /** Waiting for rows from the export reader (DuckDB → JS string arrays; row path only). */
  readMs: number;
  /** Writing records to the staging files (row path). */
  addMs: number;
  /** Loading whole Parquet files in SQL (bulk path). */
  bulkMs: number;
  /** The commit: staged rows → daily rows → month partitions → manifest. */
  commitMs: number;
  /** The rest: listing and opening files, mapping FOCUS rows to records (ImportService + FocusRowMapper). */
  otherMs: number;
  /** Calls per writer method (`addBulk` > 0: the bulk path ran). */
  calls: Record<string, number>;
  /** Daily rows stored (from the manifest). */
  rollups: number;
  statements: [string, { ms: number; count: number }][];
}

/**
 * Imports a FOCUS export into `dataDir` as `tally import PATH` does (src/bootstrap/cli-commands.ts importCommand):
 * `createStores` on the data directory, then `ImportService` with `FocusExportReader` on the process's DuckDB; the
 * reader, the store's writer and the engine's statements are wrapped (proxies) only to time their parts.
 */
export async function importExport(dataDir: string, path: string, clock: Clock): Promise<ImportResult> {
  const config = loadConfig({
    TALLY_DATA_DIR: dataDir,
    ...(process.env.TALLY_DUCKDB_MEMORY ? { TALLY_DUCKDB_MEMORY: process.env.TALLY_DUCKDB_MEMORY } : {}),
  });
  const stores = await createStores(config);
  try {
    if (!(stores.costs instanceof DuckDbCostRepository)) throw new Error('bench: the cost store is not DuckDB');
    const store = stores.costs;
    const statements = timeStatements(stores.engine);
    const { costs, times } = timeWrites(store);
    const reader = new TimedFocusReader(new FocusExportReader(stores.engine));
    const importer = new ImportService({ reader, costs, runs: stores.runs, clock });
    const t0 = performance.now();
    let run: ImportRun;
    try {
      run = await importer.importPath(path);
    } catch (err) {
      const spent = [...statements].map(([k, s]) => `${k} ${(s.ms / 1000).toFixed(1)} s (${s.count}x)`).join('; ');
      throw new Error(
        `import failed after ${((performance.now() - t0) / 1000).toFixed(1)} s` +
          `${statements.failed ? `, in the statement "${statements.failed}"` : ''}; DuckDB statements so far: ${spent}. ` +
          `${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    const ms = performance.now() - t0;
    const manifest = await store.layout.manifest(run.source);
    return {
      run,
      ms,
      rowsPerSecond: (run.rowsRead / ms) * 1000,
      readMs: reader.readMs,
      addMs: times.addMs,
      bulkMs: times.bulkMs,
      commitMs: times.commitMs,
      otherMs: ms - reader.readMs - times.addMs - times.bulkMs - times.commitMs,
      calls: times.calls,
      rollups: Object.values(manifest?.partitions ?? {}).reduce((n, p) => n + p.storedRows, 0),
      statements: [...statements].sort((a, b) => b[1].ms - a[1].ms),
    };
  } finally {
    await stores.close();
  }
}
