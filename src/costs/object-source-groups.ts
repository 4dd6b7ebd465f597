import type { Day } from '../shared/day.js';
import { spanOf } from '../shared/day.js';
import type { CostSourceInfo } from './cost-repository.port.js';
import { isUnder } from './object-export-units.js';
import type { PrefixSync } from './object-sync-log.port.js';

/** An object storage prefix with its sub-sources summed (docs/cost-data.md, "Object storage"). */
export interface ObjectPrefixStatus {
  prefix: string;
  /** The name the policy file's `sources:` gives the prefix, if any. */
  name?: string;
  /** ISO instant of the last listing that worked, or null. */
  listedAt: string | null;
  /** Objects the last listing found and read. */
  listed: number;
  read: number;
  /** Objects (files) the prefix's sub-sources hold now, and their sub-sources. */
  objects: number;
  sources: number;
  rows: number;
  rejectedRows: number;
  range: { from: Day; to: Day } | null;
  /** What the last sync could not read, or null when it read everything. */
  lastError: { at: string; error: string } | null;
}

/** The prefix a stored source belongs to (the longest that starts its name), or undefined. */
export function prefixOf(source: string, prefixes: readonly string[]): string | undefined {
  return prefixes.filter((p) => isUnder(source, p)).sort((a, b) => b.length - a.length)[0];
}

/**
 * Sums the sub-sources of each synced prefix into one status (last listing, objects, rows, rejected rows, days and
 * the last sync's failures), named as `labels` (the policy's `sources:`) name them; the sources of no prefix are
 * returned as they are.
 */
export function groupObjectSources(
  sources: readonly CostSourceInfo[],
  syncs: readonly PrefixSync[],
  labels: ReadonlyMap<string, string> = new Map(),
): { prefixes: ObjectPrefixStatus[]; others: CostSourceInfo[] } {
  const names = syncs.map((s) => s.prefix);
  const groups = new Map<string, CostSourceInfo[]>(names.map((n) => [n, []]));
  const others: CostSourceInfo[] = [];
  for (const s of sources) {
    const prefix = prefixOf(s.name, names);
    if (prefix) groups.get(prefix)!.push(s);
    else others.push(s);
  }
  const prefixes = syncs
    .map((sync) => {
      const status = prefixStatus(sync, groups.get(sync.prefix) ?? []);
      const name = labels.get(sync.prefix);
      return name ? { ...status, name } : status;
    })
    .sort((a, b) => a.prefix.localeCompare(b.prefix));
  return { prefixes, others };
}

function prefixStatus(sync: PrefixSync, parts: readonly CostSourceInfo[]): ObjectPrefixStatus {
  return {
    prefix: sync.prefix,
    listedAt: sync.listedAt,
    listed: sync.listed,
    read: sync.read,
    objects: parts.reduce((n, p) => n + p.files.length, 0),
    sources: parts.length,
    rows: parts.reduce((n, p) => n + p.rows, 0),
    rejectedRows: parts.reduce((n, p) => n + p.rejectedRows, 0),
    range: spanOf(parts.flatMap((p) => (p.range ? [p.range] : []))),
    lastError: sync.failed.length
      ? {
          at: sync.attemptedAt,
          // A failed listing is noted under the prefix itself, whose name its error already starts with.
          error: sync.failed
            .map((f) => (f.error.startsWith(f.source) ? f.error : `${f.source}: ${f.error}`))
            .join('; '),
        }
      : null,
  };
}

/** A source as `status` and `tally sources` show it: `aws-focus (s3://billing/focus/)` when named, else its location. */
export function sourceTitle(location: string, name: string | undefined): string {
  return name ? `${name} (${location})` : location;
}
