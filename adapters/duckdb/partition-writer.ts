import { mkdir, rename, rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CostWriteResult, CostWriteSummary } from '../../src/costs/cost-repository.port.js';
import type { Day } from '../../src/shared/day.js';
import { DecimalSum } from '../../src/shared/money.js';
import { type CostDataLayout, manifestOf, monthsBetween, type PartitionStats } from './cost-data-layout.js';
import { createTableSql, dailyRowsSelect, ident, literal, STORED_COLUMNS } from './cost-table.schema.js';

/**
 * Replaces a source's data for a day range, one month partition at a time (docs/cost-data.md): the new rows of a
 * month (from the staging files split by month, summed into daily rows) and the rows of the old partition outside
 * the range are written to a temporary file. Working month by month bounds the memory an import needs. Only when
 * every month's file is written are they renamed into place as the months' newest versions, so a write that fails
 * midway (a full disk, an unreadable staging file) leaves the old partitions answering, and its temporary files are
 * removed. Then the source's manifest is rewritten. Runs on the writer's own connection.
 */
export async function replacePartitions(
  c: DuckDBConnection,
  layout: CostDataLayout,
  source: string,
  range: { from: Day; to: Day },
  summary: Omit<CostWriteSummary, 'range'>,
  now: Date,
  staged: StagedMonths,
  columnsArg: string,
): Promise<CostWriteResult> {
  const old = await layout.manifest(source);
  const partitions: Record<string, PartitionStats> = { ...(old?.partitions ?? {}) };
  const columns = STORED_COLUMNS.map((col) => ident(col.name)).join(', ');
  const totals = new Map<string, { billed: DecimalSum; effective: DecimalSum }>();
  let rows = 0;
  let first: Day | null = null;
  let last: Day | null = null;
  /** Files written for this replacement, renamed into place once all are written. */
  const written: { tmp: string; path: string }[] = [];
  try {
    for (const month of monthsBetween(range.from, range.to)) {
      const path = await layout.currentPartition(source, month);
      const rowsOfMonth = await stagedRows(staged, month, columnsArg);
      const inRange = `day BETWEEN DATE ${literal(range.from)} AND DATE ${literal(range.to)}`;
      await c.run(
        rowsOfMonth
          ? `CREATE OR REPLACE TEMP TABLE fresh AS ${dailyRowsSelect(`(SELECT * FROM (${rowsOfMonth}) WHERE ${inRange})`)}`
          : createTableSql('fresh'),
      );
      const added = await freshTotals(c);
      rows += added.rows;
      if (added.from && (first === null || added.from < first)) first = added.from;
      if (added.to && (last === null || added.to > last)) last = added.to;
      for (const t of added.totals) {
        const sums = totals.get(t.currency) ?? { billed: new DecimalSum(), effective: new DecimalSum() };
        sums.billed.add(t.billed);
        sums.effective.add(t.effective);
        totals.set(t.currency, sums);
      }
      // Without an old partition, the new rows are the partition (no copy).
      const part = path ? 'part' : 'fresh';
      if (path)
        await c.run(
          `CREATE OR REPLACE TEMP TABLE part AS SELECT ${columns} FROM read_parquet(${literal(path)}) WHERE NOT (${inRange}) UNION ALL SELECT ${columns} FROM fresh`,
        );
      const stats = await partitionStats(c, part);
      if (!stats) {
        // An empty month: an empty newer version hides the old one (deleting it could break a running query).
        if (path) {
          const empty = layout.newPartitionPath(source, month);
          written.push({ tmp: `${empty}.tmp`, path: empty });
          await c.run(`COPY (SELECT * FROM ${part} LIMIT 0) TO ${literal(`${empty}.tmp`)} (FORMAT parquet)`);
        }
        delete partitions[month];
        continue;
      }
      await layout.ensure();
      await mkdirFor(layout, source);
      const next = layout.newPartitionPath(source, month);
      written.push({ tmp: `${next}.tmp`, path: next });
      await c.run(
        `COPY (SELECT ${columns} FROM ${part}) TO ${literal(`${next}.tmp`)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
      );
      partitions[month] = stats;
    }
  } catch (err) {
    // Nothing was renamed: the old partitions still answer. The files written so far go.
    for (const w of written) await rm(w.tmp, { force: true }).catch(() => undefined);
    await c.run('DROP TABLE IF EXISTS part').catch(() => undefined);
    await c.run('DROP TABLE IF EXISTS fresh').catch(() => undefined);
    throw err;
  }
  for (const w of written) await rename(w.tmp, w.path);
  await layout.pruneSuperseded(source);
  await c.run('DROP TABLE IF EXISTS part');
  await c.run('DROP TABLE IF EXISTS fresh');
  const manifest = manifestOf(source, summary, now, partitions);
  if (Object.keys(partitions).length === 0 && summary.files.length === 0 && summary.rowsRejected === 0) {
    await layout.removeSource(source);
  } else {
    await mkdirFor(layout, source);
    await layout.writeManifest(manifest);
  }
  return {
    range: first && last ? { from: first, to: last } : null,
    rows,
    totals: [...totals]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, billed: t.billed.cents, effective: t.effective.cents })),
  };
}

/** The staging files of a write, per month: CSV files written from records, Parquet files from bulk loads. */
export interface StagedMonths {
  /** First and last day staged, or null when nothing was. */
  range: { from: Day; to: Day } | null;
  csv(month: string): string[];
  parquet(month: string): Promise<string[]>;
}

/** The rows staged for one month, as one SELECT with the stored columns (tags as a map); null when none. */
async function stagedRows(staged: StagedMonths, month: string, columnsArg: string): Promise<string | null> {
  const columns = STORED_COLUMNS.map((col) => ident(col.name));
  const parts: string[] = [];
  const csv = staged.csv(month);
  if (csv.length) {
    const read = `read_csv([${csv.map(literal).join(', ')}], header=true, auto_detect=false, delim=',', quote='"', escape='"', nullstr='\\N', columns=${columnsArg})`;
    parts.push(
      `SELECT ${columns.map((col) => (col === '"tags"' ? 'CAST(CAST(tags AS JSON) AS MAP(VARCHAR, VARCHAR)) AS tags' : col)).join(', ')} FROM ${read}`,
    );
  }
  const parquet = await staged.parquet(month);
  if (parquet.length)
    parts.push(`SELECT ${columns.join(', ')} FROM read_parquet([${parquet.map(literal).join(', ')}])`);
  return parts.length ? parts.join(' UNION ALL ') : null;
}

/** What the temporary table `fresh` (one month's new daily rows) adds: FOCUS rows, days, totals per currency. */
async function freshTotals(c: DuckDBConnection) {
  const head = (
    await c.runAndReadAll(
      `SELECT CAST(min(day) AS VARCHAR) AS f, CAST(max(day) AS VARCHAR) AS t, CAST(COALESCE(sum("rows"), 0) AS BIGINT) AS n FROM fresh`,
    )
  ).getRowObjectsJS()[0];
  const totals = (
    await c.runAndReadAll(
      `SELECT currency, CAST(sum(billed) AS VARCHAR) AS b, CAST(sum(effective) AS VARCHAR) AS e FROM fresh GROUP BY 1`,
    )
  ).getRowObjectsJS();
  return {
    from: head?.f === null || head?.f === undefined ? null : String(head.f),
    to: head?.t === null || head?.t === undefined ? null : String(head.t),
    rows: Number(head?.n ?? 0),
    totals: totals.map((t) => ({ currency: String(t.currency), billed: String(t.b), effective: String(t.e) })),
  };
}

async function partitionStats(c: DuckDBConnection, table: string): Promise<PartitionStats | null> {
  const head = (
    await c.runAndReadAll(
      `SELECT CAST(min(day) AS VARCHAR) AS f, CAST(max(day) AS VARCHAR) AS t, CAST(COALESCE(sum("rows"), 0) AS BIGINT) AS n, count(*) AS s FROM ${table}`,
    )
  ).getRowObjectsJS()[0];
  if (!head || head.f === null) return null;
  const billing = (
    await c.runAndReadAll(
      `SELECT billing_account_id AS id, CAST(min(day) AS VARCHAR) AS f, CAST(max(day) AS VARCHAR) AS t FROM ${table} GROUP BY 1 ORDER BY 1`,
    )
  ).getRowObjectsJS();
  const accounts = (
    await c.runAndReadAll(
      `SELECT sub_account_id AS id, arg_max(sub_account_name, day) AS name, arg_max(provider, day) AS provider FROM ${table} GROUP BY 1 ORDER BY 1`,
    )
  ).getRowObjectsJS();
  const tagKeys = (
    await c.runAndReadAll(`SELECT DISTINCT unnest(map_keys(tags)) AS k FROM ${table} ORDER BY 1`)
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

async function mkdirFor(layout: CostDataLayout, source: string): Promise<void> {
  await mkdir(layout.sourceDir(source), { recursive: true });
}
