import { mkdir, rename, rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CostWriteResult, CostWriteSummary } from '../../src/costs/cost-repository.port.js';
import type { Day } from '../../src/shared/day.js';
import { DecimalSum } from '../../src/shared/money.js';
import { type CostDataLayout, manifestOf, monthsBetween, type PartitionStats } from './cost-data-layout.js';
import { createTableSql, dailyRowsSelect, ident, literal, STORED_COLUMNS } from './cost-table.schema.js';

/**
 * Replaces a source's data for a day range, one month partition at a time (docs/cost-data.md): the new rows of a
 * month (from the staging files split by day, summed a group of days at a time into daily rows) and the rows of the
 * old partition outside the range are written to a temporary file. Working month by month, and from file to file (no
 * table in memory holds a month's rows), bounds the memory an import needs. Only when every month's file is written
 * are they renamed into place as the months' newest versions, so a write that fails midway (a full disk, an
 * unreadable staging file) leaves the old partitions answering, and its temporary files are removed. Then the
 * source's manifest is rewritten. Runs on the writer's own connection.
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
  const totals = new Map<string, { billed: DecimalSum; effective: DecimalSum }>();
  let rows = 0;
  let first: Day | null = null;
  let last: Day | null = null;
  /** Files written for this replacement: `tmp` is renamed to `path` once all are written, or removed. */
  const files: MonthFiles = { written: [], scratch: [] };
  try {
    await layout.ensure();
    await mkdirFor(layout, source);
    for (const month of monthsBetween(range.from, range.to)) {
      const { added, stats } = await writeMonth(c, layout, source, month, range, staged, columnsArg, files);
      rows += added.rows;
      if (added.from && (first === null || added.from < first)) first = added.from;
      if (added.to && (last === null || added.to > last)) last = added.to;
      for (const t of added.totals) {
        const sums = totals.get(t.currency) ?? { billed: new DecimalSum(), effective: new DecimalSum() };
        sums.billed.add(t.billed);
        sums.effective.add(t.effective);
        totals.set(t.currency, sums);
      }
      if (stats) partitions[month] = stats;
      else delete partitions[month];
    }
  } catch (err) {
    // Nothing was renamed: the old partitions still answer. The files written so far go.
    for (const f of [...files.scratch, ...files.written.map((w) => w.tmp)])
      await rm(f, { force: true }).catch(() => {});
    await c.run('DROP TABLE IF EXISTS empty_month').catch(() => undefined);
    throw err;
  }
  for (const f of files.scratch) await rm(f, { force: true });
  for (const w of files.written) await rename(w.tmp, w.path);
  await layout.pruneSuperseded(source);
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

/** The files a replacement writes: partitions to rename into place, and scratch files to remove at the end. */
interface MonthFiles {
  written: { tmp: string; path: string }[];
  scratch: string[];
}

/**
 * Writes one month's new partition to a temporary file: the month's staged rows summed into daily rows (straight to
 * a file, which is the partition itself when the month had none), then, over an old partition, its rows outside the
 * range and the new ones. Returns what the new rows add and the partition's stats (null: the month is now empty; an
 * empty newer version then hides an old partition, as deleting it could break a running query).
 */
async function writeMonth(
  c: DuckDBConnection,
  layout: CostDataLayout,
  source: string,
  month: string,
  range: { from: Day; to: Day },
  staged: StagedMonths,
  columnsArg: string,
  files: MonthFiles,
): Promise<{ added: Awaited<ReturnType<typeof freshTotals>>; stats: PartitionStats | null }> {
  const path = await layout.currentPartition(source, month);
  const next = layout.newPartitionPath(source, month);
  const columns = STORED_COLUMNS.map((col) => ident(col.name)).join(', ');
  const inRange = `day BETWEEN DATE ${literal(range.from)} AND DATE ${literal(range.to)}`;
  let newRows = await newDailyRows(c, staged, month, inRange, columnsArg, next, files);
  if (!newRows) {
    await c.run(createTableSql('empty_month'));
    newRows = 'SELECT * FROM empty_month';
  }
  // Without an old partition, the new rows are the partition (no second copy).
  const fresh = path ? `${next}.new.tmp` : `${next}.tmp`;
  files.scratch.push(fresh);
  await c.run(`COPY (SELECT ${columns} FROM (${newRows})) TO ${literal(fresh)} (${PARTITION_FORMAT})`);
  await c.run('DROP TABLE IF EXISTS empty_month');
  const added = await freshTotals(c, `read_parquet(${literal(fresh)})`);
  const part = path
    ? `(SELECT ${columns} FROM read_parquet(${literal(path)}) WHERE NOT (${inRange}) UNION ALL SELECT ${columns} FROM read_parquet(${literal(fresh)}))`
    : `read_parquet(${literal(fresh)})`;
  const stats = await partitionStats(c, part);
  if (!stats && !path) return { added, stats };
  if (path)
    await c.run(
      `COPY (SELECT ${columns} FROM ${part}${stats ? '' : ' LIMIT 0'}) TO ${literal(`${next}.tmp`)} (${PARTITION_FORMAT})`,
    );
  else files.scratch.splice(files.scratch.indexOf(fresh), 1);
  files.written.push({ tmp: `${next}.tmp`, path: next });
  return { added, stats };
}

/**
 * How partitions are written. A row group is bounded in bytes as well as rows: DuckDB's Parquet writer holds each row
 * group in memory outside its memory limit, and 122,880 rows with tags took 300 MB and four times as long to write as
 * 16 MB row groups (bench/sources with BENCH_SOURCES_DISTINCT=1).
 */
const PARTITION_FORMAT = `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880, ROW_GROUP_SIZE_BYTES '16MB'`;

/** How the scratch files of one day's sums are written (read once, by the same commit). */
const SCRATCH_FORMAT = `FORMAT parquet, ROW_GROUP_SIZE_BYTES '16MB'`;

/** The staging files of a write, per month: CSV files written from records, Parquet files from bulk loads. */
export interface StagedMonths {
  /** First and last day staged, or null when nothing was. */
  range: { from: Day; to: Day } | null;
  /**
   * The staging files of a month in parts, in day order: a day whole, or in parts whose daily rows never share a key
   * (split by resource: duckdb-cost.repository.ts).
   */
  days(month: string): Promise<StagedDay[]>;
}

/** One day's staging files, or one part of them. */
export interface StagedDay {
  day: Day;
  /** The rows staged in it. */
  rows: number;
  csv: string[];
  parquet: string[];
}

/**
 * The bytes each thread of DuckDB's CSV reader buffers when it reads staging files. Its default (16 × the 2 MB
 * longest line) held 200 MB in buffers reading the staging files of a 1 GB import; 4 MB (twice the longest line
 * DuckDB reads by default, 2 MB) reads as fast (bench/sources; docs/cost-data.md, "Sizing").
 */
const STAGING_READ_BUFFER = 4 << 20;

/**
 * Staged rows summed in one aggregate at most (unless one day has more): DuckDB's hash table holds that many daily
 * rows at most, in an export whose rows do not repeat; a month of such rows held hundreds of MB. 65,536 rather than
 * 100,000 took 27 MB off the peak of a 12.8-million-row Parquet import, for 8% more time (docs/cost-data.md,
 * "Sizing").
 */
const SUM_GROUP_ROWS = 65_536;

/**
 * A month's staged rows within the range summed into daily rows, as a SELECT; null when none were staged. Summed a
 * group of consecutive days (or parts of days) at a time, each group of at most `SUM_GROUP_ROWS` staged rows or a
 * single part (the day and the resource id are keys of every daily row, so no daily row sums rows of two groups);
 * each group's sums go to a scratch file, read back as one. A month of fewer rows is summed at once, which is faster
 * than day by day.
 */
async function newDailyRows(
  c: DuckDBConnection,
  staged: StagedMonths,
  month: string,
  inRange: string,
  columnsArg: string,
  next: string,
  files: MonthFiles,
): Promise<string | null> {
  const groups = sumGroups(await staged.days(month));
  const sums = (rows: string, where: string) => dailyRowsSelect(`(SELECT * FROM (${rows}) WHERE ${where})`);
  const rowsOf = (group: StagedDay[]) =>
    stagedRows(
      group.flatMap((d) => d.csv),
      group.flatMap((d) => d.parquet),
      columnsArg,
    );
  // A group larger than `SUM_GROUP_ROWS` (one part, of a day a Parquet file was staged for or of a very large day) is
  // summed in passes, each over the resources of one hash bucket (a key of every daily row), reading it once a pass.
  const passesOf = (group: StagedDay[]) => Math.ceil(group.reduce((n, d) => n + d.rows, 0) / SUM_GROUP_ROWS);
  if (groups.length === 0) return null;
  if (groups.length === 1 && passesOf(groups[0]!) <= 1) {
    const rows = rowsOf(groups[0]!);
    return rows ? sums(rows, inRange) : null;
  }
  const groupFiles: string[] = [];
  for (const group of groups) {
    const rows = rowsOf(group);
    if (!rows) continue;
    const passes = Math.max(1, passesOf(group));
    for (let pass = 0; pass < passes; pass++) {
      const file = `${next}.sums-${groupFiles.length}.tmp`;
      files.scratch.push(file);
      const where = passes > 1 ? `${inRange} AND hash(resource_id) % ${passes} = ${pass}` : inRange;
      await c.run(`COPY (${sums(rows, where)}) TO ${literal(file)} (${SCRATCH_FORMAT})`);
      groupFiles.push(file);
    }
  }
  return groupFiles.length ? `SELECT * FROM read_parquet([${groupFiles.map(literal).join(', ')}])` : null;
}

/** Consecutive days (or parts) in groups of at most `SUM_GROUP_ROWS` staged rows (a larger one is a group alone). */
function sumGroups(days: readonly StagedDay[]): StagedDay[][] {
  const groups: StagedDay[][] = [];
  let rows = 0;
  for (const day of days) {
    const last = groups[groups.length - 1];
    if (last && rows + day.rows <= SUM_GROUP_ROWS) {
      last.push(day);
      rows += day.rows;
    } else {
      groups.push([day]);
      rows = day.rows;
    }
  }
  return groups;
}

/** Staged rows as one SELECT with the stored columns (tags as a map); null when there are none. */
function stagedRows(csv: string[], parquet: string[], columnsArg: string): string | null {
  const columns = STORED_COLUMNS.map((col) => ident(col.name));
  const parts: string[] = [];
  if (csv.length) {
    const read = `read_csv([${csv.map(literal).join(', ')}], header=true, auto_detect=false, delim=',', quote='"', escape='"', nullstr='\\N', buffer_size=${STAGING_READ_BUFFER}, columns=${columnsArg})`;
    parts.push(
      `SELECT ${columns.map((col) => (col === '"tags"' ? 'CAST(CAST(tags AS JSON) AS MAP(VARCHAR, VARCHAR)) AS tags' : col)).join(', ')} FROM ${read}`,
    );
  }
  if (parquet.length)
    parts.push(`SELECT ${columns.join(', ')} FROM read_parquet([${parquet.map(literal).join(', ')}])`);
  return parts.length ? parts.join(' UNION ALL ') : null;
}

/** What one month's new daily rows (`from`, a table expression) add: FOCUS rows, days, totals per currency. */
async function freshTotals(c: DuckDBConnection, from: string) {
  const head = (
    await c.runAndReadAll(
      `SELECT CAST(min(day) AS VARCHAR) AS f, CAST(max(day) AS VARCHAR) AS t, CAST(COALESCE(sum("rows"), 0) AS BIGINT) AS n FROM ${from}`,
    )
  ).getRowObjectsJS()[0];
  const totals = (
    await c.runAndReadAll(
      `SELECT currency, CAST(sum(billed) AS VARCHAR) AS b, CAST(sum(effective) AS VARCHAR) AS e FROM ${from} GROUP BY 1`,
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
