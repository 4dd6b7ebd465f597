// The scheduled import of several TALLY_FOCUS_FILE sources on moto S3 (docs/cost-data.md, "Several sources"): a local
// export and a prefix import while a prefix in a missing bucket fails, and the failure names only that prefix; then
// `status` over the same store, full and scoped, shows each prefix once with its objects summed.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryDeliveryLog } from '../../adapters/memory/memory-delivery.log.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { FileObjectSyncLog } from '../../adapters/object-storage/object-sync-file.log.js';
import { focusImporter } from '../../src/bootstrap/object-sources.js';
import { loadConfig } from '../../src/config/env.js';
import { scopedStatusReply, statusReply } from '../../src/conversation/replies/status.reply.js';
import { statusFacts } from '../../src/conversation/status-facts.js';
import { ImportService } from '../../src/costs/import.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';
import { expectedSums } from '../support/focus-oracle.js';
import { awsEndpoint } from '../support/services.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/focus/export-2026-05.csv');
const BUCKET = `tally-sources-${process.pid}-${randomBytes(4).toString('hex')}`;
const PREFIX = `s3://${BUCKET}/focus/`;
const MISSING = `s3://${BUCKET}-missing/focus/`;

let store: TestCostStore;
let s3: S3Client;
let fixture: string;
const runs = new MemoryImportRunRepository();

/** The May fixture moved to `month` (a 31-day month). */
function moved(month: string): string {
  const next = `2026-${String(Number(month.slice(5)) + 1).padStart(2, '0')}-01`;
  return fixture.replaceAll('2026-06-01', next).replaceAll('2026-05-', `${month}-`);
}

/** Billed cost per currency of a FOCUS text in a month, summed by the test. */
function oracle(csv: string, month: string): Map<string, number> {
  const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const sums = expectedSums(rows, { from: `${month}-01`, to: `${month}-31`, amount: 'BilledCost', key: () => '' });
  return new Map([...sums].map(([currency, m]) => [currency, m.get('') ?? 0]));
}

async function stored(month: string): Promise<Map<string, number>> {
  const rows = await store.repo.aggregate({ from: `${month}-01`, to: `${month}-31`, groupBy: [] });
  return new Map(rows.map((r) => [r.currency, Math.round(r.billed * 100) / 100]));
}

beforeAll(async () => {
  fixture = await readFile(FIXTURE, 'utf8');
  store = await createTestCostStore();
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: awsEndpoint(),
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const month of ['2026-01', '2026-03'])
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `focus/${month}.csv`, Body: moved(month) }));
});

afterAll(async () => {
  s3?.destroy();
  await store?.cleanup();
});

describe('several sources on the sync schedule', () => {
  it('imports each source on its own and names only the one that failed', async () => {
    const config = loadConfig({
      AWS_ENDPOINT_URL: awsEndpoint(),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      TALLY_DATA_DIR: store.dir,
    });
    const importer = new ImportService({
      reader: new FocusExportReader(store.engine),
      costs: store.repo,
      runs,
      clock: systemClock,
    });
    const job = focusImporter(config, importer, store.repo);
    const failure = await job.importPath(`${MISSING}\n${FIXTURE}, ${PREFIX}`).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(new RegExp(`^${MISSING}: `));
    expect((failure as Error).message).not.toContain(PREFIX);
    expect(await stored('2026-05')).toEqual(oracle(fixture, '2026-05'));
    expect(await stored('2026-01')).toEqual(oracle(moved('2026-01'), '2026-01'));
    expect(await stored('2026-03')).toEqual(oracle(moved('2026-03'), '2026-03'));
    const logged = await new FileObjectSyncLog(store.dir).latest();
    expect(logged.map((l) => [l.prefix, l.listed, l.read, l.failed.length]).sort()).toEqual(
      [
        [PREFIX, 2, 2, 0],
        [MISSING, 0, 0, 1],
      ].sort(),
    );
  });

  it('`status` shows each prefix once, and a scoped status says whether its last sync worked', async () => {
    const facts = await statusFacts({
      description: 'test store',
      costs: store.repo,
      runs,
      deliveries: new MemoryDeliveryLog(),
      notes: [],
      syncs: new FileObjectSyncLog(store.dir),
    });
    const rows = (csv: string) => (parse(csv, { columns: true }) as unknown[]).length;
    const full = statusReply(facts);
    const objects = full.tables?.find((t) => t.columns[0]?.header === 'Object storage');
    const cells = (row: readonly unknown[]) => row.map((c) => (c as { text?: string }).text ?? '');
    expect(objects?.rows.map((r) => cells(r).slice(0, 1).concat(cells(r).slice(2, 7)))).toEqual([
      [MISSING, '0', '0', '0', '0', '0'],
      [PREFIX, '2', '2', '2', String(rows(moved('2026-01')) + rows(moved('2026-03'))), '0'],
    ]);
    // No table lists a prefix's objects one by one.
    const named = (full.tables ?? []).flatMap((t) => t.rows.map((r) => cells(r)[0]));
    expect(named.filter((n) => n?.startsWith(`${PREFIX}2026-`))).toEqual([]);
    expect(named).toContain(`focus:${FIXTURE}`);
    const scoped = scopedStatusReply(facts, { providers: ['AWS'] });
    expect(scoped.tables?.[0]?.rows.map((r) => cells(r)[0] + (cells(r)[2] === 'ok' ? ' ok' : ' failed'))).toEqual([
      `focus:${FIXTURE} ok`,
      `${MISSING} (objects) failed`,
      `${PREFIX} (objects) ok`,
    ]);
  });
});
