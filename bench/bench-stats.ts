import { type Dirent, readFileSync } from 'node:fs';
import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';

/** Timing, repetition, memory, disk and formatting helpers of the benchmarks. */

export interface Timing {
  p50: number;
  p95: number;
  /** Measured runs (warm-ups excluded). */
  runs: number;
  warmups: number;
}

export interface RepeatPlan {
  warmups: number;
  runs: number;
}

/** Nearest-rank percentile of ascending `sorted` values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

/** A repetition plan used instead when the first run took longer than `overMs`. */
export interface SlowTier {
  overMs: number;
  plan: RepeatPlan;
}

/**
 * Runs `fn` once (the first warm-up, whose result is returned), then the rest of `plan.warmups` unmeasured and
 * `plan.runs` measured. When the first run takes longer than a tier's `overMs`, the plan of the first such tier (in
 * the given order) is used instead, so that a query taking seconds is not run 35 times. A plan of 0 runs reports the
 * first run alone (as 0 warm-ups + 1 run).
 */
export async function measure<T>(
  fn: () => Promise<T>,
  plan: RepeatPlan,
  tiers: SlowTier[] = [],
): Promise<{ timing: Timing; first: T; firstMs: number }> {
  const t0 = performance.now();
  const first = await fn();
  const firstMs = performance.now() - t0;
  const used = tiers.find((t) => firstMs > t.overMs)?.plan ?? plan;
  // No measured runs: the first run is the only figure (for a question that takes minutes).
  if (used.runs === 0) return { timing: { p50: firstMs, p95: firstMs, runs: 1, warmups: 0 }, first, firstMs };
  const warmups = Math.max(1, used.warmups);
  for (let i = 1; i < warmups; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < used.runs; i++) {
    const t1 = performance.now();
    await fn();
    times.push(performance.now() - t1);
  }
  times.sort((a, b) => a - b);
  return {
    timing: { p50: percentile(times, 50), p95: percentile(times, 95), runs: used.runs, warmups },
    first,
    firstMs,
  };
}

/** Reads a positive integer from the environment. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  external: number;
}

/** Memory after a full gc (when node runs with `--expose-gc`). */
export function memoryAfterGc(): MemorySnapshot & { gc: boolean } {
  const gc = globalThis.gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external + m.arrayBuffers, gc: gc !== undefined };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '-');
export const timing = (t: Timing | undefined) => (t ? `${ms(t.p50)} / ${ms(t.p95)}` : 'skipped');

/** A plain-text table with padded columns; numbers-looking cells align right. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return i > 0 && /^[-\d.,/ x×]+$|^skipped$/.test(c) ? c.padStart(w) : c.padEnd(w);
      })
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
/** Bytes as MiB below 1 GiB, else GiB. */
export const size = (bytes: number) => (bytes < 1024 ** 3 ? mib(bytes) : gib(bytes));
/** `a / b` as `1.23x`; `-` when either is missing. */
export const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b > 0
    ? `${(a / b).toFixed(2)}x`
    : '-';

/**
 * This process's peak resident set (VmHWM) and current one (VmRSS), from /proc/self/status. Elsewhere, the peak is
 * `process.resourceUsage().maxRSS` (which on Linux also counts the parent's pages at fork, hence /proc first).
 */
export function rssNow(): { peak: number; current: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    const peak = kb('VmHWM') * 1024;
    const current = kb('VmRSS') * 1024;
    if (Number.isFinite(peak)) return { peak, current };
  } catch {
    // not Linux
  }
  return { peak: process.resourceUsage().maxRSS * 1024, current: process.memoryUsage().rss };
}

/** Bytes of every file under `path` (0 when it does not exist). */
export async function dirBytes(path: string): Promise<number> {
  let entries: Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const full = join(path, e.name);
    try {
      if (e.isDirectory()) total += await dirBytes(full);
      else if (e.isFile()) total += (await stat(full)).size;
    } catch {
      // removed while walking
    }
  }
  return total;
}

/** Bytes free for this user on the file system of `path` (what `df` shows as Avail). */
export async function freeBytes(path: string): Promise<number> {
  const s = await statfs(path);
  return s.bavail * s.bsize;
}
