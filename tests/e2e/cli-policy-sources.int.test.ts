// Named sources in the policy file's `sources:` through the built CLI against moto (docs/cost-data.md, "Several
// sources"): `tally import` without a path imports every configured source, a source's name stands for its location,
// `tally sources` and `status` show the names, and a bad list is refused naming each bad entry.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';
import { awsEndpoint } from '../support/services.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const BUCKET = `tally-cli-policy-sources-${process.pid}-${randomBytes(4).toString('hex')}`;
const PREFIX = `s3://${BUCKET}/focus/`;
const dir = mkdtempSync(join(tmpdir(), 'tally-policy-sources-'));
const dataDir = join(dir, 'data');
const policyFile = join(dir, 'policy.yml');
const JANUARY = readFileSync(EXPORT, 'utf8').replaceAll('2026-06-01', '2026-02-01').replaceAll('2026-05-', '2026-01-');

const ENV = (policy = policyFile) => ({
  AWS_ENDPOINT_URL: awsEndpoint(),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  TALLY_DATA_DIR: dataDir,
  TALLY_POLICY_FILE: policy,
});

/** Effective cost per currency of FOCUS rows in a month, summed by the test. */
function effective(rows: Record<string, string>[], month: string): Map<string, number> {
  const sums = expectedSums(rows, {
    from: `${month}-01`,
    to: `${month}-31`,
    amount: 'EffectiveCost',
    key: () => 'all',
  });
  return new Map([...sums].map(([c, m]) => [c, m.get('all')!]));
}

async function asked(question: string): Promise<Map<string, number>> {
  const r = await runCli(['ask', '--json', question], ENV());
  expect(r.code, r.stderr).toBe(0);
  const json = JSON.parse(r.stdout) as { totals: { currency: string; total: number }[] };
  return new Map(json.totals.map((t) => [t.currency, t.total]));
}

let s3: S3Client;

beforeAll(async () => {
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: awsEndpoint(),
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'focus/2026-01.csv', Body: JANUARY }));
  writeFileSync(
    policyFile,
    ['sources:', `  - { name: may-export, uri: "${EXPORT}" }`, `  - { name: aws-focus, uri: "${PREFIX}" }`, ''].join(
      '\n',
    ),
  );
});

afterAll(() => s3?.destroy());

describe('the policy file’s sources', () => {
  it('`tally import` without a path imports every named source', async () => {
    const r = await runCli(['import'], ENV());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Imported focus:${EXPORT}:`);
    expect(r.stdout).toContain(`Synced ${PREFIX}: 1 objects listed, 1 read`);
    expect(await asked('cost in 2026-05')).toEqual(effective(readFixture(EXPORT), '2026-05'));
    expect(await asked('cost in 2026-01')).toEqual(
      effective(parse(JANUARY, { columns: true, skip_empty_lines: true }) as Record<string, string>[], '2026-01'),
    );
  });

  it('a name stands for its source, and a second sync reads nothing', async () => {
    const r = await runCli(['import', 'aws-focus'], ENV());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Synced ${PREFIX}: 1 objects listed, 0 read, 1 unchanged`);
  });

  it('`tally sources` and `status` show each source under its name', async () => {
    const r = await runCli(['sources'], ENV());
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith(`aws-focus (${PREFIX})\t`))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith(`may-export (focus:${EXPORT})\t`))).toHaveLength(1);
    const status = await runCli(['ask', 'status'], ENV());
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`aws-focus (${PREFIX})`);
    expect(status.stdout).toContain(`may-export (focus:${EXPORT})`);
  });

  it('refuses a list with a repeated name or a bad one, naming each, and imports nothing', async () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(
      bad,
      [
        'sources:',
        `  - { name: aws-focus, uri: "${PREFIX}" }`,
        `  - { name: aws-focus, uri: "${EXPORT}" }`,
        '  - { name: "no spaces", uri: "/srv/a.csv,/srv/b.csv" }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['import'], ENV(bad));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sources[1].name');
    expect(r.stderr).toContain('sources[2].name');
    expect(r.stderr).toContain('sources[2].uri');
    expect(r.stdout).toBe('');
  });

  it('says what to do when nothing is configured', async () => {
    const empty = join(dir, 'empty.yml');
    writeFileSync(empty, 'sources: []\n');
    const r = await runCli(['import'], ENV(empty));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: tally import PATH/);
  });
});
