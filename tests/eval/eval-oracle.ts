import { toUnits, unitsToCents } from '../support/decimal-sum.js';
import { type FocusRow, focusUtcDay } from '../support/focus-oracle.js';
import { DATA_END, type DayRange, mondayOf, PERIOD } from './questions/eval-calendar.js';
import type { Dimension, Expectation, Where } from './questions/question-group.types.js';

/**
 * Expected figures of a question group, computed from the rows of the eval's FOCUS file with exact decimal sums and
 * the eval's own day arithmetic — never with Tally's query or period code.
 */

/** Currency → amount in cents. */
export type Amounts = Map<string, number>;

/** A row of a breakdown: `key` is the FOCUS value; `alias` another name a reply may use (an account's name). */
export interface ExpectedRow {
  key: string;
  alias?: string;
  amount: number;
}

export interface ExpectedChange {
  key: string;
  alias?: string;
  current: number;
  previous: number;
  change: number;
}

export type Expected =
  | { kind: 'total'; totals: Amounts }
  /** `rows`: per currency, the rows to find (largest first); `limit`: the most rows a reply may list. */
  | { kind: 'breakdown'; totals: Amounts; rows: Map<string, ExpectedRow[]>; limit?: number }
  | { kind: 'compare'; current: Amounts; previous: Amounts; rows: Map<string, ExpectedChange[]> }
  | { kind: 'grew-most'; current: Amounts; previous: Amounts; top: Map<string, ExpectedChange> }
  | { kind: 'forecast'; actual: Amounts }
  | { kind: 'no-match' };

/** Rows checked in a breakdown or comparison without a `top`. */
const ROWS_CHECKED = 5;

const tagsOf = (r: FocusRow): Record<string, string> => (r.Tags ? (JSON.parse(r.Tags) as Record<string, string>) : {});

function matches(r: FocusRow, where: Where = {}): boolean {
  const one = (values: string[] | undefined, v: string | null) => !values || (v !== null && values.includes(v));
  if (!one(where.provider, r.ProviderName ?? null) || !one(where.service, r.ServiceName ?? null)) return false;
  if (!one(where.category, r.ServiceCategory ?? null) || !one(where.account, r.SubAccountId ?? null)) return false;
  if (!one(where.region, r.RegionId ?? null) || !one(where.charge, r.ChargeCategory ?? null)) return false;
  if (where.notCharge?.includes(r.ChargeCategory ?? '')) return false;
  const tags = where.tags ? tagsOf(r) : {};
  return Object.entries(where.tags ?? {}).every(([k, values]) => values.includes(tags[k] ?? '\u0000'));
}

function keyOf(r: FocusRow, by: Dimension | undefined, day: string): string {
  if (!by) return '';
  if (by.startsWith('tag:')) return tagsOf(r)[by.slice(4)] ?? '';
  const columns: Record<string, string> = {
    provider: 'ProviderName',
    account: 'SubAccountId',
    service: 'ServiceName',
    category: 'ServiceCategory',
    region: 'RegionId',
    charge: 'ChargeCategory',
  };
  if (by === 'day') return day;
  if (by === 'week') return mondayOf(day);
  if (by === 'month') return day.slice(0, 7);
  return r[columns[by] ?? ''] ?? '';
}

interface Sums {
  /** currency → key → exact sum (decimal units of tests/support/decimal-sum.ts) */
  byKey: Map<string, Map<string, bigint>>;
  /** key → another name (account names) */
  aliases: Map<string, string>;
}

/** UTC day of each row, read once per row (the same rows are summed for every group). */
const days = new WeakMap<FocusRow, string>();
function dayOf(r: FocusRow): string {
  const known = days.get(r);
  if (known) return known;
  const day = focusUtcDay(r.ChargePeriodStart ?? '');
  days.set(r, day);
  return day;
}

function sums(rows: FocusRow[], range: DayRange, opts: { metric?: string; where?: Where; by?: Dimension }): Sums {
  const column = opts.metric === 'billed' ? 'BilledCost' : 'EffectiveCost';
  const units = new Map<string, Map<string, bigint>>();
  const aliases = new Map<string, string>();
  for (const r of rows) {
    const day = dayOf(r);
    if (day < range.from || day > range.to || !matches(r, opts.where)) continue;
    const currency = r.BillingCurrency ?? '';
    const byKey = units.get(currency) ?? new Map<string, bigint>();
    units.set(currency, byKey);
    const key = keyOf(r, opts.by, day);
    byKey.set(key, (byKey.get(key) ?? 0n) + toUnits(r[column] ?? '0'));
    if (opts.by === 'account' && r.SubAccountName) aliases.set(key, r.SubAccountName);
  }
  return { byKey: units, aliases };
}

function totalsOf(s: Sums): Amounts {
  const out: Amounts = new Map();
  for (const [currency, byKey] of s.byKey) {
    out.set(currency, unitsToCents([...byKey.values()].reduce((a, b) => a + b, 0n)));
  }
  return out;
}

const withAlias = <T extends { key: string }>(row: T, aliases: Map<string, string>): T => {
  const alias = aliases.get(row.key);
  return alias && alias !== row.key ? { ...row, alias } : row;
};

function rowsOf(s: Sums, limit: number): Map<string, ExpectedRow[]> {
  const out = new Map<string, ExpectedRow[]>();
  for (const [currency, byKey] of s.byKey) {
    const rows = [...byKey]
      .filter(([k]) => k !== '')
      .map(([key, units]) => withAlias({ key, amount: unitsToCents(units) }, s.aliases))
      .sort((a, b) => b.amount - a.amount || a.key.localeCompare(b.key));
    out.set(currency, rows.slice(0, limit));
  }
  return out;
}

function changesOf(now: Sums, before: Sums): Map<string, ExpectedChange[]> {
  const out = new Map<string, ExpectedChange[]>();
  const aliases = new Map([...before.aliases, ...now.aliases]);
  for (const currency of new Set([...now.byKey.keys(), ...before.byKey.keys()])) {
    const a = now.byKey.get(currency) ?? new Map<string, bigint>();
    const b = before.byKey.get(currency) ?? new Map<string, bigint>();
    const rows = [...new Set([...a.keys(), ...b.keys()])]
      .filter((k) => k !== '')
      .map((key) => {
        const [current, previous] = [a.get(key) ?? 0n, b.get(key) ?? 0n];
        const cents = { current: unitsToCents(current), previous: unitsToCents(previous) };
        return withAlias({ key, ...cents, change: unitsToCents(current - previous) }, aliases);
      });
    out.set(currency, rows);
  }
  return out;
}

/** A period still running is cut at the last day with data. */
const upToData = (r: DayRange): DayRange => ({ from: r.from, to: r.to < DATA_END ? r.to : DATA_END });

/** The figures a right answer to `expect` carries, from `rows` (the eval's FOCUS file). */
export function expectedFigures(rows: FocusRow[], expect: Expectation): Expected {
  switch (expect.kind) {
    case 'total':
      return { kind: 'total', totals: totalsOf(sums(rows, expect.period, expect)) };
    case 'breakdown': {
      const s = sums(rows, expect.period, expect);
      const limit = expect.top ?? ROWS_CHECKED;
      return { kind: 'breakdown', totals: totalsOf(s), rows: rowsOf(s, limit), ...(expect.top ? { limit } : {}) };
    }
    case 'compare':
    case 'grew-most': {
      const now = sums(rows, upToData(expect.current), expect);
      const before = sums(rows, expect.previous, expect);
      const changes = changesOf(now, before);
      const current = totalsOf(now);
      const previous = totalsOf(before);
      if (expect.kind === 'compare') {
        const biggest = (list: ExpectedChange[]) =>
          [...list].sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.key.localeCompare(b.key));
        const top = new Map([...changes].map(([c, list]) => [c, expect.by ? biggest(list).slice(0, 5) : []]));
        return { kind: 'compare', current, previous, rows: top };
      }
      const top = new Map<string, ExpectedChange>();
      for (const [c, list] of changes) {
        const best = [...list].sort((a, b) => b.change - a.change || a.key.localeCompare(b.key))[0];
        if (best && best.change > 0) top.set(c, best);
      }
      return { kind: 'grew-most', current, previous, top };
    }
    case 'forecast':
      return { kind: 'forecast', actual: totalsOf(sums(rows, upToData(PERIOD.monthToDate), expect)) };
    case 'no-match':
      return { kind: 'no-match' };
  }
}
