import type { StoredObject } from './object-store.port.js';

/** FOCUS data objects: CSV, gzipped CSV and Parquet. */
const DATA_RE = /\.(csv|csv\.gz|parquet)$/i;

/** An AWS Data Exports manifest: `<root>/metadata/<partition>/<export-name>-Manifest.json`. */
const AWS_MANIFEST_RE = /^(.*\/)metadata\/([^/]+)\/[^/]*Manifest\.json$/;

/**
 * An Azure Cost Management export run's manifest: `<root>/<export>/<YYYYMMDD-YYYYMMDD>/<run id>/manifest.json`. Each
 * run of an export writes its files in a folder of its own under the date range's folder.
 */
const AZURE_MANIFEST_RE = /^(.*\/\d{8}-\d{8}\/)[^/]+\/manifest\.json$/;

/**
 * What one sub-source of an object storage source holds: the objects whose rows it stores, replaced together. A plain
 * object is its own unit (`s3://bucket/key`). The current delivery of an export period is one unit named after the
 * period's folder, so a re-delivered month replaces the old files, and the parts of one month are not counted as
 * overlapping sources: for AWS Data Exports, the data files its manifest names; for Azure Cost Management exports,
 * the blobs of the latest run's manifest (by its `runInfo.submittedTime`).
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

/** A manifest read: the data files it names (full URIs) and when its run was submitted, or why it could not be read. */
export interface ExportManifest {
  uri: string;
  dataFiles: string[] | { problem: string };
  /** Azure: the run's `runInfo.submittedTime` (the latest run of a period is the current one). */
  submitted?: string;
}

/** The manifests among a listing (their text is read by the caller and parsed by `parseManifest`). */
export function manifestObjects(objects: readonly StoredObject[]): StoredObject[] {
  return objects.filter((o) => periodFolderOf(o.uri) !== null);
}

/**
 * The data files a manifest names, as full URIs: an AWS manifest's `dataFiles` (already `s3://` URIs), an Azure
 * manifest's `blobs[].blobName` (paths in the manifest's container), with the run's submitted time.
 */
export function parseManifest(uri: string, text: string): ExportManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { uri, dataFiles: { problem: `is not JSON (${err instanceof Error ? err.message : String(err)})` } };
  }
  const m = (parsed ?? {}) as { dataFiles?: unknown; blobs?: unknown; runInfo?: { submittedTime?: unknown } };
  if (AWS_MANIFEST_RE.test(pathOf(uri))) {
    if (Array.isArray(m.dataFiles) && m.dataFiles.every((f) => typeof f === 'string'))
      return { uri, dataFiles: m.dataFiles as string[] };
    return { uri, dataFiles: { problem: 'has no dataFiles list' } };
  }
  const blobs = Array.isArray(m.blobs) ? m.blobs.map((b) => (b as { blobName?: unknown })?.blobName) : null;
  if (!blobs?.every((b): b is string => typeof b === 'string'))
    return { uri, dataFiles: { problem: 'has no blobs[].blobName list' } };
  const submitted = typeof m.runInfo?.submittedTime === 'string' ? m.runInfo.submittedTime : '';
  const container = containerOf(uri);
  return {
    uri,
    dataFiles: blobs.map((b) => (/^[a-z0-9]+:\/\//i.test(b) ? b : `${container}${b.replace(/^\/+/, '')}`)),
    submitted,
  };
}

/**
 * Groups a listing into units: each export period's current manifest's data files form one unit, and the other data
 * objects of the period's folder (older deliveries) are left out; every other data object is a unit of its own.
 */
export function exportUnits(objects: readonly StoredObject[], manifests: readonly ExportManifest[]): ExportUnit[] {
  const byUri = new Map(objects.map((o) => [o.uri, o]));
  const units: ExportUnit[] = [];
  const covered: string[] = [];
  for (const [folder, m] of currentManifests(manifests)) {
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

/**
 * The current manifest of each export period's folder. AWS writes one manifest per period (the period's data folder
 * is `<root>/data/<partition>/`); Azure one per run, and the latest run submitted is current (on a tie or without
 * times, the last by name).
 */
function currentManifests(manifests: readonly ExportManifest[]): Map<string, ExportManifest> {
  const current = new Map<string, ExportManifest>();
  for (const m of manifests) {
    const folder = periodFolderOf(m.uri);
    if (!folder) continue;
    const held = current.get(folder);
    if (!held || later(m, held)) current.set(folder, m);
  }
  return current;
}

function later(a: ExportManifest, b: ExportManifest): boolean {
  const at = Date.parse(a.submitted ?? '');
  const bt = Date.parse(b.submitted ?? '');
  if (!Number.isNaN(at) && !Number.isNaN(bt) && at !== bt) return at > bt;
  if (!Number.isNaN(at) !== !Number.isNaN(bt)) return !Number.isNaN(at);
  return a.uri.localeCompare(b.uri) > 0;
}

/** The folder of the export period a manifest describes, or null when the object is not a manifest. */
function periodFolderOf(uri: string): string | null {
  const path = pathOf(uri);
  const aws = AWS_MANIFEST_RE.exec(path);
  if (aws) return `${bucketOf(uri)}${aws[1]}data/${aws[2]}/`;
  const azure = AZURE_MANIFEST_RE.exec(path);
  return azure ? `${bucketOf(uri)}${azure[1]}` : null;
}

/** What a unit's stored files say about the objects read: `uri#etag` each. */
export function objectVersion(o: StoredObject): string {
  return `${o.uri}#${o.etag}`;
}

/**
 * True when the object storage name `name` lies under `prefix`: it starts with it and is in the same bucket (or Azure
 * container), so a bucket-only prefix `s3://acme` does not take in `s3://acme-other/…`.
 */
export function isUnder(name: string, prefix: string): boolean {
  return name.startsWith(prefix) && containerOf(name) === containerOf(`${prefix}${prefix.endsWith('/') ? '' : '/'}`);
}

/** `s3://bucket/a/b` → `s3://bucket`. */
function bucketOf(uri: string): string {
  const at = uri.indexOf('/', uri.indexOf('://') + 3);
  return at < 0 ? uri : uri.slice(0, at);
}

/**
 * The container's root of an Azure Blob URI (`az://account/container/` or `https://account.blob.core.windows.net/container/`),
 * in which a manifest's blob names are paths.
 */
function containerOf(uri: string): string {
  const m = /^(az:\/\/[^/]+\/[^/]+\/|https:\/\/[^/]+\/[^/]+\/)/i.exec(uri);
  return m ? m[1]! : `${bucketOf(uri)}/`;
}

/** `s3://bucket/a/b` → `/a/b`. */
function pathOf(uri: string): string {
  return uri.slice(bucketOf(uri).length);
}
