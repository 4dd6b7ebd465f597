import type { Day } from '../shared/day.js';
import { addDays, daysBetween } from '../shared/day.js';
import type { CostSourceInfo } from './cost-repository.port.js';
import type { Period } from './period.js';

/** One part of a comparison: some sources (all when null), each period cut to the days those sources have. */
interface ComparisonSlice {
  sources: string[] | null;
  current: Period;
  previous: Period;
}

/** Two periods cut to the same days of data per source, and what was cut, in words. */
export interface LikeForLike {
  /** The periods the answer names: the current one up to the latest source's last day, the previous as many days. */
  current: Period;
  previous: Period;
  slices: ComparisonSlice[];
  /** "Like for like: 2026-12-01 to 2026-12-05 against 2026-11-01 to 2026-11-05; azure-export through 2026-12-04 …" */
  note: string | null;
}

/**
 * Cuts a comparison whose current period runs past the data (this week, this month, a day a source has not delivered
 * yet) source by source (docs/cost-data.md#like-for-like): each source's current days end on its own last day, and
 * its previous period keeps as many days from its start, so six days are never compared with seven, and a source one
 * day behind is compared over its own days while the others keep theirs. Periods that are complete come back as they
 * are, in one slice of every source.
 */
export function likeForLike(current: Period, previous: Period, sources: readonly CostSourceInfo[]): LikeForLike {
  const whole: LikeForLike = { current, previous, slices: [{ sources: null, current, previous }], note: null };
  const live = sources.filter((s) => s.range && s.range.to >= current.from && s.range.from <= current.to);
  if (live.length === 0 || live.every((s) => s.range!.to >= current.to)) return whole;
  const endOf = (s: CostSourceInfo) => (s.range!.to < current.to ? s.range!.to : current.to);
  const latest = live.map(endOf).reduce((a, b) => (a > b ? a : b));
  const byEnd = new Map<Day, string[]>();
  for (const s of sources) {
    // A source with no data in the current period is counted whole, with the latest sources (its absence is real).
    const end = live.includes(s) ? endOf(s) : latest;
    byEnd.set(end, [...(byEnd.get(end) ?? []), s.name]);
  }
  const cut = (end: Day) => {
    const days = daysBetween(current.from, end) + 1;
    const prev: Period =
      daysBetween(previous.from, previous.to) + 1 > days
        ? { ...previous, to: addDays(previous.from, days - 1) }
        : previous;
    return { current: { ...current, to: end }, previous: prev };
  };
  const slices = [...byEnd]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([end, names]) => ({ sources: names, ...cut(end) }));
  const head = slices[0]!;
  const behind = slices
    .slice(1)
    .map((s) => `${s.sources!.join(', ')} through ${s.current.to} against ${span(s.previous)}`);
  const note = `Like for like: ${span(head.current)} against ${span(head.previous)}${behind.length ? `; ${behind.join('; ')}` : ''}.`;
  return { current: head.current, previous: head.previous, slices, note };
}

const span = (p: { from: Day; to: Day }) => (p.from === p.to ? p.from : `${p.from} to ${p.to}`);
