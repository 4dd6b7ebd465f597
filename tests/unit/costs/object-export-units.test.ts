// How an object storage listing is cut into sources (docs/cost-data.md, "Object storage"): which names lie under a
// prefix, and which files of an export folder count, for AWS Data Exports and Azure Cost Management manifests.
import { describe, expect, it } from 'vitest';
import { exportUnits, isUnder, manifestObjects, parseManifest } from '../../../src/costs/object-export-units.js';

const obj = (uri: string) => ({ uri, etag: 'e', size: 1 });

describe('isUnder', () => {
  it('keeps a bucket-only prefix to its own bucket or container', () => {
    expect(isUnder('s3://acme/focus/a.csv', 's3://acme')).toBe(true);
    expect(isUnder('s3://acme-other/focus/a.csv', 's3://acme')).toBe(false);
    expect(isUnder('gs://acme-2/a.csv', 'gs://acme')).toBe(false);
    expect(isUnder('az://acct/costs-old/a.csv', 'az://acct/costs')).toBe(false);
    expect(isUnder('az://acct/costs/a.csv', 'az://acct/costs')).toBe(true);
  });

  it('takes key prefixes inside a bucket as object storage does', () => {
    expect(isUnder('s3://acme/focus-2026/a.csv', 's3://acme/focus')).toBe(true);
    expect(isUnder('s3://acme/other/a.csv', 's3://acme/focus')).toBe(false);
  });
});

describe('Azure export manifests', () => {
  const base = 'az://acct/exports/focus/daily/20260501-20260531';
  const manifest = (run: string, submittedTime: string | undefined, blobs: string[]) =>
    JSON.stringify({
      runInfo: { runId: run, ...(submittedTime ? { submittedTime } : {}) },
      blobs: blobs.map((blobName) => ({ blobName })),
    });

  it('reads blob names as paths in the manifest’s container', () => {
    const m = parseManifest(
      `${base}/r1/manifest.json`,
      manifest('r1', '2026-05-02T00:00:00Z', ['focus/daily/20260501-20260531/r1/part_0_0001.csv.gz']),
    );
    expect(m.dataFiles).toEqual([`${base}/r1/part_0_0001.csv.gz`]);
  });

  it('counts the latest submitted run of a date range, whatever the folder names', () => {
    const listing = [
      obj(`${base}/b/manifest.json`),
      obj(`${base}/b/part_0_0001.csv`),
      obj(`${base}/a/manifest.json`),
      obj(`${base}/a/part_0_0001.csv`),
      obj('az://acct/exports/focus/loose.csv'),
    ];
    const manifests = manifestObjects(listing).map((o) =>
      o.uri.includes('/a/')
        ? parseManifest(
            o.uri,
            manifest('a', '2026-05-03T00:00:00Z', ['focus/daily/20260501-20260531/a/part_0_0001.csv']),
          )
        : parseManifest(
            o.uri,
            manifest('b', '2026-05-02T00:00:00Z', ['focus/daily/20260501-20260531/b/part_0_0001.csv']),
          ),
    );
    expect(exportUnits(listing, manifests)).toEqual([
      { name: 'az://acct/exports/focus/daily/20260501-20260531/', objects: [obj(`${base}/a/part_0_0001.csv`)] },
      { name: 'az://acct/exports/focus/loose.csv', objects: [obj('az://acct/exports/focus/loose.csv')] },
    ]);
  });

  it('reports a manifest that is not JSON or has no blob list, keeping the period as a unit with a problem', () => {
    const broken = parseManifest(`${base}/r/manifest.json`, '{not json');
    expect(broken.dataFiles).toMatchObject({ problem: expect.stringMatching(/^is not JSON/) });
    const empty = parseManifest(`${base}/r/manifest.json`, '{"runInfo":{}}');
    expect(empty.dataFiles).toEqual({ problem: 'has no blobs[].blobName list' });
    const [unit] = exportUnits([obj(`${base}/r/manifest.json`), obj(`${base}/r/part.csv`)], [empty]);
    expect(unit).toMatchObject({ name: `${base}/`, objects: [], problem: expect.stringContaining('no blobs') });
  });

  it('leaves a manifest.json outside a date range folder as no manifest', () => {
    expect(manifestObjects([obj('az://acct/exports/focus/manifest.json')])).toEqual([]);
  });
});

describe('AWS Data Exports manifests', () => {
  it('names the period’s data folder and keeps only the files the manifest names', () => {
    const root = 's3://b/exp/tally';
    const listing = [
      obj(`${root}/metadata/BILLING_PERIOD=2026-05/tally-Manifest.json`),
      obj(`${root}/data/BILLING_PERIOD=2026-05/old/x.csv.gz`),
      obj(`${root}/data/BILLING_PERIOD=2026-05/new/x.csv.gz`),
    ];
    const m = parseManifest(listing[0]!.uri, JSON.stringify({ dataFiles: [listing[2]!.uri] }));
    expect(exportUnits(listing, [m])).toEqual([
      { name: `${root}/data/BILLING_PERIOD=2026-05/`, objects: [listing[2]] },
    ]);
    expect(parseManifest(listing[0]!.uri, '{}').dataFiles).toEqual({ problem: 'has no dataFiles list' });
  });
});
