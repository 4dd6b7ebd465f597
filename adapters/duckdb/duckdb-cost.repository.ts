import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AggregateQuery, AggregateRow } from '../../src/costs/cost-query.types.js';
import { FOLDED_KEY } from '../../src/costs/cost-query.types.js';
import type { CostRecord, DailyRollup } from '../../src/costs/cost-record.types.js';
import type {
  AccountName,
  BulkLoad,
  CostRepository,
  CostSourceInfo,
  CostWriteResult,
  CostWriter,
  CostWriteSummary,
  CoverageNotes,
} from '../../src/costs/cost-repository.port.js';
import type { Day } from '../../src/shared/day.js';
import { newId } from '../../src/shared/ids.js';
import { compileAggregate } from './aggregate-sql.js';
import { CostDataLayout, isNotFound, manifestOf, monthOf, type SourceManifest } from './cost-data-layout.js';
import { stagingColumnsArg } from './cost-table.schema.js';
import type { DuckDbEngine } from './duckdb-engine.js';
import { bulkLoadParquet } from './parquet-bulk-load.js';
import { replacePartitions, type StagedDay, type StagedMonths } from './partition-writer.js';
import { StagingFile } from './staging-file.js';

/** Rows per staging file: DuckDB reads several files in parallel. */
const STAGING_FILE_ROWS = 2_000_000;

/**
 * Staging files open at once (one per part of a day being written). An export in day order has a few open; past
 * this many parts written at once, the least recently written part's file is closed and that part goes on in a new
 * file.
 */
const MAX_OPEN_STAGING_FILES = 200;

/**
 * `CostRepository` on DuckDB over Parquet partitions under `TALLY_DATA_DIR` (docs/cost-data.md). Holds no cost
 * data in memory: each question lists the partitions of the months it asks about and lets DuckDB read them, so a
 * partition replaced by another process is seen by the next question, and nothing else is reloaded.
 */
export class DuckDbCostRepository implements CostRepository {
  readonly layout: CostDataLayout;
  /** Writes of this process run one at a time (each rewrites whole partitions). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly engine: DuckDbEngine,
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.layout = new CostDataLayout(dataDir);
  }

  async replaceRollups(source: string, range: { from: Day; to: Day }, rollups: readonly DailyRollup[]): Promise<void> {
    const writer = await this.writer(source);
    try {
      await writer.addRollups(rollups.filter((r) => r.source === source && r.day >= range.from && r.day <= range.to));
      await writer.commit({ range, files: [], skipped: [], rowsRejected: 0, rejected: [], rejectedByMonth: {} });
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }

  async writer(source: string): Promise<DuckDbCostWriter> {
    const dir = this.layout.stagingDir(newId('stg', 8));
    await mkdir(dir, { recursive: true });
    return new DuckDbCostWriter(
      source,
      dir,
      (staged, summary) => this.commit(source, staged, summary),
      (file, columns, stagingDir) => this.engine.withConnection((c) => bulkLoadParquet(c, file, columns, stagingDir)),
    );
  }

  private commit(source: string, staged: StagedMonths, summary: CostWriteSummary): Promise<CostWriteResult> {
    const run = this.writes.then(() =>
      this.engine.withConnection(async (c) => {
        const range = summary.range ?? staged.range;
        if (!range) {
          // Nothing readable: record the attempt (files, rejections) without touching any partition.
          await this.recordEmpty(source, summary);
          return { range: null, rows: 0, totals: [] };
        }
        return replacePartitions(c, this.layout, source, range, summary, this.now(), staged, stagingColumnsArg());
      }),
    );
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async recordEmpty(source: string, summary: CostWriteSummary): Promise<void> {
    const old = await this.layout.manifest(source);
    if (!old && summary.files.length === 0 && summary.rowsRejected === 0) return;
    await mkdir(this.layout.sourceDir(source), { recursive: true });
    await this.layout.writeManifest(manifestOf(source, summary, this.now(), old?.partitions ?? {}));
  }

  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    this.engine.assertOpen();
    if (query.from > query.to) return [];
    for (let attempt = 0; ; attempt++) {
      const files = await this.layout.partitionFiles(monthOf(query.from), monthOf(query.to), query.sources);
      if (files.length === 0) return [];
      try {
        return await this.run(query, files);
      } catch (err) {
        // A source removed between listing and reading: list again once.
        if (attempt === 0 && /No files found|No such file|does not exist|IO Error/i.test(String(err))) continue;
        throw err;
      }
    }
  }

  private run(query: AggregateQuery, files: string[]): Promise<AggregateRow[]> {
    const compiled = compileAggregate(query, files);
    return this.engine.withConnection(async (c) => {
      const reader = await c.runAndReadAll(compiled.sql, compiled.params);
      const cols = reader.getColumnsObjectJS();
      const n = reader.currentRowCount;
      const out: AggregateRow[] = new Array(n);
      const keyCols = Array.from({ length: compiled.keys }, (_, i) => cols[`k${i}`] as (string | null)[]);
      const nameCols = compiled.names.map((has, i) => (has ? (cols[`n${i}`] as (string | null)[]) : null));
      const day = cols.day as string[] | undefined;
      const currency = cols.currency as string[];
      const billed = cols.billed as (string | number)[];
      const effective = cols.effective as (string | number)[];
      const list = cols.list as (string | number)[];
      const exact = typeof billed[0] === 'string';
      const rows = cols.n as (number | bigint)[];
      const folded = cols.folded as (number | bigint)[];
      for (let i = 0; i < n; i++) {
        const row: AggregateRow = {
          keys: keyCols.map((k) => k[i] ?? ''),
          currency: currency[i] ?? '',
          billed: Number(billed[i]),
          effective: Number(effective[i]),
          list: Number(list[i]),
          rows: Number(rows[i]),
        };
        if (exact)
          row.exact = {
            billed: String(billed[i] ?? '0'),
            effective: String(effective[i] ?? '0'),
            list: String(list[i] ?? '0'),
          };
        if (nameCols.some((c) => c)) row.names = nameCols.map((c) => c?.[i] ?? null);
        if (day) row.day = day[i] as Day;
        if (Number(folded[i] ?? 0) > 0) {
          row.folded = Number(folded[i]);
          row.keys = [FOLDED_KEY];
        }
        out[i] = row;
      }
      return out;
    });
  }

  async dataRange(): Promise<{ from: Day; to: Day } | null> {
    let from: Day | null = null;
    let to: Day | null = null;
    for (const m of await this.layout.allManifests()) {
      for (const p of Object.values(m.partitions)) {
        if (from === null || p.from < from) from = p.from;
        if (to === null || p.to > to) to = p.to;
      }
    }
    return from && to ? { from, to } : null;
  }

  async accounts(): Promise<AccountName[]> {
    const seen = new Map<string, { name: AccountName; month: string }>();
    for (const m of await this.layout.allManifests()) {
      for (const [month, p] of Object.entries(m.partitions)) {
        for (const [id, name, provider] of p.accounts) {
          const prev = seen.get(id);
          if (!prev || month >= prev.month)
            seen.set(id, { month, name: { subAccountId: id, subAccountName: name, provider } });
        }
      }
    }
    return [...seen.values()].map((v) => v.name).sort((a, b) => a.subAccountId.localeCompare(b.subAccountId));
  }

  async tagKeys(): Promise<string[]> {
    const keys = new Set<string>();
    for (const m of await this.layout.allManifests())
      for (const p of Object.values(m.partitions)) for (const k of p.tagKeys) keys.add(k);
    return [...keys].sort();
  }

  async sources(): Promise<CostSourceInfo[]> {
    return (await this.layout.allManifests()).map(sourceInfo).sort((a, b) => a.name.localeCompare(b.name));
  }

  async removeSource(name: string): Promise<boolean> {
    const run = this.writes.then(() => this.layout.removeSource(name));
    this.writes = run.catch(() => undefined);
    return run;
  }

  async coverage(range: { from: Day; to: Day }): Promise<CoverageNotes> {
    const manifests = await this.layout.allManifests();
    const from = monthOf(range.from);
    const to = monthOf(range.to);
    const rejected: CoverageNotes['rejected'] = [];
    for (const m of manifests) {
      if (m.rejectedRows === 0) continue;
      const dated = Object.values(m.rejectedByMonth).reduce((a, b) => a + b, 0);
      const touches = Object.entries(m.partitions).some(([month]) => month >= from && month <= to);
      const undated = touches ? m.rejectedRows - dated : 0;
      let rows = 0;
      for (const [month, n] of Object.entries(m.rejectedByMonth)) if (month >= from && month <= to) rows += n;
      if (rows > 0 || undated > 0) rejected.push({ source: m.name, rows, undated });
    }
    return { rejected, overlaps: overlaps(manifests, range) };
  }
}

/**
 * The streaming writer of one source: records go to staging files, one per part of a day (so that the commit can sum
 * a part at a time), until commit; a Parquet file loaded in bulk is written to staging split by day
 * (docs/cost-data.md).
 */
export class DuckDbCostWriter implements CostWriter {
  /** Every staging file, by part of a day (`partOf`). */
  private readonly csv = new Map<string, StagingFile[]>();
  /** The open staging file of each part being written, least recently written first. */
  private readonly open = new Map<string, StagingFile>();
  private readonly bulkDirs: string[] = [];
  /** Rows staged by the bulk loads, per day. */
  private readonly bulkDayRows = new Map<string, number>();
  private readonly range = new DayRange();
  private done = false;

  constructor(
    readonly source: string,
    private readonly dir: string,
    private readonly onCommit: (staged: StagedMonths, summary: CostWriteSummary) => Promise<CostWriteResult>,
    private readonly onBulk: (
      file: string,
      columns: { name: string; type: string }[],
      stagingDir: string,
    ) => Promise<BulkLoad & { range: { from: Day; to: Day } | null; dayRows: Record<string, number> }>,
  ) {}

  /** Loads a Parquet file in SQL into staging Parquet files per month (see `parquet-bulk-load.ts`). */
  async addBulk(file: string, columns: { name: string; type: string }[]): Promise<BulkLoad> {
    const stagingDir = join(this.dir, `bulk-${this.bulkDirs.length}`);
    this.bulkDirs.push(stagingDir);
    const { range, dayRows, ...load } = await this.onBulk(file, columns, stagingDir);
    for (const [day, n] of Object.entries(dayRows)) this.bulkDayRows.set(day, (this.bulkDayRows.get(day) ?? 0) + n);
    if (range) {
      this.range.add(range.from);
      this.range.add(range.to);
    }
    return load;
  }

  async add(records: readonly CostRecord[]): Promise<void> {
    const days = records.map((r) => r.chargePeriodStart.toISOString().slice(0, 10));
    await this.route(
      days.map((day, i) => partOf(day, records[i]!.resourceId)),
      (file, at) =>
        file.addRecords(
          at.map((i) => records[i]!),
          at.map((i) => days[i]!),
        ),
    );
  }

  async addRollups(rollups: readonly DailyRollup[]): Promise<void> {
    await this.route(
      rollups.map((r) => partOf(r.day, r.resourceId ?? '')),
      (file, at) => file.addRollups(at.map((i) => rollups[i]!)),
    );
  }

  /** Hands each part's items (by index) to that part's staging file. */
  private async route(parts: string[], write: (file: StagingFile, at: number[]) => Promise<void>): Promise<void> {
    const byPart = new Map<string, number[]>();
    parts.forEach((part, i) => {
      const list = byPart.get(part);
      if (list) list.push(i);
      else byPart.set(part, [i]);
    });
    for (const [part, at] of byPart) {
      const file = await this.file(part);
      await write(file, at);
      this.range.add(file.from);
      this.range.add(file.to);
    }
  }

  async commit(summary: CostWriteSummary): Promise<CostWriteResult> {
    if (this.done) throw new Error('this cost writer is closed');
    try {
      for (const files of this.csv.values()) for (const f of files) await f.close();
      const bulkDirs = [...this.bulkDirs];
      const staged: StagedMonths = {
        range: this.range.value(),
        days: (month) => stagedDays(month, this.csv, bulkDirs, this.bulkDayRows),
      };
      return await this.onCommit(staged, summary);
    } finally {
      await this.cleanup();
    }
  }

  async abort(): Promise<void> {
    for (const files of this.csv.values()) for (const f of files) await f.close().catch(() => undefined);
    await this.cleanup();
  }

  private async file(part: string): Promise<StagingFile> {
    const files = this.csv.get(part) ?? [];
    this.csv.set(part, files);
    let current = this.open.get(part);
    this.open.delete(part);
    if (current && current.rows >= STAGING_FILE_ROWS) {
      await current.close();
      current = undefined;
    }
    if (!current) {
      current = new StagingFile(join(this.dir, `${part}-${files.length}.csv`));
      files.push(current);
    }
    this.open.set(part, current);
    for (const [oldest, file] of this.open) {
      if (this.open.size <= MAX_OPEN_STAGING_FILES) break;
      this.open.delete(oldest);
      await file.close();
    }
    return current;
  }

  private async cleanup(): Promise<void> {
    this.done = true;
    await rm(this.dir, { recursive: true, force: true }).catch((err) => {
      if (!isNotFound(err)) throw err;
    });
  }
}

/** Parts each day's rows are staged in (see `partOf`). */
const DAY_PARTS = 4;

/**
 * The part of a day a record is staged in, `YYYY-MM-DD~P`: by its resource id, which is a key of every daily row, so
 * no daily row sums rows of two parts. The commit can then sum a large day a part at a time (partition-writer.ts),
 * and its hash table holds a quarter of the day. The hash is cheap (it runs per row): the id's length, last and middle
 * characters.
 */
function partOf(day: string, resourceId: string): string {
  const n = resourceId.length;
  const hash = n === 0 ? 0 : n + resourceId.charCodeAt(n - 1) + 7 * resourceId.charCodeAt(n >> 1);
  return `${day}~${hash % DAY_PARTS}`;
}

/**
 * A month's staged rows in parts: each part of a day staged from records (CSV files), or, for a day a bulk load staged
 * too (Parquet files in `d=YYYY-MM-DD` folders, not split by resource), the whole day as one part.
 */
async function stagedDays(
  month: string,
  csv: ReadonlyMap<string, readonly StagingFile[]>,
  bulkDirs: readonly string[],
  bulkDayRows: ReadonlyMap<string, number>,
): Promise<StagedDay[]> {
  const bulk = new Map<string, string[]>();
  for (const dir of bulkDirs)
    for (const folder of await readdir(dir).catch(() => [] as string[])) {
      if (!folder.startsWith(`d=${month}`)) continue;
      const files = bulk.get(folder.slice(2)) ?? [];
      for (const f of await readdir(join(dir, folder))) if (f.endsWith('.parquet')) files.push(join(dir, folder, f));
      bulk.set(folder.slice(2), files);
    }
  const parts = new Map<string, StagedDay>();
  const of = (key: string, day: string) => {
    const known = parts.get(key);
    if (known) return known;
    const d: StagedDay = { day: day as Day, rows: 0, csv: [], parquet: [] };
    parts.set(key, d);
    return d;
  };
  for (const [day, files] of bulk) {
    const d = of(day, day);
    d.parquet.push(...files);
    d.rows += bulkDayRows.get(day) ?? 0;
  }
  for (const [part, files] of csv) {
    const day = part.slice(0, 10);
    if (!day.startsWith(month)) continue;
    const d = of(bulk.has(day) ? day : part, day);
    for (const f of files) {
      d.csv.push(f.path);
      d.rows += f.rows;
    }
  }
  return [...parts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, d]) => d);
}

/** The first and last of a set of days. */
class DayRange {
  private first: Day | null = null;
  private last: Day | null = null;

  add(day: Day | null): void {
    if (day === null) return;
    if (this.first === null || day < this.first) this.first = day;
    if (this.last === null || day > this.last) this.last = day;
  }

  value(): { from: Day; to: Day } | null {
    return this.first && this.last ? { from: this.first, to: this.last } : null;
  }
}

function sourceInfo(m: SourceManifest): CostSourceInfo {
  const parts = Object.values(m.partitions);
  const accounts = new Map<string, [Day, Day]>();
  for (const p of parts) {
    for (const [id, [f, t]] of Object.entries(p.billingAccounts)) {
      const prev = accounts.get(id);
      accounts.set(id, prev ? [f < prev[0] ? f : prev[0], t > prev[1] ? t : prev[1]] : [f, t]);
    }
  }
  const from = parts.reduce<Day | null>((a, p) => (a === null || p.from < a ? p.from : a), null);
  const to = parts.reduce<Day | null>((a, p) => (a === null || p.to > a ? p.to : a), null);
  return {
    name: m.name,
    files: m.files,
    skipped: m.skipped,
    rows: parts.reduce((a, p) => a + p.rows, 0),
    rejectedRows: m.rejectedRows,
    rejected: m.rejected,
    range: from && to ? { from, to } : null,
    lastImport: m.lastImport,
    billingAccounts: [...accounts].map(([id, [f, t]]) => ({ id, from: f, to: t })),
  };
}

/** Pairs of sources whose partitions cover the same billing account on overlapping days within the range. */
function overlaps(manifests: SourceManifest[], range: { from: Day; to: Day }): CoverageNotes['overlaps'] {
  const spans = new Map<string, { source: string; from: Day; to: Day }[]>();
  for (const m of manifests) {
    for (const p of Object.values(m.partitions)) {
      for (const [id, [f, t]] of Object.entries(p.billingAccounts)) {
        const from = f > range.from ? f : range.from;
        const to = t < range.to ? t : range.to;
        if (from > to || id === '') continue;
        const list = spans.get(id) ?? [];
        list.push({ source: m.name, from, to });
        spans.set(id, list);
      }
    }
  }
  const found = new Map<string, CoverageNotes['overlaps'][number]>();
  for (const [id, list] of spans) {
    for (const a of list) {
      for (const b of list) {
        if (a.source >= b.source) continue;
        const from = a.from > b.from ? a.from : b.from;
        const to = a.to < b.to ? a.to : b.to;
        if (from > to) continue;
        const key = `${a.source}\u0000${b.source}\u0000${id}`;
        const prev = found.get(key);
        found.set(key, {
          sources: [a.source, b.source],
          billingAccountId: id,
          from: prev && prev.from < from ? prev.from : from,
          to: prev && prev.to > to ? prev.to : to,
        });
      }
    }
  }
  return [...found.values()];
}
