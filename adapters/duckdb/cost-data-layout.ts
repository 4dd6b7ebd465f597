import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SkippedFile } from '../../src/costs/cost-repository.port.js';
import type { RejectedRow } from '../../src/costs/import-run.types.js';
import type { Day } from '../../src/shared/day.js';

/**
 * Where cost data lives under `TALLY_DATA_DIR` (docs/cost-data.md):
 *
 *   costs/v1/<source, URI-encoded>/2026-05.<version>.parquet   a partition: a source's daily rows of one month
 *   costs/v1/<source, URI-encoded>/source.json                 what the source holds (the manifest below)
 *
 * A partition is replaced by writing `2026-05.<version>.parquet.tmp` beside it and renaming it into place under a
 * newer version; readers take the newest version of each month. A query that listed the older version keeps
 * reading it (DuckDB opens a file more than once per query, so a file is never replaced under a running query);
 * superseded versions are deleted once their successor is {@link SUPERSEDED_GRACE_MS} old.
 */
const LAYOUT_VERSION = 'v1';

const PARTITION_RE = /^(\d{4}-\d{2})\.(\d{15}-[0-9a-z]+)\.parquet$/;

/** How long a superseded partition file stays for queries that listed it before. */
const SUPERSEDED_GRACE_MS = 10 * 60_000;

/** What the manifest records about one partition. */
export interface PartitionStats {
  from: Day;
  to: Day;
  /** FOCUS rows summed into the partition, and the daily rows stored. */
  rows: number;
  storedRows: number;
  /** Per billing account: first and last day. */
  billingAccounts: Record<string, [Day, Day]>;
  /** [sub-account id, name, provider]. */
  accounts: [string, string, string][];
  tagKeys: string[];
}

/** `source.json`: written after the partitions of a write, by the writing process. */
export interface SourceManifest {
  name: string;
  files: string[];
  skipped: SkippedFile[];
  rejectedRows: number;
  rejected: RejectedRow[];
  rejectedByMonth: Record<string, number>;
  lastImport: string;
  partitions: Record<string, PartitionStats>;
}

/** The manifest of a write: what the writer says of itself, and the partitions the source now has. */
export function manifestOf(
  name: string,
  summary: Pick<SourceManifest, 'files' | 'skipped' | 'rejected' | 'rejectedByMonth'> & { rowsRejected: number },
  now: Date,
  partitions: Record<string, PartitionStats>,
): SourceManifest {
  return {
    name,
    files: summary.files,
    skipped: summary.skipped,
    rejectedRows: summary.rowsRejected,
    rejected: summary.rejected,
    rejectedByMonth: summary.rejectedByMonth,
    lastImport: now.toISOString(),
    partitions,
  };
}

export class CostDataLayout {
  readonly root: string;

  constructor(readonly dataDir: string) {
    this.root = join(dataDir, 'costs', LAYOUT_VERSION);
  }

  sourceDir(source: string): string {
    return join(this.root, encodeURIComponent(source));
  }

  /** A new version's path for a month's partition (versions sort by time of writing). */
  newPartitionPath(source: string, month: string): string {
    const version = `${String(Date.now()).padStart(15, '0')}-${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    return join(this.sourceDir(source), `${month}.${version}.parquet`);
  }

  /** Every version of every month of a source, newest first per month. */
  async partitionVersions(source: string): Promise<Map<string, string[]>> {
    const dir = this.sourceDir(source);
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (err) {
      if (isNotFound(err)) return new Map();
      throw err;
    }
    const byMonth = new Map<string, string[]>();
    for (const e of entries.sort().reverse()) {
      const month = PARTITION_RE.exec(e)?.[1];
      if (!month) continue;
      const list = byMonth.get(month);
      if (list) list.push(join(dir, e));
      else byMonth.set(month, [join(dir, e)]);
    }
    return byMonth;
  }

  /** The current (newest) file of a source's month, or null. */
  async currentPartition(source: string, month: string): Promise<string | null> {
    return (await this.partitionVersions(source)).get(month)?.[0] ?? null;
  }

  /** Deletes versions whose successor was written more than the grace period ago. */
  async pruneSuperseded(source: string, now = Date.now()): Promise<void> {
    for (const versions of (await this.partitionVersions(source)).values()) {
      for (let i = 1; i < versions.length; i++) {
        const successor = versions[i - 1]!;
        const written = await stat(successor).then(
          (s) => s.mtimeMs,
          () => now,
        );
        if (now - written >= SUPERSEDED_GRACE_MS) await rm(versions[i]!, { force: true });
      }
    }
  }

  stagingDir(id: string): string {
    return join(this.dataDir, 'staging', id);
  }

  async ensure(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  /** Source names present on disk (a folder each). */
  async sourceNames(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    return entries.filter((e) => !e.startsWith('.')).map((e) => decodeURIComponent(e));
  }

  /** The current partition file of every source and month in [fromMonth, toMonth], read from the folders. */
  async partitionFiles(fromMonth: string, toMonth: string, only?: readonly string[]): Promise<string[]> {
    const files: string[] = [];
    for (const source of await this.sourceNames()) {
      if (only && !only.includes(source)) continue;
      for (const [month, versions] of await this.partitionVersions(source))
        if (month >= fromMonth && month <= toMonth && versions[0]) files.push(versions[0]);
    }
    return files.sort();
  }

  /** The manifest of a source, cached by modification time; null when absent. */
  async manifest(source: string): Promise<SourceManifest | null> {
    const path = join(this.sourceDir(source), 'source.json');
    let mtime: number;
    try {
      mtime = (await stat(path)).mtimeMs;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    const hit = this.manifests.get(path);
    if (hit && hit.mtime === mtime) return hit.manifest;
    try {
      const manifest = JSON.parse(await readFile(path, 'utf8')) as SourceManifest;
      this.manifests.set(path, { mtime, manifest });
      return manifest;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  private readonly manifests = new Map<string, { mtime: number; manifest: SourceManifest }>();

  async allManifests(): Promise<SourceManifest[]> {
    const list = await Promise.all((await this.sourceNames()).map((s) => this.manifest(s)));
    return list.filter((m): m is SourceManifest => m !== null);
  }

  async writeManifest(manifest: SourceManifest): Promise<void> {
    const path = join(this.sourceDir(manifest.name), 'source.json');
    await writeAtomically(path, `${JSON.stringify(manifest)}\n`);
  }

  /** Deletes a source's folder; false when it did not exist. */
  async removeSource(source: string): Promise<boolean> {
    const dir = this.sourceDir(source);
    try {
      await stat(dir);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    // Renamed away first, so that readers listing the folder see all of the source or none of it.
    const gone = join(this.root, `.removed-${process.pid}-${Date.now()}`);
    await rename(dir, gone);
    await rm(gone, { recursive: true, force: true });
    return true;
  }
}

/** Writes a file by writing a temporary file beside it and renaming it into place. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** `2026-05-17` → `2026-05`. */
export const monthOf = (day: Day) => day.slice(0, 7);

/** Every month from the month of `from` to the month of `to`, inclusive. */
export function monthsBetween(from: Day, to: Day): string[] {
  const months: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const last = monthOf(to);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > last) break;
    months.push(month);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return months;
}

/** True when the data directory holds at least one cost source. */
export async function hasCostData(dataDir: string): Promise<boolean> {
  try {
    return (await readdir(join(dataDir, 'costs', LAYOUT_VERSION))).some((e) => !e.startsWith('.'));
  } catch {
    return false;
  }
}

/** The sample's own data directory, beside the real cost data and never mixed with it. */
export function sampleDataDir(dataDir: string, today: string): string {
  return join(dataDir, 'sample', today);
}

/** Removes the sample folders of other days (a new day's sample is written at its first start). */
export async function removeOldSamples(dataDir: string, today: string): Promise<void> {
  const root = join(dataDir, 'sample');
  const days = await readdir(root).catch(() => [] as string[]);
  await Promise.all(days.filter((d) => d !== today).map((d) => rm(join(root, d), { recursive: true, force: true })));
}
