import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { toUnits, unitsToCents } from './decimal-sum.js';

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
