import type { StoredObject } from './object-store.port.js';

/** FOCUS data objects: CSV, gzipped CSV and Parquet. */
const DATA_RE = /\.(csv|csv\.gz|parquet)$/i;

/** An AWS Data Exports manifest: `<root>/metadata/<partition>/<export-name>-Manifest.json`. */
const MANIFEST_RE = /^(.*\/)metadata\/([^/]+)\/[^/]*Manifest\.json$/;

/**
 * What one sub-source of an object storage source holds: the objects whose rows it stores, replaced together. A plain
 * object is its own unit (`s3://bucket/key`); the current delivery of an AWS Data Exports billing period (the data
 * files its manifest names) is one unit named after the period's data folder, so a re-delivered month replaces the
 * old files, and the parts of one month are not counted as overlapping sources.
 */
export interface ExportUnit {
  /** The sub-source name in the cost store. */
  name: string;
  objects: StoredObject[];
  /**
   * Why the unit cannot be read now (its manifest is unreadable, or names data files the listing lacks): it is not
   * read, and its earlier rows stay.
   */
  problem?: string;
}

/** The `dataFiles` of an AWS Data Exports manifest (full `s3://` URIs), or why it could not be read. */
export interface ExportManifest {
  uri: string;
  dataFiles: string[] | { problem: string };
}

/** The manifests among a listing (their text is read by the caller). */
export function manifestObjects(objects: readonly StoredObject[]): StoredObject[] {
  return objects.filter((o) => MANIFEST_RE.test(pathOf(o.uri)));
}

/**
 * Groups a listing into units: each manifest's data files form one unit, and the other data objects of the
 * manifest's data folder (older deliveries) are left out; every other data object is a unit of its own.
 */
export function exportUnits(objects: readonly StoredObject[], manifests: readonly ExportManifest[]): ExportUnit[] {
  const byUri = new Map(objects.map((o) => [o.uri, o]));
  const units: ExportUnit[] = [];
  const covered: string[] = [];
  for (const m of manifests) {
    const match = MANIFEST_RE.exec(pathOf(m.uri));
    if (!match) continue;
    const folder = `${bucketOf(m.uri)}${match[1]}data/${match[2]}/`;
    covered.push(folder);
    if (!Array.isArray(m.dataFiles)) {
      units.push({ name: folder, objects: [], problem: `${m.uri}: ${m.dataFiles.problem}` });
      continue;
    }
    const missing = m.dataFiles.filter((f) => !byUri.has(f));
    const present = m.dataFiles.filter((f) => byUri.has(f)).map((f) => byUri.get(f)!);
    units.push({
      name: folder,
      objects: present.sort((a, b) => a.uri.localeCompare(b.uri)),
      ...(missing.length ? { problem: `${m.uri} names data files not found: ${missing.join(', ')}` } : {}),
    });
  }
  for (const o of objects) {
    if (!DATA_RE.test(o.uri) || covered.some((c) => o.uri.startsWith(c))) continue;
    units.push({ name: o.uri, objects: [o] });
  }
  return units.sort((a, b) => a.name.localeCompare(b.name));
}

/** What a unit's stored files say about the objects read: `uri#etag` each. */
export function objectVersion(o: StoredObject): string {
  return `${o.uri}#${o.etag}`;
}

/** `s3://bucket/a/b` → `s3://bucket`. */
function bucketOf(uri: string): string {
  const at = uri.indexOf('/', uri.indexOf('://') + 3);
  return at < 0 ? uri : uri.slice(0, at);
}

/** `s3://bucket/a/b` → `/a/b`. */
function pathOf(uri: string): string {
  return uri.slice(bucketOf(uri).length);
}
