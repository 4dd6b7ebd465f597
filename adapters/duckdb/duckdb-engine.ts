import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** Settings of the DuckDB instance embedded in a process (docs/cost-data.md, "Sizing"). */
export interface DuckDbOptions {
  /** Where DuckDB spills when a query or an import needs more than `memoryLimit`. */
  tempDir: string;
  /** DuckDB's memory limit, e.g. `512MB`. @defaultValue 512MB */
  memoryLimit?: string;
  /**
   * Worker threads. They share the cores with the process's event loop: `tally start` leaves one core to it
   * (src/bootstrap/start.ts, `TALLY_DUCKDB_THREADS`). @defaultValue the number of cores
   */
  threads?: number;
}

/** Memory a DuckDB task may leave in its allocator's caches when it ends (see `create`). */
const ALLOCATOR_FLUSH_THRESHOLD = '4MB';

/** Rows a thread buffers in a `COPY … PARTITION_BY` before writing them to the partitions' files (see `create`). */
const PARTITIONED_WRITE_FLUSH_ROWS = 65_536;

/**
 * The process's in-memory DuckDB instance. Cost data is not in it: every query reads the Parquet partitions it needs
 * (docs/cost-data.md), so several processes share one data directory without sharing a database file.
 */
export class DuckDbEngine {
  private closed = false;

  private constructor(private readonly instance: DuckDBInstance) {}

  /** Throws once the engine is closed, so that a late question fails loudly instead of answering "no data". */
  assertOpen(): void {
    if (this.closed) throw new Error('the DuckDB engine of this process is closed');
  }

  static async create(options: DuckDbOptions): Promise<DuckDbEngine> {
    await mkdir(options.tempDir, { recursive: true });
    const settings: Record<string, string> = {
      memory_limit: options.memoryLimit ?? '512MB',
      temp_directory: options.tempDir,
      // Parquet files are replaced by rename: never serve a footer cached from a file that is gone.
      enable_object_cache: 'false',
      // Nor keep the bytes read from data files in DuckDB's memory: the files are local, the OS caches them, and an
      // import's commit filled 290 MB of that cache reading its staging files once.
      enable_external_file_cache: 'false',
      preserve_insertion_order: 'false',
      // DuckDB's allocator (jemalloc) keeps what a query freed, up to 128 MB by default, for the next one; an import
      // commit runs many queries in a row, and the kept memory added 60 MB to its peak. Returned after each task
      // instead, by background threads (docs/cost-data.md, "Sizing").
      allocator_flush_threshold: ALLOCATOR_FLUSH_THRESHOLD,
      allocator_background_threads: 'true',
      // A Parquet export loaded in bulk is written to staging split by day; DuckDB buffers 524,288 rows per thread by
      // default before handing them to the days' files, a few hundred MB (parquet-bulk-load.ts).
      partitioned_write_flush_threshold: String(PARTITIONED_WRITE_FLUSH_ROWS),
    };
    if (options.threads) settings.threads = String(options.threads);
    return new DuckDbEngine(await DuckDBInstance.create(':memory:', settings));
  }

  /** Runs `work` on a connection of its own, closed afterwards. */
  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    this.assertOpen();
    const connection = await this.instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  }

  /** A connection the caller closes (for results read as a stream). */
  connect(): Promise<DuckDBConnection> {
    this.assertOpen();
    return this.instance.connect();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.instance.closeSync();
  }
}

/** The folder DuckDB spills to under a data directory. */
export const spillDir = (dataDir: string) => join(dataDir, 'tmp', `duckdb-${process.pid}`);
