import type { Tag } from './cost-record.types.js';

/**
 * Parsers for the values of FOCUS columns, strict where a wrong reading would move money: an impossible date is
 * refused, never rolled over to the next month; an amount keeps its exact decimal text.
 */

/** The null tokens of real exports: an empty cell, or the literal `NULL` (the FinOps Foundation's sample data). */
export const isNullToken = (text: string) => text === '' || text === 'NULL';

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An ISO 8601 date or date-time as FOCUS exports write it: `T` or a space, with `Z`, ` UTC`, `+00`, `+00:00`,
 * `+0000` or no zone (read as UTC, which FOCUS requires), and up to nine fractional digits. Null for anything else,
 * including days that do not exist (`2024-09-31`).
 */
export function parseFocusTime(text: string): Date | null {
  const m = TIME_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = ''] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute > 0 || second > 0))) return null;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone && !/^(Z|UTC)$/i.test(zone)) {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 14 || om > 59) return null;
    t -= sign * (oh * 60 + om) * 60_000;
  }
  return new Date(t);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A plain decimal number, also in the SQL of the Parquet bulk load (adapters/duckdb/parquet-bulk-load.ts). */
export const DECIMAL_PATTERN = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d{1,3})?';
const DECIMAL_RE = new RegExp(`^${DECIMAL_PATTERN}$`);

/**
 * The bound of one amount: its absolute value is below 10^15 in any currency (a quadrillion; the largest rows of
 * real exports, in Indonesian rupiah, are near 10^10). Stored amounts have 22 digits before the point, so sums of
 * many rows keep room; a row beyond the bound (`1.8e308`) is rejected as "out of range", never summed to infinity.
 */
export const MAX_ABS_AMOUNT = 1e15;

/**
 * A decimal amount, returned as its exact text (trimmed, without a leading `+`) for the store to sum as a SQL
 * decimal; null when it is not a plain decimal number (hex, `NaN`, `Infinity`, thousands separators).
 */
export function parseFocusAmount(text: string): string | null {
  const t = text.trim();
  if (!DECIMAL_RE.test(t)) return null;
  return t[0] === '+' ? t.slice(1) : t;
}

/** Whether an amount read by `parseFocusAmount` is within `MAX_ABS_AMOUNT` (checked on its double value). */
export function amountInRange(amount: string): boolean {
  return Math.abs(Number(amount)) < MAX_ABS_AMOUNT;
}

/** FOCUS Tags: a JSON object; null tokens and `{}` are no tags. Values that are not strings are kept as JSON text. */
export function parseFocusTags(text: string): Tag[] | null {
  if (isNullToken(text) || text === '{}' || text === 'null') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
