import type { Day } from '../shared/day.js';
import {
  addDays,
  addMonths,
  daysBetween,
  endOfMonth,
  isDay,
  minDay,
  startOfMonth,
  startOfWeek,
} from '../shared/day.js';

/** A date range as written in the command language (README.md#the-command-language). */
export type PeriodSpec =
  | { kind: 'today' }
  | { kind: 'yesterday' }
  | { kind: 'this-week' }
  | { kind: 'last-week' }
  | { kind: 'this-month' }
  | { kind: 'last-month' }
  | { kind: 'month-to-date' }
  | { kind: 'year-to-date' }
  | { kind: 'last-days'; days: number }
  | { kind: 'month'; month: string }
  | { kind: 'range'; from: Day; to: Day };

/** A resolved, inclusive range of UTC days with a human label. */
export interface Period {
  from: Day;
  to: Day;
  label: string;
}

/** The longest range a question may cover; longer ones are refused as bad input. */
export const MAX_PERIOD_DAYS = 3 * 366;

/** The first and last days a question may name (the years of cost data there can be); others are bad input. */
export const EARLIEST_DAY: Day = '1970-01-01';
export const LATEST_DAY: Day = '2999-12-31';

/**
 * Resolves a spec against "today". Weeks start on Monday (ISO). `last N days` are the N complete days
 * ending yesterday; `this week`, `this month`, `month to date` and `year to date` end today.
 */
export function resolvePeriod(spec: PeriodSpec, today: Day): Period {
  // Parts out of range (`last 2147483648 days`, `2026-13`) resolve to no days, which `validatePeriod` refuses.
  if (spec.kind === 'last-days' && !(Number.isSafeInteger(spec.days) && spec.days >= 1 && spec.days <= MAX_PERIOD_DAYS))
    return { from: '', to: '', label: `last ${spec.days} days` };
  if (spec.kind === 'month' && !isDay(`${spec.month}-01`)) return { from: '', to: '', label: spec.month };
  switch (spec.kind) {
    case 'today':
      return { from: today, to: today, label: 'today' };
    case 'yesterday': {
      const d = addDays(today, -1);
      return { from: d, to: d, label: 'yesterday' };
    }
    case 'this-week':
      return { from: startOfWeek(today), to: today, label: 'this week' };
    case 'last-week': {
      const from = addDays(startOfWeek(today), -7);
      return { from, to: addDays(from, 6), label: 'last week' };
    }
    case 'this-month':
    case 'month-to-date':
      return {
        from: startOfMonth(today),
        to: today,
        label: spec.kind === 'this-month' ? 'this month' : 'month to date',
      };
    case 'last-month': {
      const from = addMonths(startOfMonth(today), -1);
      return { from, to: endOfMonth(from), label: 'last month' };
    }
    case 'year-to-date':
      return { from: `${today.slice(0, 4)}-01-01`, to: today, label: 'year to date' };
    case 'last-days':
      return { from: addDays(today, -spec.days), to: addDays(today, -1), label: `last ${spec.days} days` };
    case 'month': {
      const from = `${spec.month}-01`;
      return { from, to: endOfMonth(from), label: monthLabel(spec.month) };
    }
    case 'range':
      return { from: spec.from, to: spec.to, label: `${spec.from} to ${spec.to}` };
  }
}

/**
 * The period right before `period`, for "vs the week before" / "vs the previous period": the previous calendar
 * week or month when the period is one, else the same number of days immediately before.
 */
export function previousPeriod(spec: PeriodSpec, period: Period): Period {
  const length = daysBetween(period.from, period.to) + 1;
  if (spec.kind === 'last-week' || spec.kind === 'this-week') {
    const from = addDays(period.from, -7);
    return { from, to: addDays(from, length - 1), label: 'the week before' };
  }
  if (
    spec.kind === 'last-month' ||
    spec.kind === 'month' ||
    spec.kind === 'this-month' ||
    spec.kind === 'month-to-date'
  ) {
    const from = addMonths(period.from, -1);
    const fullMonth = period.to === endOfMonth(period.to);
    const to = fullMonth ? endOfMonth(from) : minDay(addMonths(period.to, -1), endOfMonth(from));
    return { from, to, label: 'the month before' };
  }
  const to = addDays(period.from, -1);
  return { from: addDays(to, -(length - 1)), to, label: 'the period before' };
}

/** Checks a resolved range: real days, from ≤ to, not too long. Returns a message for the user, or null. */
export function validatePeriod(period: Period): string | null {
  if (!isDay(period.from) || !isDay(period.to)) return `"${period.label}" is not a valid date range.`;
  if (period.from < EARLIEST_DAY || period.to > LATEST_DAY)
    return `The range ${period.from} to ${period.to} is outside ${EARLIEST_DAY} to ${LATEST_DAY}.`;
  if (period.from > period.to) return `The range ${period.from} to ${period.to} ends before it starts.`;
  if (daysBetween(period.from, period.to) + 1 > MAX_PERIOD_DAYS)
    return `The range ${period.from} to ${period.to} is longer than ${MAX_PERIOD_DAYS} days.`;
  return null;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function monthLabel(month: string): string {
  const m = Number(month.slice(5, 7));
  return `${MONTHS[m - 1] ?? month} ${month.slice(0, 4)}`;
}

export const MONTH_NAMES = MONTHS.map((m) => m.toLowerCase());
