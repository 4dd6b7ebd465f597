/**
 * Anomaly scan benchmark (issue 6), in-process only (no test services needed).
 *
 * 1. Detector: N synthetic daily series (default 10,000) × D days (default 400), each with a weekday pattern, noise and
 *    growth, a fifth of them with an injected spike, drop or 10-day level shift, run through the detector with the
 *    month calendar (every series gets its own baseline model, as in a scan). Reports the time of one pass over all
 *    series (p50 / p95 of the runs), series per second, and precision / recall on the injected days (days whose
 *    injected change is at least 2 × minImpact; the first maxRunDays days of a level shift).
 * 2. Scan: `AnomalyScanService.scan` on the full built-in sample dataset (13 months) in the cost store (DuckDB over
 *    Parquet in a temporary folder), for the last 7 days (a bare `anomalies`), the last 182 days (the sample's anomaly
 *    window) and the whole range.
 *
 *   npm run bench                    # every bench
 *   BENCH_ONLY=scan npm run bench    # this one only
 *   node dist/bench/scan.bench.js    # after npm run build
 *
 * Knobs: BENCH_SCAN_SERIES (10000), BENCH_SCAN_DAYS (400), BENCH_SCAN_WARMUP / BENCH_SCAN_RUNS (1 / 5).
 */
import {
  DEFAULT_DETECTOR_OPTIONS,
  detectWithModel,
  previousMonthIndex,
  SeriesModel,
} from '../src/anomalies/anomaly-detector.js';
import { AnomalyScanService } from '../src/anomalies/anomaly-scan.service.js';
import type { CostRepository } from '../src/costs/cost-repository.port.js';
import { mulberry32 } from '../src/costs/sample/prng.js';
import { generateSample } from '../src/costs/sample/sample-data.js';
import { addDays, type Day } from '../src/shared/day.js';
import { envInt, int, measure, ms, type RepeatPlan, secs, table, timing } from './bench-stats.js';
import { benchCostStore } from './bench-stores.js';

const log = (line = '') => process.stdout.write(`${line}\n`);

const FIRST_DAY: Day = '2025-06-01';
const SAMPLE_END: Day = '2026-11-21';
const TARGET_MS = 5000;

interface Synthetic {
  series: Float64Array[];
  /** `series:index` of every day that should be detected. */
  expected: Set<string>;
  /** `series:index` of every injected day (detections there are not false alarms). */
  injected: Set<string>;
}

/** Weekly pattern × growth × noise, with a spike, drop or level shift in one series out of five. */
function synthesize(count: number, days: number): Synthetic {
  const rand = mulberry32(2026);
  const { minImpact, maxRunDays } = DEFAULT_DETECTOR_OPTIONS;
  const series: Float64Array[] = [];
  const expected = new Set<string>();
  const injected = new Set<string>();
  for (let s = 0; s < count; s++) {
    const base = 50 * 100 ** rand(); // 50 … 5,000 a day
    const weekendDrop = 0.4 * rand();
    const noise = 0.01 + 0.04 * rand();
    const growth = -0.05 + 0.13 * rand(); // per month
    const values = new Float64Array(days);
    for (let i = 0; i < days; i++) {
      const week = i % 7 >= 5 ? 1 - weekendDrop : 1;
      values[i] = base * (1 + growth) ** ((i - days) / 30.4) * week * (1 + noise * (rand() + rand() - 1));
    }
    const kind = rand();
    const at = 60 + Math.floor(rand() * (days - 80));
    const mark = (i: number, before: number) => {
      injected.add(`${s}:${i}`);
      if (Math.abs(values[i]! - before) >= 2 * minImpact) expected.add(`${s}:${i}`);
    };
    if (kind < 0.12) {
      const before = values[at]!;
      values[at] = before * (3 + 5 * rand());
      mark(at, before);
    } else if (kind < 0.16) {
      const before = values[at]!;
      values[at] = before * 0.05;
      mark(at, before);
    } else if (kind < 0.2) {
      for (let d = 0; d < 10 && at + d < days; d++) {
        const before = values[at + d]!;
        values[at + d] = before * 1.8;
        injected.add(`${s}:${at + d}`);
        if (d < maxRunDays && before * 0.8 >= 2 * minImpact) expected.add(`${s}:${at + d}`);
      }
    }
    series.push(values);
  }
  return { series, expected, injected };
}

function detectAll(data: Synthetic, calendar: Int32Array): Set<string> {
  const found = new Set<string>();
  data.series.forEach((values, s) => {
    const model = new SeriesModel(values, DEFAULT_DETECTOR_OPTIONS, calendar);
    for (const a of detectWithModel(model, { previousMonth: calendar })) found.add(`${s}:${a.index}`);
  });
  return found;
}

async function benchDetector(plan: RepeatPlan): Promise<string[]> {
  const count = envInt('BENCH_SCAN_SERIES', 10_000);
  const days = envInt('BENCH_SCAN_DAYS', 400);
  const t0 = performance.now();
  const data = synthesize(count, days);
  log(`\n[detector] ${int(count)} series × ${int(days)} days generated in ${secs(performance.now() - t0)}`);
  const calendar = previousMonthIndex(FIRST_DAY, days);
  const { timing: t, first: found } = await measure(async () => detectAll(data, calendar), plan);
  const hits = [...data.expected].filter((k) => found.has(k)).length;
  const falseAlarms = [...found].filter((k) => !data.injected.has(k)).length;
  const precision = (found.size - falseAlarms) / Math.max(1, found.size);
  const recall = hits / Math.max(1, data.expected.size);
  log(
    `[detector] one pass p50/p95 ${timing(t)} ms (${t.warmups} warm-up + ${t.runs} runs) => ` +
      `${int((count / t.p50) * 1000)} series/s, ${int(((count * days) / t.p50) * 1000)} series-days/s` +
      `${t.p50 <= TARGET_MS ? '' : `  > ${TARGET_MS / 1000} s target`}`,
  );
  log(
    `[detector] ${int(found.size)} anomalous days found; ${int(data.expected.size)} injected days of ≥ 2 × minImpact: ` +
      `recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)} (${int(falseAlarms)} outside injected days)`,
  );
  return [`detector: ${int(count)} series × ${int(days)} days`, timing(t), `${int((count / t.p50) * 1000)} series/s`];
}

async function benchSampleScan(plan: RepeatPlan): Promise<string[][]> {
  const store = await benchCostStore();
  try {
    return await scanSample(store.costs, plan);
  } finally {
    await store.close();
  }
}

async function scanSample(repo: CostRepository, plan: RepeatPlan): Promise<string[][]> {
  const t0 = performance.now();
  const sample = generateSample({ endDay: SAMPLE_END });
  const writer = await repo.writer('sample');
  for (let i = 0; i < sample.records.length; i += 10_000) await writer.add(sample.records.slice(i, i + 10_000));
  const range = { from: sample.from, to: sample.to };
  await writer.commit({ range, files: [], skipped: [], rowsRejected: 0, rejected: [], rejectedByMonth: {} });
  log(
    `\n[scan] sample ${sample.from}..${sample.to}: ${int(sample.records.length)} rows, loaded in ` +
      `${secs(performance.now() - t0)}`,
  );
  const service = new AnomalyScanService(repo);
  const ranges: [string, Day][] = [
    ['last 7 days', addDays(SAMPLE_END, -6)],
    ['last 182 days', addDays(SAMPLE_END, -182)],
    ['whole range', sample.from],
  ];
  const rows: string[][] = [];
  for (const [name, from] of ranges) {
    const { timing: t, first, firstMs } = await measure(() => service.scan({ from, to: SAMPLE_END }), plan);
    log(
      `[scan] ${name.padEnd(14)} ${from}..${SAMPLE_END}: p50/p95 ${timing(t)} ms (first ${ms(firstMs)} ms, ` +
        `${t.warmups} warm-up + ${t.runs} runs) — ${first.length} anomalies`,
    );
    rows.push([`scan sample, ${name}`, timing(t), `${first.length} anomalies`]);
  }
  return rows;
}

async function main(): Promise<void> {
  const plan: RepeatPlan = { warmups: envInt('BENCH_SCAN_WARMUP', 1), runs: envInt('BENCH_SCAN_RUNS', 5) };
  log(`Tally anomaly scan benchmark — node ${process.version}`);
  const detector = await benchDetector(plan);
  const scans = await benchSampleScan(plan);
  log('\n=== Summary: p50 / p95 in ms ===');
  log(table(['what', 'p50/p95', 'result'], [detector, ...scans]));
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
