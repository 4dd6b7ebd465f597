// `tally import s3://bucket/prefix/` through the built CLI against moto (docs/cost-data.md, "Object storage"): the
// AWS settings come from the environment (AWS_ENDPOINT_URL, keys); a second run reads nothing.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../support/data-dir.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';
import { awsEndpoint } from '../support/services.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const BUCKET = `tally-cli-s3-${process.pid}-${randomBytes(4).toString('hex')}`;
const ENV = () => ({
  AWS_ENDPOINT_URL: awsEndpoint(),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
});

let s3: S3Client;

beforeAll(async () => {
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: awsEndpoint(),
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'focus/2026-05.csv.gz', Body: gzipSync(readFileSync(EXPORT)) }),
  );
});

afterAll(() => s3?.destroy());

describe('tally import s3://', () => {
  it('imports the objects of a prefix, then reads nothing when they did not change', async () => {
    const rows = readFixture(EXPORT);
    const prefix = `s3://${BUCKET}/focus/`;
    const first = await runCli(['import', prefix], ENV());
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Synced ${prefix}: 1 objects listed, 1 read, 0 unchanged, 0 removed, 0 failed.`);
    expect(first.stdout).toContain(`${rows.length} rows read, ${rows.length} imported, 0 rejected`);
    const billed = expectedSums(rows, { from: '0000-01-01', to: '9999-12-31', amount: 'BilledCost', key: () => 'all' });
    for (const [currency, m] of billed) {
      const shown = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(m.get('all')!);
      expect(first.stdout).toContain(`Total ${currency}: billed ${shown} ${currency}`);
    }
    const second = await runCli(['import', prefix], ENV());
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Synced ${prefix}: 1 objects listed, 0 read, 1 unchanged, 0 removed, 0 failed.`);
  });

  it('answers from TALLY_FOCUS_FILE set to an s3:// prefix (synced at start)', async () => {
    const rows = readFixture(EXPORT);
    const prefix = `s3://${BUCKET}/focus/`;
    const r = await runCli(['ask', '--json', 'cost in 2026-05'], {
      ...ENV(),
      TALLY_FOCUS_FILE: prefix,
      TALLY_DATA_DIR: `${testDataDir()}/s3-focus`,
    });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { totals: { currency: string; total: number }[] };
    const may = expectedSums(rows, { from: '2026-05-01', to: '2026-05-31', amount: 'EffectiveCost', key: () => 'all' });
    expect(new Map(json.totals.map((t) => [t.currency, t.total]))).toEqual(
      new Map([...may].map(([c, m]) => [c, m.get('all')!])),
    );
  });
});
