// Several sources in TALLY_FOCUS_FILE through the built CLI against moto (docs/cost-data.md, "Several sources" and
// "Object storage"): a local export and an S3 prefix of two objects load side by side while a prefix in a bucket that
// does not exist fails on its own; `status` and `tally sources` show the prefix as one line, its objects summed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectPrefixStatus } from '../../src/costs/object-source-groups.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';
import { awsEndpoint } from '../support/services.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const BUCKET = `tally-cli-sources-${process.pid}-${randomBytes(4).toString('hex')}`;
const PREFIX = `s3://${BUCKET}/focus/`;
const MISSING = `s3://${BUCKET}-missing/focus/`;

/** The May fixture moved to January, split into two CSV texts (its first 30 records, and the rest). */
function januaryParts(): [string, string] {
  const moved = readFileSync(EXPORT, 'utf8').replaceAll('2026-06-01', '2026-02-01').replaceAll('2026-05-', '2026-01-');
  const [header, ...records] = (parse(moved, { raw: true }) as unknown as { raw: string }[]).map((r) =>
    r.raw.replace(/\r?\n?$/, ''),
  );
  return [`${[header, ...records.slice(0, 30)].join('\n')}\n`, `${[header, ...records.slice(30)].join('\n')}\n`];
}

const dataDir = mkdtempSync(join(tmpdir(), 'tally-focus-sources-'));
const ENV = () => ({
  AWS_ENDPOINT_URL: awsEndpoint(),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  TALLY_DATA_DIR: dataDir,
  // Commas and a new line mixed, local path and prefixes mixed.
  TALLY_FOCUS_FILE: `${EXPORT},\n${PREFIX}, ${MISSING}`,
});

let s3: S3Client;
const parts = januaryParts();

/** Effective cost per currency of a FOCUS text's rows in a month, summed by the test. */
function effective(rows: Record<string, string>[], month: string): Map<string, number> {
  const sums = expectedSums(rows, {
    from: `${month}-01`,
    to: `${month}-31`,
    amount: 'EffectiveCost',
    key: () => 'all',
  });
  return new Map([...sums].map(([c, m]) => [c, m.get('all')!]));
}

/** The first and last UTC day of the January objects' rows (`ChargePeriodStart`), found by the test. */
function januaryRange(): { from: string; to: string } {
  const days = parts
    .flatMap((p) => parse(p, { columns: true }) as Record<string, string>[])
    .map((r) => new Date(r.ChargePeriodStart!).toISOString().slice(0, 10))
    .sort();
  return { from: days[0]!, to: days.at(-1)! };
}

async function asked(question: string): Promise<Map<string, number>> {
  const r = await runCli(['ask', '--json', question], ENV());
  expect(r.code, r.stderr).toBe(0);
  const json = JSON.parse(r.stdout) as { totals: { currency: string; total: number }[] };
  return new Map(json.totals.map((t) => [t.currency, t.total]));
}

beforeAll(async () => {
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: awsEndpoint(),
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'focus/2026-01-a.csv', Body: parts[0] }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'focus/2026-01-b.csv.gz', Body: gzipSync(parts[1]) }));
});

afterAll(() => s3?.destroy());

describe('TALLY_FOCUS_FILE with several sources', () => {
  it('loads the local export and the S3 prefix though another prefix fails', async () => {
    const january = parts.flatMap(
      (p) => parse(p, { columns: true, skip_empty_lines: true }) as Record<string, string>[],
    );
    expect(await asked('cost in 2026-05')).toEqual(effective(readFixture(EXPORT), '2026-05'));
    expect(await asked('cost in 2026-01')).toEqual(effective(january, '2026-01'));
    const status = await runCli(['ask', 'status'], ENV());
    expect(status.stdout).toContain(`Could not import ${MISSING}`);
  });

  it('`status` shows each prefix once, its objects summed, with its last listing and last error', async () => {
    const r = await runCli(['ask', '--json', 'status'], ENV());
    expect(r.code, r.stderr).toBe(0);
    const data = JSON.parse(r.stdout) as { objectSources: ObjectPrefixStatus[]; costSources: { name: string }[] };
    const january = parts.map((p) => (parse(p, { columns: true }) as unknown[]).length);
    const [missing, prefix] = data.objectSources;
    expect(prefix).toMatchObject({
      prefix: PREFIX,
      listed: 2,
      read: 0, // already read by the earlier runs
      objects: 2,
      sources: 2,
      rows: january[0]! + january[1]!,
      rejectedRows: 0,
      range: januaryRange(),
      lastError: null,
    });
    expect(prefix?.listedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(missing).toMatchObject({ prefix: MISSING, listedAt: null, objects: 0, rows: 0 });
    expect(missing?.lastError?.error).toMatch(new RegExp(`^${MISSING}: cannot list`));
    const text = await runCli(['ask', 'status'], ENV());
    expect(text.stdout).toContain(PREFIX);
    // No table row per object (the overlap notes may still name objects).
    expect(text.stdout.split('\n').filter((l) => l.startsWith(`${PREFIX}2026-01-`))).toEqual([]);
    expect(text.stdout.split('\n').filter((l) => l.startsWith(PREFIX))).toHaveLength(1);
  });

  it('`tally sources` sums a prefix on one line beside the local source', async () => {
    const r = await runCli(['sources'], { TALLY_DATA_DIR: dataDir });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const rows = parts.reduce((n, p) => n + (parse(p, { columns: true }) as unknown[]).length, 0);
    expect(lines.filter((l) => l.startsWith(PREFIX))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${PREFIX}\\t${rows} rows, 0 rejected, ${januaryRange().from} to ${januaryRange().to}, 2 object\\(s\\) in 2 source\\(s\\), last listing \\S+ \\(2 listed, 0 read\\)$`,
        ),
      ),
    ]);
    expect(lines.filter((l) => l.startsWith(MISSING))).toEqual([
      expect.stringMatching(/last listing never \(0 listed, 0 read\), last error /),
    ]);
    expect(lines.filter((l) => l.startsWith(`focus:${EXPORT}\t`))).toHaveLength(1);
    expect(lines).toHaveLength(3);
  });
});
