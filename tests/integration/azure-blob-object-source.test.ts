// Object storage sources on Azurite (docs/cost-data.md, "Object storage"): the real @azure/storage-blob SDK lists and
// reads a container prefix of monthly FOCUS exports (CSV, gzip, Parquet) as `az://account/container/prefix`; a second
// sync reads nothing; a changed blob replaces its rows, an added month appears, a deleted blob's rows go; a corrupt blob
// is reported by name and line and the others import. The `https://account.blob.core.windows.net/…` form reads the
// same blobs.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { AzureBlobObjectStore } from '../../adapters/object-storage/azure-blob-object.store.js';
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
import { azuriteConnectionString } from '../support/services.js';

const ACCOUNT = 'devstoreaccount1';
const CONTAINER = `tally-az-${process.pid}-${randomBytes(4).toString('hex')}`;
const PREFIX = `az://${ACCOUNT}/${CONTAINER}/focus/`;

let months: FocusMonths;
let store: TestCostStore;
let sync: ObjectSourceSync;
let container: ContainerClient;

async function put(name: string, body: string | Buffer): Promise<void> {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  await container.getBlockBlobClient(name).upload(data, data.length);
}

function blobSync(connectionString: string): ObjectSourceSync {
  const importer = new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  });
  return new ObjectSourceSync({
    stores: [new AzureBlobObjectStore({ connectionString, maxRetries: 0 })],
    importer,
    costs: store.repo,
  });
}

beforeAll(async () => {
  months = focusMonths(await readFile(MAY_FIXTURE, 'utf8'));
  store = await createTestCostStore();
  container = BlobServiceClient.fromConnectionString(azuriteConnectionString()).getContainerClient(CONTAINER);
  await container.create();
  sync = blobSync(azuriteConnectionString());
  // January as CSV, March gzipped, July as Parquet (written by DuckDB from the moved CSV).
  await put('focus/2026-01.csv', months.monthCsv('2026-01'));
  await put('focus/2026-03.csv.gz', gzipSync(months.monthCsv('2026-03')));
  await put('focus/2026-07.parquet', await readFile(await parquetOf(store, months.monthCsv('2026-07'), 'july')));
});

afterAll(async () => {
  await container?.deleteIfExists();
  await store?.cleanup();
});

describe('an Azure Blob prefix of FOCUS exports', () => {
  it('is an object storage URI in both its forms', () => {
    expect(isObjectStorageUri(PREFIX)).toBe(true);
    expect(isObjectStorageUri(`https://${ACCOUNT}.blob.core.windows.net/${CONTAINER}/focus/`)).toBe(true);
    expect(isObjectStorageUri('https://example.com/focus/')).toBe(false);
    expect(isObjectStorageUri('exports/az/2026-05.csv')).toBe(false);
  });

  it('imports every monthly blob and answers the sums of the blobs', async () => {
    const report = await sync.sync(PREFIX);
    expect(report.failed).toEqual([]);
    expect(report.read).toBe(3);
    expect(report.imported.map((r) => r.source)).toEqual([
      `${PREFIX}2026-01.csv`,
      `${PREFIX}2026-03.csv.gz`,
      `${PREFIX}2026-07.parquet`,
    ]);
    for (const month of ['2026-01', '2026-03', '2026-07'])
      expect(await stored(store, month)).toEqual(oracle([months.monthCsv(month)], month));
  });

  it('reads nothing the second time', async () => {
    const report = await sync.sync(PREFIX);
    expect(report.read).toBe(0);
    expect(report.imported).toEqual([]);
    expect(report.unchanged).toHaveLength(3);
  });

  it('replaces a changed blob rows, adds a new month and drops a deleted blob', async () => {
    await put('focus/2026-01.csv', months.monthCsv('2026-01', 40));
    await put('focus/2026-08.csv', months.monthCsv('2026-08'));
    await container.deleteBlob('focus/2026-03.csv.gz');
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

  it('reports a corrupt blob by name and line, and imports the others', async () => {
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
    // The broken blob is tried again at the next sync; the rest is unchanged.
    const again = await sync.sync(PREFIX);
    expect(again.read).toBe(1);
    expect(again.imported).toEqual([]);
  });

  it('reads the same blobs through the https://account.blob.core.windows.net form', async () => {
    const https = `https://${ACCOUNT}.blob.core.windows.net/${CONTAINER}/focus/2026-10`;
    const report = await sync.sync(https);
    expect(report.failed).toEqual([]);
    expect(report.imported.map((r) => r.source)).toEqual([`${https}.csv`]);
    expect(await stored(store, '2026-10', [`${https}.csv`])).toEqual(oracle([months.monthCsv('2026-10')], '2026-10'));
  });

  it('refuses an account the connection string is not for, naming both', async () => {
    await expect(sync.sync(`az://otheraccount/${CONTAINER}/focus/`)).rejects.toThrow(
      /otheraccount.*devstoreaccount1|devstoreaccount1.*otheraccount/,
    );
  });
});

describe('an Azure Cost Management FOCUS export folder', () => {
  // As the export writes it: <root>/<export>/<YYYYMMDD-YYYYMMDD>/<run id>/ with the run's parts and its manifest.json,
  // whose blobs[].blobName are paths in the container; each run ("Create new report", the default) adds a run folder.
  const range = 'exports/tally-focus/20260501-20260531';
  const manifest = (run: string, submittedTime: string, parts: string[]) =>
    JSON.stringify({
      manifestVersion: '2024-04-01',
      blobCount: parts.length,
      exportConfig: { exportName: 'tally-focus', type: 'FocusCost', dataVersion: '1.0r2', timeFrame: 'MonthToDate' },
      deliveryConfig: { partitionData: true, dataOverwriteBehavior: 'CreateNewReport', fileFormat: 'Csv' },
      runInfo: { executionType: 'Scheduled', submittedTime, runId: run, startDate: '2026-05-01T00:00:00' },
      blobs: parts.map((blobName) => ({ blobName, byteCount: 1 })),
    });
  const unit = `az://${ACCOUNT}/${CONTAINER}/${range}/`;

  it('counts only the latest run of a month, and a later run replaces it', async () => {
    const first = months.slice(0, 50);
    const [a1, a2] = [months.slice(0, 25), months.slice(25, 45)];
    await put(`${range}/run-a/part_0_0001.csv`, first);
    await put(
      `${range}/run-a/manifest.json`,
      manifest('run-a', '2026-05-20T02:10:00Z', [`${range}/run-a/part_0_0001.csv`]),
    );
    // The later run, in two gzipped parts; its folder name sorts before the first run's.
    await put(`${range}/0-run-b/part_0_0001.csv.gz`, gzipSync(a1));
    await put(`${range}/0-run-b/part_1_0001.csv.gz`, gzipSync(a2));
    await put(
      `${range}/0-run-b/manifest.json`,
      manifest('0-run-b', '2026-05-21T02:10:00Z', [
        `${range}/0-run-b/part_0_0001.csv.gz`,
        `${range}/0-run-b/part_1_0001.csv.gz`,
      ]),
    );
    const prefix = `az://${ACCOUNT}/${CONTAINER}/exports/`;
    const report = await sync.sync(prefix);
    expect(report.failed).toEqual([]);
    expect(report.read).toBe(2);
    expect(report.imported.map((r) => r.source)).toEqual([unit]);
    expect(await stored(store, '2026-05', [unit])).toEqual(oracle([a1, a2], '2026-05'));
    expect(oracle([a1, a2], '2026-05')).not.toEqual(oracle([first], '2026-05'));

    // A third run of the same month: its rows replace the earlier run's; nothing is added beside them.
    const latest = months.slice(0, 70);
    await put(`${range}/run-c/part_0_0001.csv`, latest);
    await put(
      `${range}/run-c/manifest.json`,
      manifest('run-c', '2026-05-22T02:10:00Z', [`${range}/run-c/part_0_0001.csv`]),
    );
    const again = await sync.sync(prefix);
    expect(again.read).toBe(1);
    expect(await stored(store, '2026-05', [unit])).toEqual(oracle([latest], '2026-05'));
    expect((await sync.sync(prefix)).read).toBe(0);
  });

  it('keeps the month as it was when the latest manifest names a blob that is missing', async () => {
    await put(
      `${range}/run-d/manifest.json`,
      manifest('run-d', '2026-05-23T02:10:00Z', [`${range}/run-d/part_0_0001.csv`]),
    );
    const report = await sync.sync(`az://${ACCOUNT}/${CONTAINER}/exports/`);
    expect(report.failed.map((f) => f.source)).toEqual([unit]);
    expect(report.failed[0]?.error).toContain('part_0_0001.csv');
    expect(await stored(store, '2026-05', [unit])).toEqual(oracle([months.slice(0, 70)], '2026-05'));
  });
});
