/**
 * Import and query benchmark (bench/query). For each size in BENCH_ROWS:
 *
 * 1. generates a FOCUS 1.2 export as Parquet with DuckDB SQL (bench/bench-data.ts): one file per month, 13 months
 *    ending yesterday, 300 sub-accounts, 60 services, 200,000 resources with tags of their own;
 * 2. imports it into a fresh data directory through Tally's real path (`createStores`, `ImportService`,
 *    `FocusExportReader`, `DuckDbCostRepository`, as `tally import PATH` does), in a process of its own: rows/s (one
 *    run) and where the time goes;
 * 3. in another process, opens the data directory as a Tally process does and asks every question of
 *    bench/tally-questions.ts through `CommandService` (the five typical ones, three over resources and tags, and two
 *    anomaly scans): p50 / p95, the time spent in DuckDB, and the process's peak RSS;
 * 4. in a third process, answers the same questions with hand-written DuckDB SQL over the same Parquet partitions
 *    (bench/duckdb-questions.ts), the same number of times, and checks Tally's amounts against it to the cent.
 *
 * Then it prints one table per size. Nothing is asserted: the aims are printed next to the figures.
 *
 *   npm run bench                                   # every bench; this one at 10,000,000 rows
 *   BENCH_ONLY=query npm run bench                  # this one only
 *   BENCH_ROWS=1000000 node --expose-gc dist/bench/query.bench.js        # after npm run build
 *   BENCH_ROWS=10000000,30000000,100000000 BENCH_ONLY=query npm run bench
 *
 * 100,000,000 rows is opt-in: on a 2-core machine the export alone takes many minutes to generate and the import
 * far longer (see the rows/s of a smaller size). A size whose estimated disk need exceeds the free space is skipped,
 * with the reason.
 *
 * Knobs: BENCH_ROWS (comma list, default 10000000); BENCH_WARMUP / BENCH_RUNS (2 / 20 per question; a question whose
 * first run takes over 2 s gets 1 warm-up + BENCH_SLOW_RUNS (10), over 10 s 1 + 3, over 30 s only that first run is
 * reported, as 0+1); BENCH_ANOMALY_WARMUP /
 * BENCH_ANOMALY_RUNS (1 / 5); BENCH_DIR (where the data goes, default the OS temp folder); BENCH_TODAY (pins
 * "today", YYYY-MM-DD; default the current UTC day); BENCH_KEEP=1 keeps the export and the data directory;
 * BENCH_CPU_PROF=DIR writes V8 CPU profiles of the import and answering processes to DIR; TALLY_DUCKDB_MEMORY is
 * passed on (Tally's and the reference's DuckDB memory limit, default 512MB).
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { type Day, dayOf, isDay } from '../src/shared/day.js';
import { exportRange, FOCUS_BENCH_SHAPE, type FocusParquetExport, writeFocusParquet } from './bench-data.js';
import {
  dirBytes,
  envInt,
  freeBytes,
  int,
  ms,
  type RepeatPlan,
  ratio,
  type SlowTier,
  secs,
  size,
  table,
  timing,
} from './bench-stats.js';
import type { ImportResult } from './bench-stores.js';
import { anomalyHistoryDays } from './duckdb-questions.js';
import type {
  AnswerResult,
  ChildFailure,
  ChildJob,
  ChildResult,
  QuestionPlan,
  QuestionResult,
  Rss,
} from './query-child.js';
import { ANOMALY_QUESTIONS, crossCheck, DETAIL_QUESTIONS, QUESTIONS } from './tally-questions.js';

const log = (line = '') => process.stdout.write(`${line}\n`);

/** The acceptance aims, printed next to the figures (never asserted). */
const AIM = { importRowsPerSecond: 1_000_000, p95Ms: 500, ratio: 1.2, rssBytes: 600 * 1024 * 1024, anomalyMs: 1000 };

/**
 * Disk needed per FOCUS row, before a size is measured: the export (~65-90 B/row), the import's staging files and
 * DuckDB spill while it runs, and the stored partitions (~85 B/row). 10,000,000 rows peaked at 4.2 GiB (416 B/row)
 * with the bulk Parquet import. Updated from the peak measured at each size.
 */
let diskBytesPerRow = 500;

interface SizeResult {
  rows: number;
  skipped?: string;
  data?: FocusParquetExport;
  imported?: ImportResult;
  importRss?: Rss;
  peakDisk?: number;
  storedBytes?: number;
  tally?: AnswerResult;
  reference?: AnswerResult;
}

const running = new Set<ChildProcess>();
const workDirs = new Set<string>();

async function main(): Promise<void> {
  const raw = process.env.BENCH_ROWS?.trim() || process.argv[2] || '10000000';
  const sizes = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`BENCH_ROWS must be a comma list of row counts, got "${raw}"`);
  sizes.sort((a, b) => a - b);
  const today: Day = process.env.BENCH_TODAY?.trim() || dayOf(new Date());
  if (!isDay(today)) throw new Error(`BENCH_TODAY must be YYYY-MM-DD, got "${today}"`);
  const base = process.env.BENCH_DIR?.trim() || tmpdir();
  await mkdir(base, { recursive: true });
  const range = exportRange(today);
  const { months, subAccounts, services, resources } = FOCUS_BENCH_SHAPE;
  log(
    `Tally query benchmark — ${codeVersion()}, node ${process.version}, ${cpus().length} cores, ${size(totalmem())} RAM, ` +
      `today ${today}, TALLY_DUCKDB_MEMORY ${process.env.TALLY_DUCKDB_MEMORY ?? '512MB (default)'}`,
  );
  log(
    `FOCUS 1.2 Parquet: ${months} months ${range.from}..${range.to}, ${subAccounts} sub-accounts, ${services} services, ` +
      `${int(resources)} resources; sizes ${sizes.map(int).join(', ')} rows; data in ${base}`,
  );

  const plan: RepeatPlan = { warmups: envInt('BENCH_WARMUP', 2), runs: envInt('BENCH_RUNS', 20) };
  const tiers: SlowTier[] = [
    { overMs: 30_000, plan: { warmups: 1, runs: 0 } },
    { overMs: 10_000, plan: { warmups: 1, runs: 3 } },
    { overMs: 2_000, plan: { warmups: 1, runs: envInt('BENCH_SLOW_RUNS', 10) } },
  ];
  const anomalyPlan: RepeatPlan = { warmups: envInt('BENCH_ANOMALY_WARMUP', 1), runs: envInt('BENCH_ANOMALY_RUNS', 5) };
  const questions: QuestionPlan[] = [
    ...[...QUESTIONS, ...DETAIL_QUESTIONS].map((question) => ({ question, plan, tiers })),
    ...ANOMALY_QUESTIONS.map((question) => ({
      question,
      plan: anomalyPlan,
      tiers: [{ overMs: 20_000, plan: { warmups: 1, runs: 2 } }],
    })),
  ];

  const results: SizeResult[] = [];
  for (const rows of sizes) {
    let result: SizeResult;
    try {
      result = await benchSize(rows, today, base, questions);
    } catch (err) {
      result = { rows, skipped: `failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    results.push(result);
    printSize(result);
  }
  if (results.length > 1) printOverall(results);
}

/** The commit measured, and whether src/ or adapters/ had uncommitted changes ("git" unavailable: "unknown build"). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'src', 'adapters') !== '';
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in src/ or adapters/' : ''}`;
  } catch {
    return 'unknown build';
  }
}

async function benchSize(rows: number, today: Day, base: string, questions: QuestionPlan[]): Promise<SizeResult> {
  log(`\n##### ${int(rows)} rows #####`);
  const free = await freeBytes(base);
  const need = rows * diskBytesPerRow;
  if (need > free) {
    const skipped = `needs about ${size(need)} of disk (${int(diskBytesPerRow)} B/row: export, import staging and spill, stored partitions), ${size(free)} free in ${base}`;
    log(`[skip] ${skipped}`);
    return { rows, skipped };
  }
  log(`[disk] ${size(free)} free in ${base}; this size needs about ${size(need)}`);
  const work = await mkdtemp(join(base, 'tally-bench-query-'));
  workDirs.add(work);
  const input = join(work, 'focus');
  const dataDir = join(work, 'data');
  const keep = process.env.BENCH_KEEP === '1';
  const out: SizeResult = { rows };
  try {
    const data = await writeFocusParquet(input, rows, today, { tempDir: join(work, 'gen-tmp') });
    await rm(join(work, 'gen-tmp'), { recursive: true, force: true });
    out.data = data;
    log(
      `[data] ${int(data.rows)} FOCUS rows in ${data.files.length} Parquet files (${size(data.bytes)}, ` +
        `${int(data.bytes / data.rows)} B/row) generated by DuckDB in ${secs(data.ms)} (${int((data.rows / data.ms) * 1000)} rows/s): ${input}`,
    );

    // Import, sampling the disk used by the bench folder meanwhile.
    let peakDisk = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakDisk = Math.max(peakDisk, await dirBytes(work));
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    let imported: Extract<ChildResult, { role: 'import' }>;
    try {
      imported = (await runChild({ role: 'import', dataDir, input, today })) as typeof imported;
    } finally {
      sampling = false;
      await sampler;
    }
    out.imported = imported.result;
    out.importRss = imported.rss;
    out.peakDisk = peakDisk;
    printImport(imported.result, imported.rss, peakDisk);
    diskBytesPerRow = Math.max(diskBytesPerRow * 0.5, Math.ceil((peakDisk / rows) * 1.2));
    if (!keep) await rm(input, { recursive: true, force: true });
    out.storedBytes = await dirBytes(join(dataDir, 'costs'));

    out.tally = (await runChild({ role: 'tally', dataDir, today, questions })) as AnswerResult;
    const used = new Map(out.tally?.questions.map((q) => [q.question, q.timing]) ?? []);
    // The reference runs each question as often as Tally did (a slow question gets fewer runs on both sides).
    const same: QuestionPlan[] = questions.map(({ question, plan }) => {
      const t = used.get(question);
      if (!t || t.runs === 0) return { question, plan };
      return { question, plan: t.warmups === 0 ? { warmups: 1, runs: 0 } : { warmups: t.warmups, runs: t.runs } };
    });
    out.reference = (await runChild({ role: 'reference', dataDir, today, questions: same })) as AnswerResult;
    return out;
  } finally {
    if (keep) log(`\nkept ${work}`);
    else await rm(work, { recursive: true, force: true });
    workDirs.delete(work);
  }
}

/** Runs one job in a child process (bench/query-child.ts) and returns its result. */
function runChild(job: ChildJob): Promise<ChildResult> {
  const prof = process.env.BENCH_CPU_PROF?.trim();
  const execArgv = prof
    ? ['--cpu-prof', '--cpu-prof-dir', prof, '--cpu-prof-name', `${job.role}-${Date.now()}.cpuprofile`]
    : [];
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./query-child.js', import.meta.url), [JSON.stringify(job)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      execArgv,
    });
    running.add(child);
    let result: ChildResult | ChildFailure | null = null;
    child.on('message', (m) => {
      result = m as ChildResult | ChildFailure;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running.delete(child);
      const r = result as ChildResult | ChildFailure | null;
      if (r && r.role !== 'failed') resolve(r);
      else if (r) reject(new Error(`${job.role} process (peak RSS ${size(r.rss)}): ${r.message}`));
      else reject(new Error(`bench child (${job.role}) exited with ${signal ?? code} and no result`));
    });
  });
}

function printImport(r: ImportResult, rss: Rss, peakDisk: number): void {
  const part = (label: string, v: number) => `${label} ${secs(v)} (${((v / r.ms) * 100).toFixed(0)}%)`;
  const bulk = (r.calls.addBulk ?? 0) > 0;
  log(
    `[import] ${int(r.run.rowsRead)} rows read, ${int(r.run.rowsRejected)} rejected, ${int(r.rollups)} daily rows stored, ` +
      `${r.run.range?.from}..${r.run.range?.to}, ${secs(r.ms)} => ${int(r.rowsPerSecond)} rows/s (one run; ` +
      `${bulk ? `bulk path: ${r.calls.addBulk} files loaded in SQL` : 'row path: rows mapped in JS'})`,
  );
  const parts = [
    r.readMs >= 1 ? part('reading rows into JS', r.readMs) : '',
    r.addMs >= 1 ? part('writing staging CSV', r.addMs) : '',
    r.bulkMs >= 1 ? part('bulk load (SQL)', r.bulkMs) : '',
    part('commit', r.commitMs),
    part(bulk ? 'other' : 'mapping rows and other', r.otherMs),
  ].filter(Boolean);
  log(`[import] ${parts.join(', ')}`);
  const statements = r.statements.filter(([, s]) => s.ms >= 50);
  if (statements.length)
    log(`[import] DuckDB statements: ${statements.map(([k, s]) => `${k} ${secs(s.ms)} (${s.count}x)`).join('; ')}`);
  log(
    `[import] process peak RSS ${size(rss.peak)} (after start-up ${size(rss.start)}); peak disk of the bench folder ${size(peakDisk)}`,
  );
}

function printSize(r: SizeResult): void {
  if (r.skipped || !r.tally || !r.reference || !r.imported || !r.data) {
    log(`\n=== ${int(r.rows)} rows: skipped — ${r.skipped ?? 'failed'} ===`);
    return;
  }
  const ref = new Map(r.reference.questions.map((q) => [q.question, q]));
  const mismatches: string[] = [];
  const rows = r.tally.questions.map((t) => {
    const s = ref.get(t.question);
    const scan = t.question.startsWith('anomal');
    let check = '-';
    if (t.error || s?.error) check = 'FAILED';
    else if (!scan && s) {
      const c = crossCheck(new Map(t.amounts), new Map(s.amounts));
      check = c.ok ? `OK (${c.compared})` : `MISMATCH (${c.problems.length})`;
      if (!c.ok) mismatches.push(`${t.question}: ${c.problems.slice(0, 5).join('; ')}`);
    } else if (scan) check = 'n/a (scan input)';
    const misses: string[] = [];
    if (scan) {
      if (t.timing.p95 > AIM.anomalyMs) misses.push('p95 > 1 s');
    } else {
      if (t.timing.p95 > AIM.p95Ms) misses.push('p95 > 500 ms');
      if (s && t.timing.p50 > AIM.ratio * s.timing.p50) misses.push('> 1.2x SQL');
    }
    return [
      t.question,
      timing(t.timing),
      s ? timing(s.timing) : 'skipped',
      ratio(t.timing.p50, s?.timing.p50),
      ratio(t.timing.p95, s?.timing.p95),
      `${t.timing.warmups}+${t.timing.runs}`,
      ms(t.sqlMs ?? Number.NaN),
      check,
      misses.join(', ') || 'met',
    ];
  });
  const stored = r.imported.rollups;
  log(
    `\n=== ${int(r.rows)} FOCUS rows -> ${int(stored)} daily rows (${size(r.storedBytes ?? 0)} of Parquet); ` +
      `p50 / p95 in ms; tally = its own process through CommandService, SQL = hand-written DuckDB SQL ===`,
  );
  log(
    table(
      ['question', 'tally', 'SQL', 'tally/SQL p50', 'p95', 'runs', 'tally in DuckDB p50', 'same answer', 'aims'],
      rows,
    ),
  );
  for (const m of mismatches) log(`  MISMATCH ${m}`);
  for (const q of [...r.tally.questions, ...r.reference.questions].filter((x) => x.error))
    log(`  FAILED ${q.question}: ${q.error}`);
  log(
    `  (anomalies: SQL = the scan input only, daily series per sub-account × service over the period and ${anomalyHistoryDays()} days ` +
      "of history, read into JS; the detector has no SQL. 'tally in DuckDB' sums the statements of a run, concurrent ones too.)",
  );
  const imp = r.imported;
  log(
    `\nimport        ${int(imp.rowsPerSecond).padStart(11)} rows/s  (${secs(imp.ms)} for ${int(imp.run.rowsRead)} rows, one run; ` +
      `aim >= ${int(AIM.importRowsPerSecond)}: ${imp.rowsPerSecond >= AIM.importRowsPerSecond ? 'met' : 'missed'})`,
  );
  const rss = r.tally.rss;
  const costDone = costPeak(rss);
  log(
    `peak RSS      answering process ${size(rss.peak)} (after opening ${size(rss.start)}, after the ` +
      `${r.tally.questions.filter((q) => !q.question.startsWith('anomal')).length} cost questions ${size(costDone ?? Number.NaN)}; ` +
      `aim <= ${size(AIM.rssBytes)}: ${rss.peak <= AIM.rssBytes ? 'met' : 'missed'}); SQL process ${size(r.reference.rss.peak)} ` +
      `(after the cost questions ${size(costPeak(r.reference.rss) ?? Number.NaN)}); ` +
      `import process ${size(r.importRss?.peak ?? Number.NaN)}`,
  );
  log(
    `disk          export ${size(r.data.bytes)}, stored ${size(r.storedBytes ?? 0)}, peak during import ${size(r.peakDisk ?? 0)}`,
  );
  log(`tally         ${r.tally.setup}`);
  log(`SQL           ${r.reference.setup}`);
}

/** Peak RSS after the last question that is not an anomaly scan. */
const costPeak = (rss: Rss) => rss.after.filter(([q]) => !q.startsWith('anomal')).at(-1)?.[1];

function printOverall(results: SizeResult[]): void {
  log('\n=== All sizes ===');
  const body = results.map((r) => {
    if (!r.tally || !r.imported || !r.reference) return [int(r.rows), 'skipped', '-', '-', '-', '-', '-'];
    const ref = new Map(r.reference.questions.map((q) => [q.question, q.timing]));
    const cost = r.tally.questions.filter((q) => !q.question.startsWith('anomal'));
    const worst = cost.reduce<QuestionResult | null>((w, q) => (!w || q.timing.p95 > w.timing.p95 ? q : w), null);
    const ratios = cost.map((q) => q.timing.p50 / (ref.get(q.question)?.p50 ?? Number.NaN)).filter(Number.isFinite);
    const scan = (q: string) => ms(r.tally?.questions.find((x) => x.question === q)?.timing.p50 ?? Number.NaN);
    return [
      int(r.rows),
      int(r.imported.rowsPerSecond),
      worst ? `${ms(worst.timing.p95)} (${worst.question})` : '-',
      ratios.length ? `${Math.max(...ratios).toFixed(2)}x` : '-',
      size(r.tally.rss.peak),
      scan(ANOMALY_QUESTIONS[0]),
      scan(ANOMALY_QUESTIONS[1]),
    ];
  });
  log(
    table(
      [
        'rows',
        'import rows/s',
        'slowest p95 ms',
        'max tally/SQL p50',
        'answering RSS',
        `${ANOMALY_QUESTIONS[0]} p50`,
        `${ANOMALY_QUESTIONS[1]} p50`,
      ],
      body,
    ),
  );
}

function cleanUp(): void {
  for (const child of running) child.kill('SIGTERM');
  if (process.env.BENCH_KEEP === '1') return;
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanUp();
    process.exitCode = 1;
  },
);
