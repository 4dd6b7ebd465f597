/**
 * Object storage sources benchmark (issue 15): one large FOCUS CSV object (default about 1 GB, generated on the fly
 * from the May fixture's records and uploaded to moto S3 in parts, as `@aws-sdk/lib-storage` does for large objects)
 * synced through the S3 object source in a child process, beside the same file imported from local disk in another
 * child (the reference). Prints each one's rows/s and peak RSS (the medians over the runs) and their ratios (aim:
 * the S3 sync's peak RSS under 400 MB; docs/cost-data.md, "Sizing"); then syncs the same rows, four times over, as one
 * Parquet object.
 *
 *   npm run bench                       # every bench (starts the test services)
 *   BENCH_ONLY=sources npm run bench    # this one only
 *   BENCH_SOURCES_MB=200 BENCH_ONLY=sources npm run bench
 *
 * Knobs: BENCH_SOURCES_MB (1024); BENCH_SOURCES_RUNS (runs of each child, alternating: 3 up to 256 MB, else 1);
 * BENCH_SOURCES_DISTINCT (default 1) gives each copy of the fixture its own resource ids, so that no two rows sum
 * into one daily row (the stored rows grow with the object, as in a real export); BENCH_SOURCES_DISTINCT=0 repeats
 * the fixture as it is, whose 110 records sum into the same daily rows however large the object;
 * BENCH_SOURCES_PARQUET_SCALE (4): copies of the CSV's rows in the Parquet object (see `parquetObject`);
 * TALLY_DUCKDB_MEMORY (the children's DuckDB limit, default 512MB as in Tally); TALLY_DUCKDB_THREADS (default as in
 * `tally start`, whose scheduled import this is: one fewer than the cores, at least 1). Needs moto
 * (TALLY_TEST_AWS_ENDPOINT, set by scripts/test-services.sh exec).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { envInt, int, percentile, ratio, secs, size, table } from './bench-stats.js';
import type { SourcesJob, SourcesResult } from './sources-child.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const FIXTURE = new URL('../../tests/fixtures/focus/export-2026-05.csv', import.meta.url);
/** The issue's aim, 400 MB (decimal: 381.5 MiB). */
const AIM_RSS = 400_000_000;

/**
 * Writes a FOCUS CSV of at least `bytes`: the fixture's header, then its records over and over (each copy with its
 * own resource ids when `distinct`). Returns the rows.
 */
async function writeLargeCsv(path: string, bytes: number, distinct: boolean): Promise<number> {
  const text = await readFile(FIXTURE, 'utf8');
  const newline = text.indexOf('\n');
  const header = text.slice(0, newline + 1);
  // The records as they are, with the fixture's own line endings (CRLF), ending with one.
  const records = text.slice(newline + 1);
  const body = records.endsWith('\n') ? records : `${records}\r\n`;
  // Records may hold line breaks inside quotes: count them with a CSV parser.
  const parsed = parse(text, { skip_empty_lines: true }) as string[][];
  const perCopy = parsed.length - 1;
  const copy = distinct ? distinctCopies(parsed) : () => body;
  const out = createWriteStream(path);
  out.write(header);
  let written = header.length;
  let rows = 0;
  for (let n = 0; written < bytes; n++) {
    const chunk = copy(n);
    if (!out.write(chunk)) await once(out, 'drain');
    written += Buffer.byteLength(chunk);
    rows += perCopy;
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** The fixture's records (`parsed`, header first) as CSV text whose resource ids end with the copy's number. */
function distinctCopies(parsed: string[][]): (n: number) => string {
  const column = parsed[0]?.indexOf('ResourceId') ?? -1;
  if (column < 0) throw new Error('sources bench: the fixture has no ResourceId column');
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return (n) =>
    parsed
      .slice(1)
      .map((r) => `${r.map((v, i) => field(i === column ? `${v || 'resource'}-${n}` : v)).join(',')}\r\n`)
      .join('');
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

/** The median of some numbers. */
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** The medians of a child's runs. */
function medians(runs: SourcesResult[]) {
  return {
    rowsRead: median(runs.map((r) => r.rowsRead)),
    rowsImported: median(runs.map((r) => r.rowsImported)),
    ms: median(runs.map((r) => r.ms)),
    rowsPerSec: median(runs.map((r) => (r.rowsRead / r.ms) * 1000)),
    rssStart: median(runs.map((r) => r.rssStart)),
    rssPeak: median(runs.map((r) => r.rssPeak)),
    rssPeakMax: Math.max(...runs.map((r) => r.rssPeak)),
  };
}

/** Uploads a file as one object in parts (several at once), as large exports are written. */
async function upload(s3: S3Client, bucket: string, key: string, file: string): Promise<void> {
  await new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: createReadStream(file) },
    partSize: 16 * 1024 * 1024,
    queueSize: 4,
  }).done();
}

/**
 * The CSV's rows, `scale` times (each copy with its own resource ids when `distinct`), as one Parquet object written
 * by DuckDB (every column as text), synced from S3 once: Parquet is loaded in bulk in SQL, a path of its own
 * (adapters/duckdb/parquet-bulk-load.ts). Parquet packs these generated rows into a few bytes each, where a real
 * export's take about a hundred (FOCUS CSV rows of about a kilobyte, compressed ten times): the object holds more
 * rows than the CSV so that its row count is that of a real Parquet export of about 1 GB.
 */
async function parquetObject(
  s3: S3Client,
  bucket: string,
  csv: string,
  dir: string,
  endpoint: string,
  rows: number,
  scale: number,
  distinct: boolean,
): Promise<void> {
  const file = join(dir, 'focus-large.parquet');
  const db = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '1GB' });
  const c = await db.connect();
  const resourceId = distinct ? `ResourceId || '~' || k` : 'ResourceId';
  await c.run(
    `COPY (SELECT * EXCLUDE (k) REPLACE (${resourceId} AS ResourceId) FROM read_csv('${csv}', all_varchar = true, header = true), range(${scale}) AS copies(k)) TO '${file}' (FORMAT parquet, COMPRESSION snappy)`,
  );
  c.closeSync();
  db.closeSync();
  await upload(s3, bucket, 'focus-parquet/large.parquet', file);
  const r = await runChild({
    role: 's3',
    dataDir: join(dir, 's3-parquet-data'),
    prefix: `s3://${bucket}/focus-parquet/`,
    endpoint,
  });
  await rm(join(dir, 's3-parquet-data'), { recursive: true, force: true });
  log(
    `Parquet object of the CSV's rows ×${scale} (${size((await stat(file)).size)}) synced from S3: ${int(r.rowsRead)} rows, ` +
      `${secs(r.ms)}, ${int((r.rowsRead / r.ms) * 1000)} rows/s, peak RSS ${size(r.rssPeak)} ` +
      `(aim < ${size(AIM_RSS)}: ${r.rssPeak < AIM_RSS ? 'met' : 'missed'})`,
  );
  if (r.rowsRead !== rows * scale)
    throw new Error(`sources bench: ${rows * scale} rows written, the Parquet sync read ${r.rowsRead}`);
}

async function main(): Promise<void> {
  const endpoint = process.env.TALLY_TEST_AWS_ENDPOINT;
  if (!endpoint) throw new Error('sources bench: TALLY_TEST_AWS_ENDPOINT is not set (run it through npm run bench)');
  const mb = envInt('BENCH_SOURCES_MB', 1024);
  const runs = Math.max(1, envInt('BENCH_SOURCES_RUNS', mb <= 256 ? 3 : 1));
  const distinct = envInt('BENCH_SOURCES_DISTINCT', 1) > 0;
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
    const rows = await writeLargeCsv(file, mb * 1024 * 1024, distinct);
    const bytes = (await stat(file)).size;
    const kind = distinct ? 'each copy of the fixture with its own resource ids' : 'the fixture repeated';
    log(
      `[sources] generated ${size(bytes)} FOCUS CSV, ${int(rows)} rows (${kind}), in ${secs(performance.now() - t0)}`,
    );
    const bucket = `tally-bench-sources-${process.pid}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    t0 = performance.now();
    await upload(s3, bucket, 'focus/large.csv', file);
    log(`[sources] uploaded to moto in parts in ${secs(performance.now() - t0)}`);
    const s3Runs: SourcesResult[] = [];
    const localRuns: SourcesResult[] = [];
    // Alternating, so that a busy moment of the machine does not fall on one side only.
    for (let i = 0; i < runs; i++) {
      s3Runs.push(
        await runChild({ role: 's3', dataDir: join(dir, `s3-data-${i}`), prefix: `s3://${bucket}/focus/`, endpoint }),
      );
      localRuns.push(await runChild({ role: 'local', dataDir: join(dir, `local-data-${i}`), path: file }));
      await rm(join(dir, `s3-data-${i}`), { recursive: true, force: true });
      await rm(join(dir, `local-data-${i}`), { recursive: true, force: true });
      const [s, l] = [s3Runs[i]!, localRuns[i]!];
      log(
        `[sources] run ${i + 1}/${runs}: S3 ${int((s.rowsRead / s.ms) * 1000)} rows/s, peak RSS ${size(s.rssPeak)}; ` +
          `local ${int((l.rowsRead / l.ms) * 1000)} rows/s, peak RSS ${size(l.rssPeak)}`,
      );
    }
    const s = medians(s3Runs);
    const l = medians(localRuns);
    const line = (name: string, r: ReturnType<typeof medians>) => [
      name,
      int(r.rowsRead),
      int(r.rowsImported),
      secs(r.ms),
      int(r.rowsPerSec),
      size(r.rssStart),
      size(r.rssPeak),
      size(r.rssPeakMax),
    ];
    log();
    log(`Object storage import, ${size(bytes)} (${int(rows)} FOCUS rows, ${kind}), one object, median of ${runs}`);
    log(
      table(
        ['source', 'rows read', 'imported', 'time', 'rows/s', 'RSS after start', 'peak RSS', 'max peak RSS'],
        [
          line('S3 sync (moto)', s),
          line('local file (reference)', l),
          [
            'S3 / local',
            '',
            '',
            ratio(s.ms, l.ms),
            ratio(s.rowsPerSec, l.rowsPerSec),
            ratio(s.rssStart, l.rssStart),
            ratio(s.rssPeak, l.rssPeak),
            ratio(s.rssPeakMax, l.rssPeakMax),
          ],
        ],
      ),
    );
    log(
      `S3 sync peak RSS ${size(s.rssPeakMax)} at most (aim < ${size(AIM_RSS)}: ${s.rssPeakMax < AIM_RSS ? 'met' : 'missed'}); ` +
        `rows/s ${ratio(s.rowsPerSec, l.rowsPerSec)} the local import's`,
    );
    for (const r of [...s3Runs, ...localRuns])
      if (r.rowsRead !== rows) throw new Error(`sources bench: ${rows} rows written, ${r.role} read ${r.rowsRead}`);
    await parquetObject(s3, bucket, file, dir, endpoint, rows, envInt('BENCH_SOURCES_PARQUET_SCALE', 4), distinct);
  } finally {
    s3.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
