import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { isHalfCentTie, toUnits, unitsToCents } from './decimal-sum.js';

/** FOCUS rows of a fixture file as plain objects (read with csv-parse, not with Tally's reader). */
export function readFixture(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** The UTC day of a ChargePeriodStart value, computed with Date directly. */
export function utcDay(value: string): string {
  let v = value.replace(' ', 'T');
  if (!/(Z|[+-]\d\d:\d\d)$/.test(v)) v += 'Z';
  return new Date(v).toISOString().slice(0, 10);
}

/**
 * Expected sums to the cent: per currency and key, of the rows whose UTC day is in [from, to].
 * `key(row)` picks the dimension column. Returns `Map<currency, Map<key, cents>>`.
 */
export function expectedSums(
  rows: Record<string, string>[],
  opts: { from: string; to: string; amount: string; key: (r: Record<string, string>) => string },
): Map<string, Map<string, number>> {
  const units = new Map<string, Map<string, bigint>>();
  for (const r of rows) {
    const day = utcDay(r.ChargePeriodStart ?? '');
    if (day < opts.from || day > opts.to) continue;
    const cur = r.BillingCurrency ?? '';
    const byKey = units.get(cur) ?? new Map<string, bigint>();
    units.set(cur, byKey);
    const k = opts.key(r);
    byKey.set(k, (byKey.get(k) ?? 0n) + toUnits(r[opts.amount] ?? '0'));
  }
  return new Map([...units].map(([c, m]) => [c, new Map([...m].map(([k, u]) => [k, unitsToCents(u)]))]));
}

/**
 * Real exports, read the way the FOCUS specification and the providers write them (independently of Tally's reader):
 * `NULL` or an empty cell is a null, a UTF-8 BOM and CRLF line ends are only encoding, and date-times are UTC
 * whichever way they are spelt.
 */

/** A FOCUS row: column name → value, `null` where the file holds a FOCUS null. */
export type FocusRow = Record<string, string | null>;

/** A FOCUS null as exports write it: an empty cell, or the token `NULL` (FOCUS sample data, AWS, OCI). */
export function isFocusNull(value: string | undefined): boolean {
  return value === undefined || value === '' || value === 'NULL';
}

/** The header and every record of a FOCUS CSV as csv-parse reads them (BOM dropped; records may be short). */
export function readFocusCsv(path: string): { header: string[]; records: string[][] } {
  const all = parse(readFileSync(path), { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const [header = [], ...records] = all;
  return { header, records };
}

/** The records that have exactly the header's fields, as rows with FOCUS nulls as `null`. */
export function focusRows(path: string): FocusRow[] {
  const { header, records } = readFocusCsv(path);
  return records
    .filter((r) => r.length === header.length)
    .map((r) => Object.fromEntries(header.map((h, i) => [h, isFocusNull(r[i]) ? null : (r[i] ?? null)])));
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A FOCUS date-time as milliseconds since the epoch. Accepts `T` or a space, fractional seconds, and `Z`, ` UTC`,
 * `+00`, `+00:00` or no zone (which FOCUS defines as UTC). Throws on anything else and on impossible dates
 * (`2024-09-31`).
 */
export function focusInstant(text: string): number {
  const m = DATE_TIME.exec(text.trim());
  if (!m) throw new Error(`not a FOCUS date-time: ${text}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d))
    throw new Error(`impossible date: ${text}`);
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'UTC') {
    const [, sign, hh, mm = '00'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? [];
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
  }
  const millis = Math.floor(Number(`0.${frac || '0'}`) * 1000);
  return date.getTime() + ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + millis - offsetMinutes * 60_000;
}

/** Whether a value is a valid FOCUS date-time (see `focusInstant`). */
export function isFocusDateTime(text: string): boolean {
  try {
    focusInstant(text);
    return true;
  } catch {
    return false;
  }
}

/** The UTC day (`YYYY-MM-DD`) of a FOCUS date-time. */
export function focusUtcDay(text: string): string {
  return new Date(focusInstant(text)).toISOString().slice(0, 10);
}

/**
 * Expected sums to the cent, per currency and key, of the rows whose ChargePeriodStart falls on a UTC day in
 * [from, to]; amounts are summed exactly. Refuses a sum that is exactly half a cent (the rounding rule alone would
 * decide it: a fixture should not depend on that). Returns `Map<currency, Map<key, cents>>`.
 */
export function expectedFocusSums(
  rows: FocusRow[],
  opts: { from: string; to: string; amount: string; key: (r: FocusRow) => string },
): Map<string, Map<string, number>> {
  const units = new Map<string, Map<string, bigint>>();
  for (const r of rows) {
    const day = focusUtcDay(r.ChargePeriodStart ?? '');
    if (day < opts.from || day > opts.to) continue;
    const amount = r[opts.amount];
    if (amount === null || amount === undefined) throw new Error(`${opts.amount} is null: FOCUS never allows that`);
    const cur = r.BillingCurrency ?? '';
    const byKey = units.get(cur) ?? new Map<string, bigint>();
    units.set(cur, byKey);
    const k = opts.key(r);
    byKey.set(k, (byKey.get(k) ?? 0n) + toUnits(amount));
  }
  return new Map(
    [...units].map(([c, m]) => [
      c,
      new Map(
        [...m].map(([k, u]) => {
          if (isHalfCentTie(u)) throw new Error(`the ${c} sum for "${k}" is exactly half a cent`);
          return [k, unitsToCents(u)];
        }),
      ),
    ]),
  );
}
