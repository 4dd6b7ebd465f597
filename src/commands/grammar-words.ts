import type { Dimension } from '../costs/cost-query.types.js';
import type { Metric } from '../costs/cost-record.types.js';
import type { PeriodSpec } from '../costs/period.js';
import { MONTH_NAMES } from '../costs/period.js';
import { isDay } from '../shared/day.js';
import type { Token } from './tokenize.js';

/** A matcher reads a clause at `i` and returns what it read and how many tokens, or null. */
export type Match<T> = { value: T; length: number } | null;

const METRIC_WORDS: ReadonlyMap<string, Metric> = new Map([
  ['effective', 'effective'],
  ['amortized', 'effective'],
  ['amortised', 'effective'],
  ['billed', 'billed'],
  ['invoiced', 'billed'],
  ['list', 'list'],
]);

const DIMENSION_WORDS: ReadonlyMap<string, Dimension['kind']> = new Map([
  ['provider', 'provider'],
  ['providers', 'provider'],
  ['cloud', 'provider'],
  ['clouds', 'provider'],
  ['account', 'account'],
  ['accounts', 'account'],
  ['sub-account', 'account'],
  ['sub-accounts', 'account'],
  ['subaccount', 'account'],
  ['subaccounts', 'account'],
  ['project', 'account'],
  ['projects', 'account'],
  ['subscription', 'account'],
  ['subscriptions', 'account'],
  ['service', 'service'],
  ['services', 'service'],
  ['category', 'category'],
  ['categories', 'category'],
  ['subcategory', 'subcategory'],
  ['subcategories', 'subcategory'],
  ['region', 'region'],
  ['regions', 'region'],
  ['charge', 'charge'],
  ['charges', 'charge'],
  ['charge-category', 'charge'],
  ['resource', 'resource'],
  ['resources', 'resource'],
  ['day', 'day'],
  ['days', 'day'],
  ['daily', 'day'],
  ['week', 'week'],
  ['weeks', 'week'],
  ['weekly', 'week'],
  ['month', 'month'],
  ['months', 'month'],
  ['monthly', 'month'],
]);

export const COST_NOUNS = new Set(['cost', 'costs', 'spend', 'spending', 'spent']);

export function matchMetric(t: Token[], i: number): Match<Metric> {
  const w = t[i];
  if (!w || w.quoted) return null;
  const metric = METRIC_WORDS.get(w.lower);
  return metric ? { value: metric, length: 1 } : null;
}

/** `service`, `accounts`, `tag:team`, `tag team`. */
export function matchDimension(t: Token[], i: number): Match<Dimension> {
  const w = t[i];
  if (!w || w.quoted) return null;
  if (w.lower.startsWith('tag:') && w.text.length > 4)
    return { value: { kind: 'tag', key: w.text.slice(4) }, length: 1 };
  if ((w.lower === 'tag' || w.lower === 'tags') && t[i + 1])
    return { value: { kind: 'tag', key: t[i + 1]!.text }, length: 2 };
  const kind = DIMENSION_WORDS.get(w.lower);
  if (!kind || kind === 'tag') return null;
  return { value: { kind } as Dimension, length: 1 };
}

function word(t: Token[], i: number, ...options: string[]): boolean {
  const w = t[i];
  return !!w && !w.quoted && options.includes(w.lower);
}

const SIMPLE_PERIODS: ReadonlyMap<string, PeriodSpec> = new Map([
  ['today', { kind: 'today' }],
  ['yesterday', { kind: 'yesterday' }],
  ['mtd', { kind: 'month-to-date' }],
  ['ytd', { kind: 'year-to-date' }],
  ['wtd', { kind: 'this-week' }],
]);

/** Every date range of the command language (README.md#the-command-language), plus `in May 2026` and `2026-05`. */
export function matchPeriod(t: Token[], i: number): Match<PeriodSpec> {
  const w = t[i];
  if (!w || w.quoted) return null;
  const s = SIMPLE_PERIODS.get(w.lower);
  if (s) return { value: s, length: 1 };
  if (word(t, i, 'this', 'current') && word(t, i + 1, 'week')) return { value: { kind: 'this-week' }, length: 2 };
  if (word(t, i, 'this', 'current') && word(t, i + 1, 'month')) return { value: { kind: 'this-month' }, length: 2 };
  if (word(t, i, 'last', 'previous', 'past') && word(t, i + 1, 'week'))
    return { value: { kind: 'last-week' }, length: 2 };
  if (word(t, i, 'last', 'previous', 'past') && word(t, i + 1, 'month'))
    return { value: { kind: 'last-month' }, length: 2 };
  if (word(t, i, 'month', 'year') && word(t, i + 1, 'to') && word(t, i + 2, 'date'))
    return { value: { kind: w.lower === 'month' ? 'month-to-date' : 'year-to-date' }, length: 3 };
  if (word(t, i, 'last', 'past') && /^\d+$/.test(t[i + 1]?.lower ?? '') && word(t, i + 2, 'days', 'day'))
    return { value: { kind: 'last-days', days: Number(t[i + 1]!.lower) }, length: 3 };
  if (word(t, i, 'from', 'between') && dayLike(t[i + 1]) && word(t, i + 2, 'to', 'and', 'until', 'through'))
    return dayLike(t[i + 3])
      ? { value: { kind: 'range', from: t[i + 1]!.lower, to: t[i + 3]!.lower }, length: 4 }
      : { value: { kind: 'range', from: t[i + 1]!.lower, to: '' }, length: 3 };
  if (/^\d{4}-\d{2}$/.test(w.lower)) return { value: { kind: 'month', month: w.lower }, length: 1 };
  if (isDay(w.lower)) return { value: { kind: 'range', from: w.lower, to: w.lower }, length: 1 };
  return matchMonthName(t, word(t, i, 'in', 'during', 'for') ? i + 1 : i, word(t, i, 'in', 'during', 'for') ? 1 : 0);
}

/** A token shaped like a day (`2026-05-01`, also `2026-5-1` or `2026-02-30`, which the parser then names as wrong). */
function dayLike(w: Token | undefined): boolean {
  return !!w && !w.quoted && /^\d{1,4}-\d{1,2}-\d{1,2}$/.test(w.lower);
}

function matchMonthName(t: Token[], i: number, skipped: number): Match<PeriodSpec> {
  const w = t[i];
  if (!w || w.quoted) return null;
  const idx = MONTH_NAMES.findIndex((m) => m === w.lower || (w.lower.length >= 3 && m.startsWith(w.lower)));
  if (idx < 0) return null;
  const year = t[i + 1]?.lower ?? '';
  if (!/^\d{4}$/.test(year)) return null;
  return { value: { kind: 'month', month: `${year}-${String(idx + 1).padStart(2, '0')}` }, length: skipped + 2 };
}

/** The second side of `compare A vs B`: a period, or "the week before" / "the previous period". */
export function matchPreviousPhrase(t: Token[], i: number): Match<{ kind: 'previous' }> {
  let j = i;
  if (word(t, j, 'the')) j++;
  if (word(t, j, 'previous', 'prior') && word(t, j + 1, 'period', 'week', 'month'))
    return { value: { kind: 'previous' }, length: j - i + 2 };
  if (word(t, j, 'week', 'month', 'period', 'day') && word(t, j + 1, 'before'))
    return { value: { kind: 'previous' }, length: j - i + 2 };
  return null;
}
