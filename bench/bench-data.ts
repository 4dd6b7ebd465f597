import { stat } from 'node:fs/promises';
import { writeFocusCsv } from '../adapters/focus-file/focus-csv.writer.js';
import type { CostRecord, Tag } from '../src/costs/cost-record.types.js';
import { generateSample } from '../src/costs/sample/sample-data.js';
import { addDays, type Day } from '../src/shared/day.js';

/**
 * The benchmark dataset: the built-in sample (13 months, three clouds, ~72k rows) fanned out to exactly `rows` FOCUS
 * rows. Each usage row becomes k resource rows (k skewed per usage line, so that a few lines have many resources),
 * with the row's cost split over them, a `component` tag that varies per resource, and every tenth resource untagged.
 * Purchase, credit and tax rows are kept once. Deterministic: the same (rows, endDay) gives the same file.
 */

/** Last day of the benchmark data; "today" for the questions is the day after. Mid-month so "this month" has data. */
export const BENCH_END_DAY: Day = '2026-06-17';
export const BENCH_TODAY: Day = addDays(BENCH_END_DAY, 1);

const COMPONENTS = ['api', 'worker', 'frontend', 'batch', 'cache', 'ingest'];
/** Relative resource counts of usage lines, picked by a hash of the line: most lines small, a few large. */
const LINE_WEIGHTS = [1, 1, 2, 2, 3, 4, 6, 8, 12, 20, 32, 48];
const DECIMALS = 1e10;

export interface BenchFile {
  path: string;
  rows: number;
  bytes: number;
  ms: number;
  sampleRows: number;
}

/** Writes the dataset as a FOCUS CSV (same columns as `tally sample`) and reports how long it took. */
export async function writeBenchCsv(path: string, rows: number): Promise<BenchFile> {
  const t0 = performance.now();
  const sample = generateSample({ endDay: BENCH_END_DAY }).records;
  const written = await writeFocusCsv(path, fanOut(sample, rows));
  const ms = performance.now() - t0;
  if (written !== rows) throw new Error(`bench data: wrote ${written} rows instead of ${rows}`);
  const { size } = await stat(path);
  return { path, rows: written, bytes: size, ms, sampleRows: sample.length };
}

/** FNV-1a, enough to spread lines and resources deterministically. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const lineKey = (r: CostRecord) => `${r.subAccountId}|${r.serviceName}|${r.region}|${r.resourceId}`;

/**
 * Yields exactly `target` records. Usage record i gets `floor(C(i+1)·n/W) − floor(C(i)·n/W)` copies, where C is the
 * running sum of line weights and W their total, so that the counts add up to n exactly (some get 0 when n is smaller
 * than the sample).
 */
export function* fanOut(sample: CostRecord[], target: number): Generator<CostRecord> {
  const usage = sample.filter((r) => r.chargeCategory === 'Usage');
  const others = sample.length - usage.length;
  const keepOthers = target >= others;
  const n = keepOthers ? target - others : target;
  const weightOf = new Map<string, number>();
  const weight = (r: CostRecord): number => {
    const key = lineKey(r);
    let w = weightOf.get(key);
    if (w === undefined) {
      w = LINE_WEIGHTS[hash(key) % LINE_WEIGHTS.length] ?? 1;
      weightOf.set(key, w);
    }
    return w;
  };
  let total = 0;
  for (const r of usage) total += weight(r);
  let cumulative = 0;
  let emitted = 0;
  let othersLeft = keepOthers ? others : 0;
  for (const r of sample) {
    if (r.chargeCategory !== 'Usage') {
      if (othersLeft > 0) {
        othersLeft--;
        emitted++;
        yield r;
      }
      continue;
    }
    const before = Math.floor((cumulative * n) / total);
    cumulative += weight(r);
    const copies = Math.floor((cumulative * n) / total) - before;
    for (const copy of resourcesOf(r, copies)) {
      emitted++;
      yield copy;
    }
  }
  if (emitted !== target) throw new Error(`bench data: fan-out produced ${emitted} rows instead of ${target}`);
}

/** Splits one usage row over `k` resources. Amounts keep 10 decimals; the last resource takes the remainder. */
function resourcesOf(r: CostRecord, k: number): CostRecord[] {
  if (k <= 0) return [];
  if (k === 1) return [r];
  const h = hash(lineKey(r));
  const shares = Array.from({ length: k }, (_, j) => 1 + (((h >>> (j % 24)) + j * 7) % 5));
  const shareTotal = shares.reduce((a, b) => a + b, 0);
  const components = Math.min(k, 1 + (h % 4));
  const split = (amount: number) => {
    const parts = shares.map((s) => round10((amount * s) / shareTotal));
    let rest = amount;
    for (let j = 0; j < k - 1; j++) rest -= parts[j] ?? 0;
    parts[k - 1] = round10(rest);
    return parts;
  };
  const billed = split(r.billedCost);
  const effective = split(r.effectiveCost);
  const list = split(r.listCost);
  return shares.map((_, j) => ({
    ...r,
    resourceId: `${r.resourceId}-${String(j).padStart(4, '0')}`,
    billedCost: billed[j] ?? 0,
    effectiveCost: effective[j] ?? 0,
    listCost: list[j] ?? 0,
    tags: tagsOf(r.tags, j, components, h),
  }));
}

function tagsOf(base: Tag[], j: number, components: number, h: number): Tag[] {
  if (j % 10 === 9) return [];
  const component = COMPONENTS[(j % components) + (h % 2)] ?? 'api';
  return [...base, { key: 'component', value: component }];
}

function round10(x: number): number {
  const r = Math.round(x * DECIMALS) / DECIMALS;
  return r === 0 ? 0 : r;
}
