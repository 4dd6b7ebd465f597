/**
 * Object storage sources benchmark (issue 15): one large FOCUS CSV object (default about 1 GB, generated on the fly
 * from the May fixture's records and streamed into moto S3 with PutObject of a file stream) synced through the S3
 * object source in a child process, beside the same file imported from local disk in another child (the reference).
 * Prints rows/s and each child's peak RSS (aim: the S3 sync's under 400 MB; docs/cost-data.md, "Object storage").
 *
 *   npm run bench                       # every bench (starts the test services)
 *   BENCH_ONLY=sources npm run bench    # this one only
 *   BENCH_SOURCES_MB=200 BENCH_ONLY=sources npm run bench
 *
 * Knobs: BENCH_SOURCES_MB (1024), TALLY_DUCKDB_MEMORY (the children's DuckDB limit, default 512MB as in Tally).
 * Needs moto (TALLY_TEST_AWS_ENDPOINT, set by scripts/test-services.sh exec).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { envInt, int, secs, size, table } from './bench-stats.js';
import type { SourcesJob, SourcesResult } from './sources-child.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const FIXTURE = new URL('../../tests/fixtures/focus/export-2026-05.csv', import.meta.url);
const AIM_RSS = 400 * 1024 * 1024;

/** Writes a FOCUS CSV of at least `bytes`: the fixture's header, then its records over and over. Returns the rows. */
async function writeLargeCsv(path: string, bytes: number): Promise<number> {
  const text = await readFile(FIXTURE, 'utf8');
  const newline = text.indexOf('\n');
  const header = text.slice(0, newline + 1);
  // The records as they are, with the fixture's own line endings (CRLF), ending with one.
  const records = text.slice(newline + 1);
  const body = records.endsWith('\n') ? records : `${records}\r\n`;
  // Records may hold line breaks inside quotes: count them with a CSV parser.
  const perCopy = (parse(text, { columns: true, skip_empty_lines: true }) as unknown[]).length;
  const out = createWriteStream(path);
  out.write(header);
  let written = header.length;
  let rows = 0;
  while (written < bytes) {
    if (!out.write(body)) await once(out, 'drain');
    written += body.length;
    rows += perCopy;
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

function runChild(job: SourcesJob): Promise<SourcesResult> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./sources-child.js', import.meta.url), [JSON.stringify(job)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: (SourcesResult & { message?: string }) | { role: 'failed'; message: string } | null = null;
    child.on('message', (m) => {
      result = m as SourcesResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const r = result as (SourcesResult & { message?: string }) | { role: 'failed'; message: string } | null;
      if (r && r.role !== 'failed') resolve(r as SourcesResult);
      else reject(new Error(`${job.role} child failed (exit ${code}): ${r?.message ?? 'no result'}`));
    });
  });
}

async function main(): Promise<void> {
  const endpoint = process.env.TALLY_TEST_AWS_ENDPOINT;
  if (!endpoint) throw new Error('sources bench: TALLY_TEST_AWS_ENDPOINT is not set (run it through npm run bench)');
  const mb = envInt('BENCH_SOURCES_MB', 1024);
  const dir = await mkdtemp(join(tmpdir(), 'tally-bench-sources-'));
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const file = join(dir, 'focus-large.csv');
    let t0 = performance.now();
    const rows = await writeLargeCsv(file, mb * 1024 * 1024);
    const bytes = (await stat(file)).size;
    log(`[sources] generated ${size(bytes)} FOCUS CSV, ${int(rows)} rows, in ${secs(performance.now() - t0)}`);
    const bucket = `tally-bench-sources-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    t0 = performance.now();
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'focus/large.csv',
        Body: createReadStream(file),
        ContentLength: bytes,
      }),
    );
    log(`[sources] uploaded to moto in ${secs(performance.now() - t0)}`);
    const s3Run = await runChild({
      role: 's3',
      dataDir: join(dir, 's3-data'),
      prefix: `s3://${bucket}/focus/`,
      endpoint,
    });
    const local = await runChild({ role: 'local', dataDir: join(dir, 'local-data'), path: file });
    const line = (name: string, r: SourcesResult) => [
      name,
      int(r.rowsRead),
      int(r.rowsImported),
      secs(r.ms),
      int((r.rowsRead / r.ms) * 1000),
      size(r.rssStart),
      size(r.rssPeak),
    ];
    log();
    log(`Object storage import, ${size(bytes)} (${int(rows)} FOCUS rows), one object`);
    log(
      table(
        ['source', 'rows read', 'imported', 'time', 'rows/s', 'RSS after start', 'peak RSS'],
        [line('S3 sync (moto)', s3Run), line('local file (reference)', local)],
      ),
    );
    log(
      `S3 sync peak RSS ${size(s3Run.rssPeak)} (aim < ${size(AIM_RSS)}: ${s3Run.rssPeak < AIM_RSS ? 'met' : 'missed'}); ` +
        `rows/s ${((s3Run.rowsRead / s3Run.ms / (local.rowsRead / local.ms)) * 100).toFixed(0)}% of the local import's`,
    );
    if (s3Run.rowsRead !== rows || local.rowsRead !== rows)
      throw new Error(`sources bench: ${rows} rows written, S3 read ${s3Run.rowsRead}, local read ${local.rowsRead}`);
  } finally {
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
