/**
 * Import and query benchmark: generates N FOCUS rows (default 1,000,000; `BENCH_ROWS=20000` or the first argument to
 * change), imports them into the in-process store and into MongoDB (FerretDB at TALLY_TEST_MONGODB_URL), asks five
 * typical questions through the real command path on both, and answers the same questions with DuckDB straight from
 * the CSV as the raw-file reference (also cross-checking Tally's amounts to the cent).
 *
 *   npm run bench                      # build, start FerretDB, run with 1,000,000 rows
 *   BENCH_ROWS=20000 npm run bench     # quick smoke run
 *
 * Other knobs: BENCH_WARMUP / BENCH_RUNS (default 5 / 30, the first warm-up included); a query whose first run takes
 * over 1 s gets 1 warm-up + BENCH_SLOW_RUNS (5), over 10 s 1 warm-up + BENCH_VERY_SLOW_RUNS (3);
 * BENCH_KEEP_CSV=1 keeps the temp CSV.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../src/shared/clock.js';
import { BENCH_END_DAY, BENCH_TODAY, writeBenchCsv } from './bench-data.js';
import {
  envInt,
  int,
  type MemorySnapshot,
  measure,
  memoryAfterGc,
  mib,
  ms,
  type RepeatPlan,
  type SlowTier,
  secs,
  type Timing,
  table,
  timing,
} from './bench-stats.js';
import { type BenchStore, type ImportResult, importInto, memoryStore, mongoStore } from './bench-stores.js';
import { duckQuestion, openDuckDb, runDuck } from './duckdb-questions.js';
import {
  type Amounts,
  ask,
  type CrossCheck,
  commandServiceFor,
  crossCheck,
  parseQuestion,
  QUESTIONS,
  replyAmounts,
} from './tally-questions.js';

const log = (line = '') => process.stdout.write(`${line}\n`);

interface StoreResults {
  import: ImportResult;
  timings: Map<string, Timing>;
  answers: Map<string, Amounts>;
}

const clock = fixedClock(new Date(`${BENCH_TODAY}T09:00:00Z`));

async function main(): Promise<void> {
  const rows = envInt('BENCH_ROWS', process.argv[2] ? Number(process.argv[2]) : 1_000_000);
  const plan: RepeatPlan = { warmups: envInt('BENCH_WARMUP', 5), runs: envInt('BENCH_RUNS', 30) };
  const tiers: SlowTier[] = [
    { overMs: 10_000, plan: { warmups: 1, runs: envInt('BENCH_VERY_SLOW_RUNS', 3) } },
    { overMs: 1_000, plan: { warmups: 1, runs: envInt('BENCH_SLOW_RUNS', 5) } },
  ];
  log(`Tally query benchmark — ${int(rows)} FOCUS rows, node ${process.version}, today pinned to ${BENCH_TODAY}`);
  if (!globalThis.gc) log('note: run with node --expose-gc for memory figures after gc');

  const dir = await mkdtemp(join(tmpdir(), 'tally-bench-'));
  // A killed run still removes its CSV (about 0.5 GB at 1,000,000 rows); the store's `finally` does not run then.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  const csv = join(dir, 'focus-bench.csv');
  try {
    const file = await writeBenchCsv(csv, rows);
    log(
      `\n[data] ${int(file.rows)} rows (sample ${int(file.sampleRows)} rows fanned out, data to ${BENCH_END_DAY}) ` +
        `written in ${secs(file.ms)}: ${mib(file.bytes)} (${csv})`,
    );

    const before = memoryAfterGc();
    const memory = await benchStore(memoryStore(), csv, plan, tiers, before);

    const duck = await benchDuck(csv, plan, tiers);
    const checks = new Map<string, CrossCheck>();
    for (const q of QUESTIONS)
      checks.set(q, crossCheck(memory.answers.get(q) ?? new Map(), duck.get(q)?.answers ?? new Map()));
    printChecks('DuckDB vs Tally (in-process)', checks);

    let mongo: StoreResults | null = null;
    const uri = process.env.TALLY_TEST_MONGODB_URL?.trim();
    if (uri) {
      const store = await mongoStore(uri);
      log(`\n[mongo] database ${store.dbName} (dropped at the end)`);
      try {
        mongo = await benchStore(store, csv, plan, tiers, null);
      } finally {
        await store.close();
      }
      const mongoChecks = new Map(
        QUESTIONS.map((q) => [q, crossCheck(mongo?.answers.get(q) ?? new Map(), memory.answers.get(q) ?? new Map())]),
      );
      printChecks('MongoDB vs in-process answers', mongoChecks);
    } else {
      log('\n[mongo] TALLY_TEST_MONGODB_URL is not set: skipping the MongoDB import and queries');
    }

    printSummary(file.rows, memory, mongo, duck, checks);
  } finally {
    if (process.env.BENCH_KEEP_CSV === '1') log(`\nkept ${csv}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

/** Imports into one store, then times every question on it. `before` set: also report memory after import. */
async function benchStore(
  store: BenchStore,
  csv: string,
  plan: RepeatPlan,
  tiers: SlowTier[],
  before: MemorySnapshot | null,
): Promise<StoreResults> {
  const imp = await importInto(store, csv, clock);
  const { run } = imp;
  log(
    `\n[${store.name}] import: ${int(run.rowsRead)} rows read, ${int(run.rowsRejected)} rejected, ` +
      `${int(imp.rollups)} daily rollups, ${run.range?.from}..${run.range?.to}, ${secs(imp.ms)} ` +
      `(store write ${secs(imp.writeMs)}) => ${int(imp.rowsPerSecond)} rows/s`,
  );
  if (before) {
    const after = memoryAfterGc();
    log(
      `[${store.name}] memory after import${after.gc ? ' (after gc)' : ''}: rss ${mib(after.rss)}, heap used ` +
        `${mib(after.heapUsed)} (before import: rss ${mib(before.rss)}, heap used ${mib(before.heapUsed)}; ` +
        `heap growth ${mib(after.heapUsed - before.heapUsed)} = ${int((after.heapUsed - before.heapUsed) / Math.max(1, imp.rollups))} B/rollup)`,
    );
  }
  const service = commandServiceFor(store.costs, clock, store.name);
  const timings = new Map<string, Timing>();
  const answers = new Map<string, Amounts>();
  for (const q of QUESTIONS) {
    const { timing: t, first: reply, firstMs } = await measure(() => ask(service, q), plan, tiers);
    answers.set(q, replyAmounts(reply));
    timings.set(q, t);
    log(
      `[${store.name}] ${q.padEnd(50)} p50/p95 ${timing(t)} ms  (first ${ms(firstMs)} ms, ${t.warmups} warm-up + ${t.runs} runs) — ${reply.title}`,
    );
  }
  return { import: imp, timings, answers };
}

async function benchDuck(
  csv: string,
  plan: RepeatPlan,
  tiers: SlowTier[],
): Promise<Map<string, { timing: Timing; answers: Amounts }>> {
  const db = await openDuckDb();
  log(`\n[duckdb] ${db.version}, ${db.threads} threads, read_csv on every run`);
  const out = new Map<string, { timing: Timing; answers: Amounts }>();
  try {
    for (const q of QUESTIONS) {
      const dq = duckQuestion(parseQuestion(q), csv, BENCH_TODAY);
      const { timing: t, first: answers, firstMs } = await measure(() => runDuck(db, dq), plan, tiers);
      out.set(q, { timing: t, answers });
      log(
        `[duckdb] ${q.padEnd(50)} p50/p95 ${timing(t)} ms  (first ${ms(firstMs)} ms, ${t.warmups} warm-up + ${t.runs} runs)`,
      );
    }
  } finally {
    db.close();
  }
  return out;
}

function printChecks(title: string, checks: Map<string, CrossCheck>): void {
  log(`\n[check] ${title}, every total and row to the cent:`);
  for (const [q, c] of checks) {
    log(
      `  ${c.ok ? 'OK      ' : 'MISMATCH'} ${q.padEnd(50)} ${c.compared} amounts, max |diff| ${c.maxDiff.toExponential(1)}`,
    );
    for (const p of c.problems.slice(0, 5)) log(`           ${p}`);
  }
}

function printSummary(
  rows: number,
  memory: StoreResults,
  mongo: StoreResults | null,
  duck: Map<string, { timing: Timing; answers: Amounts }>,
  checks: Map<string, CrossCheck>,
): void {
  log(`\n=== Summary: ${int(rows)} rows, ${int(memory.import.rollups)} rollups; p50 / p95 in ms ===`);
  const body = QUESTIONS.map((q) => {
    const m = memory.timings.get(q);
    const d = duck.get(q)?.timing;
    const ratio = m && d ? `${(d.p50 / m.p50).toFixed(0)}x` : '-';
    return [
      q,
      timing(m),
      mongo ? timing(mongo.timings.get(q)) : 'skipped',
      timing(d),
      ratio,
      checks.get(q)?.ok ? 'OK' : 'MISMATCH',
    ];
  });
  log(
    table(['question', 'memory p50/p95', 'mongo p50/p95', 'duckdb p50/p95', 'duckdb/memory', 'duckdb = tally'], body),
  );
  const line = (name: string, r: ImportResult) =>
    `import ${name.padEnd(7)} ${int(r.rowsPerSecond).padStart(9)} rows/s  (${secs(r.ms)} for ${int(r.run.rowsRead)} rows, store write ${secs(r.writeMs)})`;
  log(`\n${line('memory', memory.import)}${memory.import.rowsPerSecond >= 100_000 ? '' : '  < 100,000 rows/s target'}`);
  log(mongo ? line('mongo', mongo.import) : 'import mongo   skipped (TALLY_TEST_MONGODB_URL not set)');
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
