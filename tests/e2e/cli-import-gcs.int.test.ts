// `tally import gs://bucket/prefix/` through the built CLI against fake-gcs-server (docs/cost-data.md, "Object
// storage"): the emulator is named by STORAGE_EMULATOR_HOST, in the root form other Google clients take; a second run
// reads nothing, `tally sources` shows the prefix on one line, and TALLY_FOCUS_FILE may name the prefix.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Bucket, Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';
import { gcsUrl } from '../support/services.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const BUCKET = `tally-cli-gcs-${process.pid}-${randomBytes(4).toString('hex')}`;
const PREFIX = `gs://${BUCKET}/focus/`;
const dataDir = mkdtempSync(join(tmpdir(), 'tally-cli-gcs-'));
const ENV = () => ({ STORAGE_EMULATOR_HOST: gcsUrl(), TALLY_DATA_DIR: dataDir });

let bucket: Bucket;

beforeAll(async () => {
  bucket = new Storage({ apiEndpoint: gcsUrl(), projectId: 'tally-test' }).bucket(BUCKET);
  await bucket.create();
  await bucket.file('focus/2026-05.csv.gz').save(gzipSync(readFileSync(EXPORT)), { resumable: false });
});

afterAll(async () => {
  await bucket?.deleteFiles({ force: true });
  await bucket?.delete({ ignoreNotFound: true });
});

describe('tally import gs://', () => {
  it('imports the objects of a prefix, then reads nothing when they did not change', async () => {
    const rows = readFixture(EXPORT);
    const first = await runCli(['import', PREFIX], ENV());
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Synced ${PREFIX}: 1 objects listed, 1 read, 0 unchanged, 0 removed, 0 failed.`);
    expect(first.stdout).toContain(`${rows.length} rows read, ${rows.length} imported, 0 rejected`);
    const billed = expectedSums(rows, { from: '0000-01-01', to: '9999-12-31', amount: 'BilledCost', key: () => 'all' });
    for (const [currency, m] of billed) {
      const shown = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(m.get('all')!);
      expect(first.stdout).toContain(`Total ${currency}: billed ${shown} ${currency}`);
    }
    const second = await runCli(['import', PREFIX], ENV());
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`Synced ${PREFIX}: 1 objects listed, 0 read, 1 unchanged, 0 removed, 0 failed.`);
    const sources = await runCli(['sources'], ENV());
    expect(sources.code, sources.stderr).toBe(0);
    expect(sources.stdout.split('\n').filter((l) => l.startsWith(PREFIX))).toEqual([
      expect.stringMatching(
        new RegExp(`^${PREFIX}\\t${rows.length} rows, 0 rejected, .*1 object\\(s\\) in 1 source\\(s\\), last listing `),
      ),
    ]);
  });

  it('answers from TALLY_FOCUS_FILE set to a gs:// prefix (synced at start)', async () => {
    const rows = readFixture(EXPORT);
    const r = await runCli(['ask', '--json', 'cost in 2026-05'], {
      ...ENV(),
      TALLY_FOCUS_FILE: PREFIX,
      TALLY_DATA_DIR: mkdtempSync(join(tmpdir(), 'tally-cli-gcs-focus-')),
    });
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { totals: { currency: string; total: number }[] };
    const may = expectedSums(rows, { from: '2026-05-01', to: '2026-05-31', amount: 'EffectiveCost', key: () => 'all' });
    expect(new Map(json.totals.map((t) => [t.currency, t.total]))).toEqual(
      new Map([...may].map(([c, m]) => [c, m.get('all')!])),
    );
  });

  it('names the URI when the bucket does not exist', async () => {
    const missing = `gs://${BUCKET}-missing/focus/`;
    const r = await runCli(['import', missing], ENV());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).not.toContain('error id');
  });
});
