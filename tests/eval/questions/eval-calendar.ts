import { EVAL_DAY } from '../eval-fixture.js';

/**
 * The eval's own day arithmetic (UTC days, weeks from Monday), written apart from Tally's period code so that the
 * expected figures check it rather than restate it. Every range is inclusive.
 */
export interface DayRange {
  from: string;
  to: string;
}

const MS_PER_DAY = 86_400_000;
const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const fromMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const plusDays = (day: string, n: number): string => fromMs(toMs(day) + n * MS_PER_DAY);

/** Monday of the week of `day`. */
export const mondayOf = (day: string): string => plusDays(day, -((new Date(toMs(day)).getUTCDay() + 6) % 7));

/** A calendar month `YYYY-MM`, first to last day. */
export function month(m: string): DayRange {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return { from: `${m}-01`, to: fromMs(Date.UTC(y, mo, 0)) };
}

/** Quarter `q` (1–4) of year `y`, calendar quarters. */
export function quarter(y: number, q: number): DayRange {
  const first = `${y}-${String(q * 3 - 2).padStart(2, '0')}`;
  const last = `${y}-${String(q * 3).padStart(2, '0')}`;
  return { from: month(first).from, to: month(last).to };
}

const today = EVAL_DAY;
const yesterday = plusDays(today, -1);
const monday = mondayOf(today);

/** The periods the questions name, as of {@link EVAL_DAY} (Wednesday 2026-06-10; data through 2026-06-09). */
export const PERIOD = {
  yesterday: { from: yesterday, to: yesterday },
  thisWeek: { from: monday, to: today },
  lastWeek: { from: plusDays(monday, -7), to: plusDays(monday, -1) },
  /** Saturday and Sunday just past. */
  weekend: { from: plusDays(monday, -2), to: plusDays(monday, -1) },
  monthToDate: { from: `${today.slice(0, 7)}-01`, to: today },
  lastMonth: month('2026-05'),
  thisQuarter: { from: quarter(2026, 2).from, to: today },
  lastQuarter: quarter(2026, 1),
  yearToDate: { from: `${today.slice(0, 4)}-01-01`, to: today },
  lastYear: { from: '2025-01-01', to: '2025-12-31' },
  /** The `n` complete days ending yesterday. */
  lastDays: (n: number): DayRange => ({ from: plusDays(today, -n), to: yesterday }),
} as const;

/** The last day with data: comparisons of a period still running use the same days of the period before. */
export const DATA_END = yesterday;
