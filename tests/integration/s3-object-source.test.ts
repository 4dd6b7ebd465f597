// Object storage sources on moto S3 (docs/cost-data.md, "Object storage"): the real SDK lists and reads a prefix of
// monthly FOCUS exports (CSV, gzip, Parquet); a second sync reads nothing; a changed object replaces its rows, an added
// month appears, a deleted object's rows go; a corrupt object is reported by name and line and the others import; an
// AWS Data Exports folder with two deliveries of one month counts only the one its manifest names.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { S3ObjectStore } from '../../adapters/object-storage/s3-object.store.js';
import { ImportService } from '../../src/costs/import.service.js';
import { ObjectSourceSync } from '../../src/costs/object-source-sync.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';
import { expectedSums } from '../support/focus-oracle.js';
import { awsTestConfig } from '../support/moto.js';
import { awsEndpoint } from '../support/services.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/focus/export-2026-05.csv');
const CORRUPT = join(import.meta.dirname, '../fixtures/focus/export-corrupt.csv');
const BUCKET = `tally-s3-${process.pid}-${randomBytes(4).toString('hex')}`;
const PREFIX = `s3://${BUCKET}/focus/`;

let fixture: string;
let store: TestCostStore;
let sync: ObjectSourceSync;
let s3: S3Client;

/** The fixture's header and records as their own CSV text (records may span lines). */
function csvRecords(text: string): string[] {
  return (parse(text, { raw: true }) as unknown as { raw: string }[]).map((r) =>
    r.raw.replace(/\r?\n?$/, '').replace(/\r$/, ''),
  );
}

/** The header and records `from` to `to` of the May fixture, as a CSV text. */
function slice(from: number, to?: number): string {
  const [header, ...records] = csvRecords(fixture);
  return `${[header, ...records.slice(from, to)].join('\n')}\n`;
}

/** The May fixture moved to another 31-day month (`2026-01`, `2026-03`, …), optionally only its first `rows` rows. */
function monthCsv(month: string, rows?: number): string {
  const next = `2026-${String(Number(month.slice(5)) + 1).padStart(2, '0')}-01`;
  return slice(0, rows).replaceAll('2026-06-01', next).replaceAll('2026-05-', `${month}-`);
}

/** Billed cents per currency of a CSV text's rows in one month, summed by the test's own CSV parse. */
function oracle(csvTexts: string[], month: string): Map<string, number> {
  const rows = csvTexts.flatMap((t) => parse(t, { columns: true, skip_empty_lines: true }) as Record<string, string>[]);
  const sums = expectedSums(rows, { from: `${month}-01`, to: `${month}-31`, amount: 'BilledCost', key: () => '' });
  return new Map([...sums].map(([currency, m]) => [currency, m.get('') ?? 0]));
}

/** What the store answers: billed cost per currency in one month, to the cent. */
async function stored(month: string, sources?: string[]): Promise<Map<string, number>> {
  const rows = await store.repo.aggregate({
    from: `${month}-01`,
    to: `${month}-31`,
    groupBy: [],
    ...(sources ? { sources } : {}),
  });
  return new Map(rows.map((r) => [r.currency, Math.round(r.billed * 100) / 100]));
}

async function put(key: string, body: string | Buffer): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

beforeAll(async () => {
  fixture = await readFile(FIXTURE, 'utf8');
  store = await createTestCostStore();
  const config = awsTestConfig(awsEndpoint());
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: awsEndpoint(),
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const importer = new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  });
  sync = new ObjectSourceSync({ stores: [new S3ObjectStore(config)], importer, costs: store.repo });
  // January as CSV, March gzipped, July as Parquet (written by DuckDB from the moved CSV).
  await put('focus/2026-01.csv', monthCsv('2026-01'));
  await put('focus/2026-03.csv.gz', gzipSync(monthCsv('2026-03')));
  const csv = join(store.dir, 'july.csv');
  const parquet = join(store.dir, 'july.parquet');
  await writeFile(csv, monthCsv('2026-07'));
  await store.engine.withConnection((c) =>
    c.run(
      `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true, delim = ',', quote = '"', escape = '"', header = true, strict_mode = false)) TO '${parquet}' (FORMAT parquet)`,
    ),
  );
  await put('focus/2026-07.parquet', await readFile(parquet));
});

afterAll(async () => {
  s3?.destroy();
  await store?.cleanup();
});

describe('an S3 prefix of FOCUS exports', () => {
  it('imports every monthly object and answers the sums of the objects', async () => {
    const report = await sync.sync(PREFIX);
    expect(report.failed).toEqual([]);
    expect(report.read).toBe(3);
    expect(report.imported.map((r) => r.source)).toEqual([
      `${PREFIX}2026-01.csv`,
      `${PREFIX}2026-03.csv.gz`,
      `${PREFIX}2026-07.parquet`,
    ]);
    for (const month of ['2026-01', '2026-03', '2026-07'])
      expect(await stored(month)).toEqual(oracle([monthCsv(month)], month));
  });

  it('reads nothing the second time', async () => {
    const report = await sync.sync(PREFIX);
    expect(report.read).toBe(0);
    expect(report.imported).toEqual([]);
    expect(report.unchanged).toHaveLength(3);
  });

  it('replaces a changed object rows, adds a new month and drops a deleted object', async () => {
    await put('focus/2026-01.csv', monthCsv('2026-01', 40));
    await put('focus/2026-08.csv', monthCsv('2026-08'));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'focus/2026-03.csv.gz' }));
    const report = await sync.sync(PREFIX);
    expect(report.read).toBe(2);
    expect(report.removed).toEqual([`${PREFIX}2026-03.csv.gz`]);
    expect(await stored('2026-01')).toEqual(oracle([monthCsv('2026-01', 40)], '2026-01'));
    expect(await stored('2026-08')).toEqual(oracle([monthCsv('2026-07'), monthCsv('2026-08')], '2026-08'));
    expect(await stored('2026-03')).toEqual(new Map());
    expect(await stored('2026-07')).toEqual(oracle([monthCsv('2026-07')], '2026-07'));
  });

  it('reports a corrupt object by name and line, and imports the others', async () => {
    const corruptText = await readFile(CORRUPT, 'utf8');
    // The first corrupt row's physical line, found in the raw text.
    const badLine = corruptText.split('\n').findIndex((l) => l.includes('12,34x')) + 1;
    await put('focus/z-corrupt.csv', corruptText.replaceAll('2026-05-', '2026-12-'));
    await put('focus/z-broken.parquet', 'not parquet at all');
    await put('focus/2026-10.csv', monthCsv('2026-10'));
    const report = await sync.sync(PREFIX);
    expect(report.failed.map((f) => f.source)).toEqual([`${PREFIX}z-broken.parquet`]);
    expect(report.failed[0]?.error).toContain(`${PREFIX}z-broken.parquet`);
    const corrupt = report.imported.find((r) => r.source === `${PREFIX}z-corrupt.csv`);
    expect(corrupt?.rowsRejected).toBeGreaterThan(0);
    expect(corrupt?.rejected[0]?.file).toMatch(new RegExp(`^${PREFIX}z-corrupt\\.csv#`));
    expect(corrupt?.rejected[0]?.line).toBe(badLine);
    expect(corrupt?.rejected[0]?.column).toBe('BilledCost');
    expect(await stored('2026-10')).toEqual(oracle([monthCsv('2026-10')], '2026-10'));
    // The broken object is tried again at the next sync; the rest is unchanged.
    const again = await sync.sync(PREFIX);
    expect(again.read).toBe(1);
    expect(again.imported).toEqual([]);
  });

  it('keeps the earlier rows of an object that was replaced by an unreadable one', async () => {
    await put('focus/2026-07.parquet', 'truncated upload');
    const report = await sync.sync(PREFIX);
    expect(report.failed.map((f) => f.source)).toEqual([`${PREFIX}2026-07.parquet`, `${PREFIX}z-broken.parquet`]);
    expect(await stored('2026-07')).toEqual(oracle([monthCsv('2026-07')], '2026-07'));
  });
});

describe('an AWS Data Exports folder', () => {
  it('counts only the delivery the billing period manifest names', async () => {
    const root = 'exports/tally-focus';
    const old = `${root}/data/BILLING_PERIOD=2026-05/exec-1/tally-focus-00001.csv.gz`;
    const part1 = `${root}/data/BILLING_PERIOD=2026-05/exec-2/tally-focus-00001.csv.gz`;
    const part2 = `${root}/data/BILLING_PERIOD=2026-05/exec-2/tally-focus-00002.csv.gz`;
    const first = slice(0, 30);
    const second = slice(30, 60);
    await put(old, gzipSync(fixture));
    await put(part1, gzipSync(first));
    await put(part2, gzipSync(second));
    await put(
      `${root}/metadata/BILLING_PERIOD=2026-05/tally-focus-Manifest.json`,
      JSON.stringify({
        executionId: 'exec-2',
        dataFiles: [`s3://${BUCKET}/${part1}`, `s3://${BUCKET}/${part2}`],
      }),
    );
    const prefix = `s3://${BUCKET}/exports/`;
    const report = await sync.sync(prefix);
    expect(report.failed).toEqual([]);
    expect(report.read).toBe(2);
    expect(report.imported.map((r) => r.source)).toEqual([`s3://${BUCKET}/${root}/data/BILLING_PERIOD=2026-05/`]);
    const unit = `s3://${BUCKET}/${root}/data/BILLING_PERIOD=2026-05/`;
    expect(await stored('2026-05', [unit])).toEqual(oracle([first, second], '2026-05'));
    expect(oracle([first, second], '2026-05')).not.toEqual(oracle([fixture], '2026-05'));
  });
});
