import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { addDays, type Day } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import type { CostRepository, CostSourceInfo } from './cost-repository.port.js';
import type { ImportService } from './import.service.js';
import type { ImportRun } from './import-run.types.js';
import {
  type ExportManifest,
  type ExportUnit,
  exportUnits,
  isUnder,
  manifestObjects,
  objectVersion,
  parseManifest,
} from './object-export-units.js';
import type { ObjectStore } from './object-store.port.js';
import type { ObjectSyncLog } from './object-sync-log.port.js';

/** What one sync of an object storage prefix did. */
export interface ObjectSyncReport {
  prefix: string;
  /** Objects listed under the prefix. */
  listed: number;
  /** Data objects downloaded and read. */
  read: number;
  /** Sub-sources whose objects had not changed (not read). */
  unchanged: string[];
  /** The imports of new or changed sub-sources. */
  imported: ImportRun[];
  /** Sub-sources removed because their objects are gone. */
  removed: string[];
  /** Sub-sources that could not be read (their earlier rows stay): the sub-source and why. */
  failed: { source: string; error: string }[];
}

export interface ObjectSourceSyncDeps {
  stores: readonly ObjectStore[];
  importer: ImportService;
  costs: CostRepository;
  /** Where each prefix's last listing, objects read and failures are noted for `status` (none: not noted). */
  log?: ObjectSyncLog;
}

/**
 * Keeps the cost store in step with a prefix of FOCUS exports in object storage (docs/cost-data.md, "Object
 * storage"). Each object is its own sub-source named by its URI (or, for an export period of AWS Data Exports or Azure
 * Cost Management, the data files its current manifest names form one sub-source named by the period's folder); a sub-source stores the
 * `uri#etag` of the objects it read as its files. A sync lists the prefix and reads only the sub-sources whose objects
 * changed: their rows replace the earlier ones (the days the earlier rows covered and the new ones lack are
 * emptied), and the sub-sources of objects gone are removed. A sub-source that fails keeps its earlier rows and is read
 * again at the next sync; the others go on.
 */
export class ObjectSourceSync {
  constructor(private readonly deps: ObjectSourceSyncDeps) {}

  /** True when `path` is an object storage URI some store reads. */
  handles(path: string): boolean {
    return this.deps.stores.some((s) => s.handles(path));
  }

  /** Syncs one prefix and notes the outcome in the log (a listing that fails is noted, then thrown). */
  async sync(prefix: string): Promise<ObjectSyncReport> {
    const at = new Date().toISOString();
    let report: ObjectSyncReport;
    try {
      report = await this.syncListed(prefix);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await this.deps.log?.record({ prefix, at, failed: [{ source: prefix, error }] });
      throw err;
    }
    await this.deps.log?.record({
      prefix,
      at,
      listing: { listed: report.listed, read: report.read },
      failed: report.failed,
    });
    return report;
  }

  private async syncListed(prefix: string): Promise<ObjectSyncReport> {
    const store = this.deps.stores.find((s) => s.handles(prefix));
    if (!store) throw new TallyError('USAGE', `${prefix}: no object storage reader for this URI`);
    const listing = await store.list(prefix);
    const manifests: ExportManifest[] = [];
    for (const m of manifestObjects(listing)) manifests.push(await readManifest(store, m.uri));
    const units = exportUnits(listing, manifests);
    const existing = new Map(
      (await this.deps.costs.sources()).filter((s) => isUnder(s.name, prefix)).map((s) => [s.name, s]),
    );
    const report: ObjectSyncReport = {
      prefix,
      listed: listing.length,
      read: 0,
      unchanged: [],
      imported: [],
      removed: [],
      failed: [],
    };
    for (const unit of units) {
      if (unit.problem) {
        report.failed.push({ source: unit.name, error: unit.problem });
        continue;
      }
      const before = existing.get(unit.name);
      if (before && sameObjects(before, unit)) {
        report.unchanged.push(unit.name);
        continue;
      }
      report.read += unit.objects.length;
      try {
        report.imported.push(await this.importUnit(store, unit, before));
      } catch (err) {
        report.failed.push({ source: unit.name, error: err instanceof Error ? err.message : String(err) });
      }
    }
    const current = new Set(units.map((u) => u.name));
    for (const name of existing.keys()) {
      if (current.has(name)) continue;
      if (await this.deps.costs.removeSource(name)) report.removed.push(name);
    }
    return report;
  }

  /** Downloads a unit's objects to a temporary folder and imports them as the unit's sub-source. */
  private async importUnit(store: ObjectStore, unit: ExportUnit, before: CostSourceInfo | undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'tally-objects-'));
    try {
      const names = new Map<string, string>();
      for (const [i, o] of unit.objects.entries()) {
        // The index keeps the objects' order and tells apart objects of the same name in different folders.
        const local = join(dir, `${String(i).padStart(6, '0')}-${basename(o.uri)}`);
        await store.download(o.uri, local);
        names.set(local, objectVersion(o));
      }
      let run: ImportRun;
      try {
        run = await this.deps.importer.importPath(dir, { source: unit.name, names });
      } catch (err) {
        throw renamed(err, names);
      }
      await this.emptyLeftDays(unit.name, before?.range ?? null, run.range);
      return run;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Empties the days the sub-source's earlier rows covered outside the range its new rows cover. */
  private async emptyLeftDays(source: string, old: { from: Day; to: Day } | null, now: { from: Day; to: Day } | null) {
    if (!old) return;
    if (!now) {
      await this.deps.costs.replaceRollups(source, old, []);
      return;
    }
    if (old.from < now.from)
      await this.deps.costs.replaceRollups(source, { from: old.from, to: addDays(now.from, -1) }, []);
    if (old.to > now.to) await this.deps.costs.replaceRollups(source, { from: addDays(now.to, 1), to: old.to }, []);
  }
}

/** True when a sub-source's stored files are exactly the unit's objects at their current versions. */
function sameObjects(before: CostSourceInfo, unit: ExportUnit): boolean {
  const stored = [...before.files, ...before.skipped.map((s) => s.file)].sort();
  const now = unit.objects.map(objectVersion).sort();
  return stored.length === now.length && stored.every((f, i) => f === now[i]);
}

/** A manifest's data files, or why it cannot be read. */
async function readManifest(store: ObjectStore, uri: string): Promise<ExportManifest> {
  try {
    return parseManifest(uri, await store.readText(uri));
  } catch (err) {
    return { uri, dataFiles: { problem: `cannot be read (${err instanceof Error ? err.message : String(err)})` } };
  }
}

/** The error with local file paths replaced by the objects' names. */
function renamed(err: unknown, names: ReadonlyMap<string, string>): Error {
  let message = err instanceof Error ? err.message : String(err);
  for (const [local, name] of names) message = message.split(local).join(name);
  const e = new Error(message, { cause: err });
  return e;
}
