/** Timing, repetition and formatting helpers of the benchmark. */

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
 * the given order) is used instead, so that a query taking seconds is not run 35 times.
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

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
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
