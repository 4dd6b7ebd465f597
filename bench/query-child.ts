/**
 * The processes of the query benchmark (bench/query.bench.ts forks this file with one job as JSON in argv[2] and
 * gets the result back over IPC), so that each one's peak RSS is its own:
 *
 * - `import`: imports the FOCUS export into a fresh data directory, as `tally import` does;
 * - `tally`: opens the data directory as a Tally process does and asks every question, timing each;
 * - `reference`: answers the same questions with hand-written DuckDB SQL over the same Parquet files, with the same
 *   number of warm-ups and runs per question as the `tally` process used.
 *
 * Progress lines go to stdout as they happen; the parent prints the tables.
 */
import { fixedClock } from '../src/shared/clock.js';
import type { Day } from '../src/shared/day.js';
import { measure, ms, type RepeatPlan, rssNow, type SlowTier, size, type Timing, timing } from './bench-stats.js';
import { type ImportResult, importExport, timeStatements } from './bench-stores.js';
import { openReference, partitionGlob, referenceQuestion, runReference } from './duckdb-questions.js';
import { ask, openTally, replyAmounts } from './tally-questions.js';

export interface QuestionPlan {
  question: string;
  plan: RepeatPlan;
  /** Plans used instead when the first run is slow (tally only; the reference gets the plan tally used). */
  tiers?: SlowTier[];
}

export type ChildJob =
  | { role: 'import'; dataDir: string; input: string; today: Day }
  | { role: 'tally'; dataDir: string; today: Day; questions: QuestionPlan[] }
  | { role: 'reference'; dataDir: string; today: Day; questions: QuestionPlan[] };

export interface Rss {
  /** Peak RSS (VmHWM) after start-up (modules loaded, store opened), and at the end. */
  start: number;
  peak: number;
  /** Peak after each question (VmHWM is monotonic). */
  after: [string, number][];
}

export interface QuestionResult {
  question: string;
  timing: Timing;
  firstMs: number;
  /** Median time of the run spent in DuckDB statements (tally: `run` / `runAndReadAll`). */
  sqlMs?: number;
  /** The answer's amounts (entries of `Amounts`), or for an anomaly scan none. */
  amounts: [string, number][];
  /** What the answer says: the reply title (tally), the result rows (reference). */
  note: string;
  error?: string;
}

export interface AnswerResult {
  role: 'tally' | 'reference';
  questions: QuestionResult[];
  rss: Rss;
  /** How the answering side was set up. */
  setup: string;
}

export type ChildResult = { role: 'import'; result: ImportResult; rss: Rss } | AnswerResult;

/** Sent instead of a result when the job failed; `rss`: the process's peak RSS until then. */
export interface ChildFailure {
  role: 'failed';
  message: string;
  rss: number;
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const clockOf = (today: Day) => fixedClock(new Date(`${today}T09:00:00Z`));

async function runImport(job: Extract<ChildJob, { role: 'import' }>): Promise<ChildResult> {
  const start = rssNow().peak;
  const result = await importExport(job.dataDir, job.input, clockOf(job.today));
  return { role: 'import', result, rss: { start, peak: rssNow().peak, after: [] } };
}

async function runTally(job: Extract<ChildJob, { role: 'tally' }>): Promise<ChildResult> {
  const t0 = performance.now();
  const tally = await openTally(job.dataDir, clockOf(job.today));
  const statements = timeStatements(tally.stores.engine);
  const sqlTotal = () => [...statements.values()].reduce((n, s) => n + s.ms, 0);
  const setup = `store opened in ${ms(performance.now() - t0)} ms (${tally.stores.description})`;
  const start = rssNow().peak;
  const after: [string, number][] = [];
  const out: QuestionResult[] = [];
  try {
    for (const { question, plan, tiers } of job.questions) {
      const sql: number[] = [];
      try {
        const {
          timing: t,
          first,
          firstMs,
        } = await measure(
          async () => {
            const s0 = sqlTotal();
            const reply = await ask(tally.commands, question);
            sql.push(sqlTotal() - s0);
            return reply;
          },
          plan,
          tiers,
        );
        const scan = question.startsWith('anomal');
        const sqlMs = median(sql.slice(t.warmups));
        out.push({
          question,
          timing: t,
          firstMs,
          sqlMs,
          amounts: scan ? [] : [...replyAmounts(first)],
          note: first.title,
        });
        log(
          `[tally] ${question.padEnd(48)} p50/p95 ${timing(t)} ms  (first ${ms(firstMs)}, ${t.warmups} warm-up + ` +
            `${t.runs} runs; in DuckDB ${ms(sqlMs)} ms; peak RSS ${size(rssNow().peak)}) — ${first.title}`,
        );
      } catch (err) {
        out.push(failed(question, err));
        log(`[tally] ${question.padEnd(48)} FAILED: ${String(err)}`);
      }
      after.push([question, rssNow().peak]);
    }
  } finally {
    await tally.close();
  }
  return { role: 'tally', questions: out, rss: { start, peak: rssNow().peak, after }, setup };
}

async function runReferenceJob(job: Extract<ChildJob, { role: 'reference' }>): Promise<ChildResult> {
  const db = await openReference(`${job.dataDir}/tmp/reference-${process.pid}`);
  const setup = `DuckDB ${db.version}, ${db.threads} threads, memory_limit ${db.memoryLimit}, read_parquet('${partitionGlob(job.dataDir)}')`;
  const start = rssNow().peak;
  const after: [string, number][] = [];
  const out: QuestionResult[] = [];
  try {
    for (const { question, plan } of job.questions) {
      try {
        const q = referenceQuestion(question, partitionGlob(job.dataDir), job.today);
        const { timing: t, first, firstMs } = await measure(() => runReference(db, q), plan);
        out.push({ question, timing: t, firstMs, amounts: [...first.amounts], note: `${first.rows} result rows` });
        log(
          `[sql]   ${question.padEnd(48)} p50/p95 ${timing(t)} ms  (first ${ms(firstMs)}, ${t.warmups} warm-up + ` +
            `${t.runs} runs; peak RSS ${size(rssNow().peak)}) — ${first.rows} result rows`,
        );
      } catch (err) {
        out.push(failed(question, err));
        log(`[sql]   ${question.padEnd(48)} FAILED: ${String(err)}`);
      }
      after.push([question, rssNow().peak]);
    }
  } finally {
    db.close();
  }
  return { role: 'reference', questions: out, rss: { start, peak: rssNow().peak, after }, setup };
}

function failed(question: string, err: unknown): QuestionResult {
  const nan = Number.NaN;
  return {
    question,
    timing: { p50: nan, p95: nan, runs: 0, warmups: 0 },
    firstMs: nan,
    amounts: [],
    note: 'failed',
    error: err instanceof Error ? err.message : String(err),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

const send = (message: ChildResult | ChildFailure) =>
  new Promise<void>((resolve, reject) => {
    if (!process.send) return reject(new Error('bench/query-child: started without an IPC channel'));
    process.send(message, (err: Error | null) => (err ? reject(err) : resolve()));
  });

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
  try {
    await send(
      job.role === 'import'
        ? await runImport(job)
        : job.role === 'tally'
          ? await runTally(job)
          : await runReferenceJob(job),
    );
  } catch (err) {
    await send({ role: 'failed', message: err instanceof Error ? err.message : String(err), rss: rssNow().peak });
    throw err;
  }
}

main().then(
  () => {
    process.exitCode = 0;
    process.disconnect?.();
  },
  (err: unknown) => {
    process.stderr.write(`bench child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
    process.disconnect?.();
  },
);
