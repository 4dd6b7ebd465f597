/** A UTC calendar day as `YYYY-MM-DD`. Costs are bucketed by the UTC day of ChargePeriodStart (docs/cost-data.md). */
export type Day = string;

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

export function isDay(value: string): boolean {
  if (!DAY_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function dayOf(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

export function dayToDate(day: Day): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function addDays(day: Day, n: number): Day {
  return dayOf(new Date(dayToDate(day).getTime() + n * MS_PER_DAY));
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((dayToDate(b).getTime() - dayToDate(a).getTime()) / MS_PER_DAY);
}

/** Inclusive list of days from `from` to `to`. */
export function eachDay(from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(day: Day): number {
  return (dayToDate(day).getUTCDay() + 6) % 7;
}

export function startOfMonth(day: Day): Day {
  return `${day.slice(0, 7)}-01`;
}

export function endOfMonth(day: Day): Day {
  const d = dayToDate(startOfMonth(day));
  return dayOf(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
}

export function addMonths(day: Day, n: number): Day {
  const d = dayToDate(day);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return dayOf(target);
}

export function startOfWeek(day: Day): Day {
  return addDays(day, -weekdayIndex(day));
}

/** The days from the first range's start to the last range's end; null without ranges. */
export function spanOf(ranges: readonly { from: Day; to: Day }[]): { from: Day; to: Day } | null {
  if (ranges.length === 0) return null;
  return {
    from: ranges.map((r) => r.from).reduce((a, b) => (a < b ? a : b)),
    to: ranges.map((r) => r.to).reduce((a, b) => (a > b ? a : b)),
  };
}

/** The earlier of two days. */
export function minDay(a: Day, b: Day): Day {
  return a < b ? a : b;
}

/** The later of two days. */
export function maxDay(a: Day, b: Day): Day {
  return a > b ? a : b;
}
