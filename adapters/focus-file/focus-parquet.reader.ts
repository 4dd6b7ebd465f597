import type { DuckDBConnection } from '@duckdb/node-api';
import type { FocusFileChunk, FocusRowBatch } from '../../src/costs/focus-reader.port.js';
import { TallyError } from '../../src/shared/errors.js';

/**
 * What the reader needs of the process's DuckDB engine (`adapters/duckdb/duckdb-engine.ts` is one). Declared here
 * because one adapter folder does not import another (docs/architecture.md#dependencies-point-down); the wiring
 * passes the engine in.
 */
export interface DuckDbConnections {
  /** Runs `work` on a connection of its own, closed afterwards. */
  withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** A connection the caller closes (for results read as a stream). */
  connect(): Promise<DuckDBConnection>;
}

/** A SQL identifier, quoted. */
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** A SQL string literal (for the file path and column names, which Tally itself produces). */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Rows handed over per batch. */
const BATCH_ROWS = 50_000;

/**
 * Reads one FOCUS Parquet file (AWS Data Exports and Azure Cost Management write FOCUS as Parquet too) with DuckDB,
 * streaming, as text in the shape of a CSV row: exact decimals, timestamps as `YYYY-MM-DD HH:MM:SS[+00]`, map
 * columns (Tags) as JSON, null as ''. The same row mapper then reads it as it reads CSV (docs/cost-data.md). A row's
 * "line" is its 1-based row number in the file.
 */
export async function readFocusParquet(engine: DuckDbConnections, file: string): Promise<FocusFileChunk> {
  const columns = await engine.withConnection(async (c) => {
    try {
      const reader = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`);
      return reader.getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    } catch (err) {
      throw new TallyError('FOCUS_FILE_UNREADABLE', `${file}: cannot be read as Parquet (${String(err)})`, {
        cause: err,
        metadata: { file },
      });
    }
  });
  const select = columns.map(({ name, type }) => {
    const col = ident(name);
    const text = /^(MAP|STRUCT)\b/i.test(type) ? `CAST(to_json(${col}) AS VARCHAR)` : `CAST(${col} AS VARCHAR)`;
    return `COALESCE(${text}, '') AS ${col}`;
  });
  const sql = `SELECT ${select.join(', ')} FROM read_parquet(${literal(file)})`;
  return {
    file,
    header: columns.map((c) => c.name),
    batches: batches(engine, sql),
    bulk: { format: 'parquet', columns },
  };
}

async function* batches(engine: DuckDbConnections, sql: string): AsyncIterable<FocusRowBatch> {
  let line = 1;
  // The connection stays open while the consumer reads; batches are pulled one at a time.
  const connection = await engine.connect();
  try {
    const result = await connection.stream(sql);
    let batch: FocusRowBatch = { lines: [], rows: [] };
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.getRows()) {
        batch.lines.push(line++);
        batch.rows.push(row as string[]);
      }
      if (batch.rows.length >= BATCH_ROWS) {
        yield batch;
        batch = { lines: [], rows: [] };
      }
    }
    if (batch.rows.length) yield batch;
  } finally {
    connection.closeSync();
  }
}
