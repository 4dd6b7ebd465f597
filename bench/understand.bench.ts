/**
 * Fast-path understanding benchmark: how long `understand()` (src/agent/understand/understand.ts) takes to read a
 * question and resolve its names — periods, names against the data's vocabulary, breakdown, top N, metric, asking back —
 * over every question of the people's-questions eval (tests/eval/questions). The vocabulary is read once, before any
 * timing, from the eval's FOCUS file loaded as `tally ask --focus` loads it; only parse and resolution are timed (no
 * query runs). Aim (issue 14): p95 ≤ 20 ms.
 *
 *   npm run bench                          # every bench, this one among them
 *   BENCH_ONLY=understand npm run bench    # this one only
 *
 * Knobs: BENCH_UNDERSTAND_ROUNDS (20 timed passes over the set), BENCH_UNDERSTAND_WARMUP (3 passes).
 */
import { fileURLToPath } from 'node:url';
import { type Understanding, understand } from '../src/agent/understand/understand.js';
import { vocabularyOf } from '../src/agent/understand/vocabulary.js';
import { createDeps } from '../src/bootstrap/deps.js';
import { loadConfig } from '../src/config/env.js';
import { fixedClock } from '../src/shared/clock.js';
import type { Logger } from '../src/shared/logger.port.js';
import { EVAL_DAY } from '../tests/eval/eval-fixture.js';
import { QUESTION_GROUPS } from '../tests/eval/questions/index.js';
import { envInt, ms, percentile, table } from './bench-stats.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const ROUNDS = Math.max(1, envInt('BENCH_UNDERSTAND_ROUNDS', 20));
const WARMUP = Math.max(0, envInt('BENCH_UNDERSTAND_WARMUP', 3));
// From dist/bench/ (where `npm run bench` runs it) to the committed eval file.
const FOCUS = fileURLToPath(new URL('../../tests/fixtures/focus/eval-sample.csv.gz', import.meta.url));
const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const deps = await createDeps(loadConfig({ TALLY_TODAY: EVAL_DAY }), {
  focusPath: FOCUS,
  clock: fixedClock(new Date(`${EVAL_DAY}T12:00:00Z`)),
  logger: silent,
});
const vocabulary = await vocabularyOf(deps.stores.costs)();
await deps.close();
const questions = QUESTION_GROUPS.flatMap((g) => g.questions);

/** One pass over the set: each question's time in ms, and what it was understood as. */
function pass(): { times: number[]; outcomes: (Understanding['kind'] | 'none')[] } {
  const times: number[] = [];
  const outcomes: (Understanding['kind'] | 'none')[] = [];
  for (const q of questions) {
    const t0 = performance.now();
    const u = understand(q, vocabulary, EVAL_DAY);
    times.push(performance.now() - t0);
    outcomes.push(u?.kind ?? 'none');
  }
  return { times, outcomes };
}

const cold = pass();
for (let i = 0; i < WARMUP; i++) pass();
const all: number[] = [];
const perQuestion = questions.map(() => [] as number[]);
for (let r = 0; r < ROUNDS; r++) {
  const { times } = pass();
  all.push(...times);
  for (const [i, t] of times.entries()) perQuestion[i]?.push(t);
}
all.sort((a, b) => a - b);
const coldSorted = [...cold.times].sort((a, b) => a - b);
const count = (k: string) => cold.outcomes.filter((o) => o === k).length;

log(
  `Understand bench: ${questions.length} questions in ${QUESTION_GROUPS.length} groups, vocabulary of ` +
    `${vocabulary.services.length} services, ${vocabulary.accounts.length} accounts, ${vocabulary.tags.size} tag keys; ` +
    `today ${EVAL_DAY}; node ${process.version}`,
);
log(
  `understood as: ${count('command')} commands, ${count('ask')} questions back, ${count('no-match')} names not in the ` +
    `data, ${count('none')} not understood`,
);
log();
const row = (name: string, sorted: number[]) => [
  name,
  String(sorted.length),
  ms(percentile(sorted, 50)),
  ms(percentile(sorted, 95)),
  ms(percentile(sorted, 99)),
  ms(sorted.at(-1) ?? Number.NaN),
];
log(
  table(
    ['understand() per question (ms)', 'n', 'p50', 'p95', 'p99', 'max'],
    [row('first pass (cold)', coldSorted), row(`${ROUNDS} passes after ${WARMUP} warm-up`, all)],
  ),
);
const slowest = questions
  .map((q, i) => ({
    q,
    p50: percentile(
      [...(perQuestion[i] ?? [])].sort((a, b) => a - b),
      50,
    ),
  }))
  .sort((a, b) => b.p50 - a.p50)
  .slice(0, 3);
log(`slowest questions (p50): ${slowest.map((s) => `"${s.q}" ${ms(s.p50)} ms`).join('; ')}`);
log(`aim: p95 ≤ 20 ms — ${percentile(all, 95) <= 20 ? 'met' : 'NOT met'}`);
