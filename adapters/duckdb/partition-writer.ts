import { mkdir, rename } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CostWriteResult, CostWriteSummary } from '../../src/costs/cost-repository.port.js';
import type { Day } from '../../src/shared/day.js';
import { addDays } from '../../src/shared/day.js';
import { type CostDataLayout, monthsBetween, type PartitionStats, type SourceManifest } from './cost-data-layout.js';
import { createTableSql, dailyRowsSelect, ident, literal, STORED_COLUMNS } from './cost-table.schema.js';

/**
 * Replaces a source's data for a day range with the rows of the temporary table `new_rows`, one month partition
 * at a time (docs/cost-data.md): the rows of the old partition outside the range are kept, the new rows of that
 * month are added, the result is written to a temporary file and renamed over the partition. Then the source's
 * manifest is rewritten. Runs on the writer's own connection.
 */
export async function replacePartitions(
  c: DuckDBConnection,
  layout: CostDataLayout,
  source: string,
  range: { from: Day; to: Day },
  summary: Omit<CostWriteSummary, 'range'>,
  now: Date,
): Promise<CostWriteResult> {
  const old = await layout.manifest(source);
  const partitions: Record<string, PartitionStats> = { ...(old?.partitions ?? {}) };
  const months = new Set(monthsBetween(range.from, range.to));
  const columns = STORED_COLUMNS.map((col) => ident(col.name)).join(', ');
  for (const month of months) {
    const path = await layout.currentPartition(source, month);
    const monthStart = `${month}-01`;
    const nextMonth = addDays(`${month}-28`, 5).slice(0, 7);
    const fresh = `SELECT ${columns} FROM new_rows WHERE day >= DATE ${literal(monthStart)} AND day < DATE ${literal(`${nextMonth}-01`)}`;
    const kept = path
      ? `SELECT ${columns} FROM read_parquet(${literal(path)}) WHERE day < DATE ${literal(range.from)} OR day > DATE ${literal(range.to)} UNION ALL `
      : '';
    await c.run(`CREATE OR REPLACE TEMP TABLE part AS ${kept}${fresh}`);
    const stats = await partitionStats(c);
    if (!stats) {
      // An empty month: an empty newer version hides the old one (deleting it could break a running query).
      if (path) {
        const empty = layout.newPartitionPath(source, month);
        await c.run(`COPY (SELECT * FROM part LIMIT 0) TO ${literal(`${empty}.tmp`)} (FORMAT parquet)`);
        await rename(`${empty}.tmp`, empty);
      }
      delete partitions[month];
      continue;
    }
    await layout.ensure();
    await mkdirFor(layout, source);
    const next = layout.newPartitionPath(source, month);
    const tmp = `${next}.tmp`;
    await c.run(`COPY part TO ${literal(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
    await rename(tmp, next);
    partitions[month] = stats;
  }
  await layout.pruneSuperseded(source);
  await c.run('DROP TABLE IF EXISTS part');
  const manifest: SourceManifest = {
    name: source,
    files: summary.files,
    skipped: summary.skipped,
    rejectedRows: summary.rowsRejected,
    rejected: summary.rejected,
    rejectedByMonth: summary.rejectedByMonth,
    lastImport: now.toISOString(),
    partitions,
  };
  if (Object.keys(partitions).length === 0 && summary.files.length === 0 && summary.rowsRejected === 0) {
    await layout.removeSource(source);
  } else {
    await mkdirFor(layout, source);
    await layout.writeManifest(manifest);
  }
  return writeResult(c);
}

/**
 * Creates the temporary table `new_rows` (daily rows) from the staging files of a write: CSV files written from
 * records, and Parquet files written by bulk loads (already typed, tags as a map).
 */
export async function loadStaging(c: DuckDBConnection, files: string[], columnsArg: string): Promise<void> {
  const csv = files.filter((f) => f.endsWith('.csv'));
  const parquet = files.filter((f) => f.endsWith('.parquet'));
  if (csv.length === 0 && parquet.length === 0) {
    await c.run(createTableSql('new_rows'));
    return;
  }
  const columns = STORED_COLUMNS.map((col) => ident(col.name));
  const parts: string[] = [];
  if (csv.length) {
    const read = `read_csv([${csv.map(literal).join(', ')}], header=true, auto_detect=false, delim=',', quote='"', escape='"', nullstr='\\N', columns=${columnsArg})`;
    parts.push(
      `SELECT ${columns.map((col) => (col === '"tags"' ? 'CAST(CAST(tags AS JSON) AS MAP(VARCHAR, VARCHAR)) AS tags' : col)).join(', ')} FROM ${read}`,
    );
  }
  if (parquet.length)
    parts.push(`SELECT ${columns.join(', ')} FROM read_parquet([${parquet.map(literal).join(', ')}])`);
  await c.run(`CREATE OR REPLACE TEMP TABLE new_rows AS ${dailyRowsSelect(`(${parts.join(' UNION ALL ')})`, false)}`);
}

async function partitionStats(c: DuckDBConnection): Promise<PartitionStats | null> {
  const head = (
    await c.runAndReadAll(
      `SELECT CAST(min(day) AS VARCHAR) AS f, CAST(max(day) AS VARCHAR) AS t, CAST(COALESCE(sum("rows"), 0) AS BIGINT) AS n, count(*) AS s FROM part`,
    )
  ).getRowObjectsJS()[0];
  if (!head || head.f === null) return null;
  const billing = (
    await c.runAndReadAll(
      `SELECT billing_account_id AS id, CAST(min(day) AS VARCHAR) AS f, CAST(max(day) AS VARCHAR) AS t FROM part GROUP BY 1 ORDER BY 1`,
    )
  ).getRowObjectsJS();
  const accounts = (
    await c.runAndReadAll(
      `SELECT sub_account_id AS id, arg_max(sub_account_name, day) AS name, arg_max(provider, day) AS provider FROM part GROUP BY 1 ORDER BY 1`,
    )
  ).getRowObjectsJS();
  const tagKeys = (
    await c.runAndReadAll(`SELECT DISTINCT unnest(map_keys(tags)) AS k FROM part ORDER BY 1`)
  ).getRowObjectsJS();
  return {
    from: String(head.f),
    to: String(head.t),
    rows: Number(head.n),
    storedRows: Number(head.s),
    billingAccounts: Object.fromEntries(billing.map((b) => [String(b.id), [String(b.f), String(b.t)]])),
    accounts: accounts.map((a) => [String(a.id), String(a.name), String(a.provider)]),
    tagKeys: tagKeys.map((k) => String(k.k)),
  };
}

async function writeResult(c: DuckDBConnection): Promise<CostWriteResult> {
  const head = (
    await c.runAndReadAll(
      `SELECT CAST(min(day) AS VARCHAR) AS f, CAST(max(day) AS VARCHAR) AS t, CAST(COALESCE(sum("rows"), 0) AS BIGINT) AS n FROM new_rows`,
    )
  ).getRowObjectsJS()[0];
  const totals = (
    await c.runAndReadAll(
      `SELECT currency, CAST(sum(billed) AS VARCHAR) AS b, CAST(sum(effective) AS VARCHAR) AS e FROM new_rows GROUP BY 1 ORDER BY 1`,
    )
  ).getRowObjectsJS();
  return {
    range: head && head.f !== null ? { from: String(head.f), to: String(head.t) } : null,
    rows: Number(head?.n ?? 0),
    totals: totals.map((t) => ({ currency: String(t.currency), billed: Number(t.b), effective: Number(t.e) })),
  };
}

async function mkdirFor(layout: CostDataLayout, source: string): Promise<void> {
  await mkdir(layout.sourceDir(source), { recursive: true });
}
