// Object storage sources on fake-gcs-server (docs/cost-data.md, "Object storage"): the real @google-cloud/storage SDK
// lists (page by page) and reads a bucket prefix of monthly FOCUS exports (CSV, gzip, Parquet) as `gs://bucket/prefix`;
// a second sync reads nothing; a changed object replaces its rows, an added month appears, a deleted object's rows go;
// a corrupt object is reported by name and line and the others import. A missing bucket and a refused request fail
// with the URI named.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Bucket, Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { GcsObjectStore, type GcsStoreConfig } from '../../adapters/object-storage/gcs-object.store.js';
import { isObjectStorageUri } from '../../src/bootstrap/object-sources.js';
import { ImportService } from '../../src/costs/import.service.js';
import { ObjectSourceSync } from '../../src/costs/object-source-sync.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';
import {
  CORRUPT_FIXTURE,
  type FocusMonths,
  focusMonths,
  MAY_FIXTURE,
  oracle,
  parquetOf,
  stored,
} from '../support/object-source-fixtures.js';
import { gcsUrl } from '../support/services.js';

const BUCKET = `tally-gcs-${process.pid}-${randomBytes(4).toString('hex')}`;
const PREFIX = `gs://${BUCKET}/focus/`;

let months: FocusMonths;
let store: TestCostStore;
let sync: ObjectSourceSync;
let bucket: Bucket;

async function put(name: string, body: string | Buffer, metadata: { contentEncoding?: string } = {}): Promise<void> {
  await bucket.file(name).save(typeof body === 'string' ? Buffer.from(body) : body, { resumable: false, metadata });
}

function gcsSync(config: GcsStoreConfig): ObjectSourceSync {
  const importer = new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  });
  return new ObjectSourceSync({ stores: [new GcsObjectStore(config)], importer, costs: store.repo });
}

beforeAll(async () => {
  months = focusMonths(await readFile(MAY_FIXTURE, 'utf8'));
  store = await createTestCostStore();
  bucket = new Storage({ apiEndpoint: gcsUrl(), projectId: 'tally-test' }).bucket(BUCKET);
  await bucket.create();
  // Two objects a page, so that every listing takes several pages.
  sync = gcsSync({ apiEndpoint: gcsUrl(), maxRetries: 0, pageSize: 2 });
  // January as CSV, March gzipped, July as Parquet (written by DuckDB from the moved CSV).
  await put('focus/2026-01.csv', months.monthCsv('2026-01'));
  await put('focus/2026-03.csv.gz', gzipSync(months.monthCsv('2026-03')));
  await put('focus/2026-07.parquet', await readFile(await parquetOf(store, months.monthCsv('2026-07'), 'july')));
  // Beside the prefix: never listed.
  await put('other/2026-01.csv', months.monthCsv('2026-01'));
});

afterAll(async () => {
  await bucket?.deleteFiles({ force: true });
  await bucket?.delete({ ignoreNotFound: true });
  await store?.cleanup();
});

describe('a Cloud Storage prefix of FOCUS exports', () => {
  it('is an object storage URI', () => {
    expect(isObjectStorageUri(PREFIX)).toBe(true);
    expect(isObjectStorageUri(`gs://${BUCKET}`)).toBe(true);
    expect(isObjectStorageUri('exports/gs/2026-05.csv')).toBe(false);
  });

  it('imports every monthly object and answers the sums of the objects', async () => {
    const report = await sync.sync(PREFIX);
    expect(report.failed).toEqual([]);
    expect(report.listed).toBe(3);
    expect(report.read).toBe(3);
    expect(report.imported.map((r) => r.source)).toEqual([
      `${PREFIX}2026-01.csv`,
      `${PREFIX}2026-03.csv.gz`,
      `${PREFIX}2026-07.parquet`,
    ]);
    for (const month of ['2026-01', '2026-03', '2026-07'])
      expect(await stored(store, month)).toEqual(oracle([months.monthCsv(month)], month));
  });

  it('keys each object by its generation', async () => {
    const [metadata] = await bucket.file('focus/2026-01.csv').getMetadata();
    const [source] = (await store.repo.sources()).filter((s) => s.name === `${PREFIX}2026-01.csv`);
    expect(source?.files).toEqual([`${PREFIX}2026-01.csv#${metadata.generation}`]);
  });

  it('reads nothing the second time', async () => {
    const report = await sync.sync(PREFIX);
    expect(report.read).toBe(0);
    expect(report.imported).toEqual([]);
    expect(report.unchanged).toHaveLength(3);
  });

  it('replaces a changed object rows, adds a new month and drops a deleted object', async () => {
    await put('focus/2026-01.csv', months.monthCsv('2026-01', 40));
    await put('focus/2026-08.csv', months.monthCsv('2026-08'));
    await bucket.file('focus/2026-03.csv.gz').delete();
    const report = await sync.sync(PREFIX);
    expect(report.read).toBe(2);
    expect(report.removed).toEqual([`${PREFIX}2026-03.csv.gz`]);
    expect(await stored(store, '2026-01')).toEqual(oracle([months.monthCsv('2026-01', 40)], '2026-01'));
    // The July fixture moved by one month ends on 1 August, so August holds July's last day too.
    expect(await stored(store, '2026-08')).toEqual(
      oracle([months.monthCsv('2026-07'), months.monthCsv('2026-08')], '2026-08'),
    );
    expect(await stored(store, '2026-03')).toEqual(new Map());
    expect(await stored(store, '2026-07')).toEqual(oracle([months.monthCsv('2026-07')], '2026-07'));
  });

  it('reports a corrupt object by name and line, and imports the others', async () => {
    const corruptText = await readFile(CORRUPT_FIXTURE, 'utf8');
    // The first corrupt row's physical line, found in the raw text.
    const badLine = corruptText.split('\n').findIndex((l) => l.includes('12,34x')) + 1;
    await put('focus/z-corrupt.csv', corruptText.replaceAll('2026-05-', '2026-12-'));
    await put('focus/z-broken.parquet', 'not parquet at all');
    await put('focus/2026-10.csv', months.monthCsv('2026-10'));
    const report = await sync.sync(PREFIX);
    expect(report.failed.map((f) => f.source)).toEqual([`${PREFIX}z-broken.parquet`]);
    expect(report.failed[0]?.error).toContain(`${PREFIX}z-broken.parquet`);
    const corrupt = report.imported.find((r) => r.source === `${PREFIX}z-corrupt.csv`);
    expect(corrupt?.rowsRejected).toBeGreaterThan(0);
    expect(corrupt?.rejected[0]?.file).toMatch(new RegExp(`^${PREFIX}z-corrupt\\.csv#`));
    expect(corrupt?.rejected[0]?.line).toBe(badLine);
    expect(corrupt?.rejected[0]?.column).toBe('BilledCost');
    expect(await stored(store, '2026-10')).toEqual(oracle([months.monthCsv('2026-10')], '2026-10'));
    // The broken object is tried again at the next sync; the rest is unchanged.
    const again = await sync.sync(PREFIX);
    expect(again.read).toBe(1);
    expect(again.imported).toEqual([]);
  });

  it('reads a .csv stored gzip-encoded (gcloud storage cp -Z) as its CSV', async () => {
    const prefix = `gs://${BUCKET}/encoded/`;
    await put('encoded/2026-05.csv', gzipSync(months.monthCsv('2026-05')), { contentEncoding: 'gzip' });
    const report = await sync.sync(prefix);
    expect(report.failed).toEqual([]);
    expect(await stored(store, '2026-05', [`${prefix}2026-05.csv`])).toEqual(
      oracle([months.monthCsv('2026-05')], '2026-05'),
    );
  });

  it('names the URI when the bucket does not exist', async () => {
    const missing = `gs://${BUCKET}-missing/focus/`;
    const err = await sync.sync(missing).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CLOUD_NOT_FOUND' });
    expect((err as Error).message).toContain(missing);
  });
});

describe('Cloud Storage credentials', () => {
  it('names the key file of GOOGLE_APPLICATION_CREDENTIALS when it cannot be read', async () => {
    const keyFile = join(store.dir, 'no-such-key.json');
    const err = await gcsSync({ credentialsFile: keyFile, maxRetries: 0 })
      .sync(PREFIX)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((err as Error).message).toContain(PREFIX);
    expect((err as Error).message).toContain(keyFile);
  });
});

describe('a Cloud Storage request refused', () => {
  let server: Server;

  beforeAll(async () => {
    // The JSON API's answer to an identity without storage.objects.list on the bucket.
    server = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      const message = 'reader@example.iam.gserviceaccount.com does not have storage.objects.list access';
      res.end(JSON.stringify({ error: { code: 403, message, errors: [{ reason: 'forbidden', message }] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fails with CLOUD_DENIED naming the URI', async () => {
    const { port } = server.address() as AddressInfo;
    const refused = gcsSync({ apiEndpoint: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const err = await refused.sync(PREFIX).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CLOUD_DENIED' });
    expect((err as Error).message).toContain(PREFIX);
  });
});
