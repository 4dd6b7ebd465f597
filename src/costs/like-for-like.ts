import type { Day } from '../shared/day.js';
import { addDays, daysBetween } from '../shared/day.js';
import type { CostSourceInfo } from './cost-repository.port.js';
import type { Period } from './period.js';

/** Two periods cut to the same days of data, and what was cut, in words. */
export interface LikeForLike {
  current: Period;
  previous: Period;
  /** "Like for like: 2026-12-01 to 2026-12-04 against 2026-11-01 to 2026-11-04 (Azure data ends 2026-12-04)." */
  note: string | null;
}

/**
 * Cuts a comparison whose current period runs past the data (this week, this month, a day whose data has not arrived
 * for a source) to the days every source with data in it has, and the previous period to as many days from its
 * start, so that six days are never compared with seven (docs/cost-data.md#like-for-like). Periods that are complete
 * come back as they are.
 */
export function likeForLike(current: Period, previous: Period, sources: readonly CostSourceInfo[]): LikeForLike {
  const live = sources.filter((s) => s.range && s.range.to >= current.from && s.range.from <= current.to);
  if (live.length === 0) return { current, previous, note: null };
  const end = live.map((s) => s.range!.to).reduce((a, b) => (a < b ? a : b));
  if (end >= current.to) return { current, previous, note: null };
  const days = daysBetween(current.from, end) + 1;
  const cutCurrent: Period = { ...current, to: end };
  const cutPrevious: Period =
    daysBetween(previous.from, previous.to) + 1 > days
      ? { ...previous, to: addDays(previous.from, days - 1) }
      : previous;
  const late = live.filter((s) => s.range!.to === end).map((s) => s.name);
  const why =
    late.length < live.length
      ? `${late.join(', ')} ${late.length === 1 ? 'has' : 'have'} data through ${end}`
      : `data ends ${end}`;
  return {
    current: cutCurrent,
    previous: cutPrevious,
    note: `Like for like: ${span(cutCurrent)} against ${span(cutPrevious)} (${why}).`,
  };
}

const span = (p: { from: Day; to: Day }) => (p.from === p.to ? p.from : `${p.from} to ${p.to}`);
