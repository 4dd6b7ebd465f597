import type { Reply } from '../../src/shared/reply.types.js';
import type { Amounts, Expected, ExpectedChange, ExpectedRow } from './eval-oracle.js';
import type { QuestionGroup } from './questions/question-group.types.js';

/**
 * Judges one reply against a group's expected figures (docs/evaluation.md). A reply is right when its `data` carries
 * the figures of the question asked — its filters and its period — to the cent: figures of another question (month
 * to date for "in October", every cloud for "AWS") fail. A clarifying question is right only where the group allows
 * asking; words a group must name are looked for outside the "Understood as" line.
 */

type Data = Record<string, unknown>;

const CENT = 0.005 + 1e-9;
const isData = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Data[] => (Array.isArray(v) ? v.filter(isData) : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const same = (actual: unknown, expected: number): boolean => {
  const n = num(actual);
  return n !== null && Math.abs(n - expected) <= CENT;
};
const money = (n: number): string => n.toFixed(2);

/** The data objects of a reply: its own, and for agent replies the data of each tool result. */
function dataOf(reply: Reply): Data[] {
  return isData(reply.data) ? [reply.data, ...list(reply.data.results)] : [];
}

/** Whether a reply carries cost figures at all (a non-zero total, or any per-currency result). */
function hasFigures(reply: Reply): boolean {
  return dataOf(reply).some(
    (d) => list(d.totals).some((t) => (num(t.total) ?? 0) !== 0) || list(d.currencies).length > 0,
  );
}

/**
 * A clarifying question: no figures, a question mark in its title or text, and at least two readings to choose from
 * (buttons, or `data.choices`).
 */
function isClarifyingQuestion(reply: Reply): boolean {
  const asks = `${reply.title} ${reply.text ?? ''}`.includes('?');
  const choices = Math.max(reply.buttons?.length ?? 0, isData(reply.data) ? list(reply.data.choices).length : 0);
  return asks && choices >= 2 && !hasFigures(reply);
}

/** The reply's words, without the "Understood as" line (which echoes the question back). */
function wordsOf(reply: Reply): string {
  const parts = [
    reply.title,
    reply.text ?? '',
    reply.footnote ?? '',
    ...(reply.fields ?? []).flatMap((f) => [f.label, f.value]),
    ...(reply.items ?? []).flatMap((i) => [i.title, i.text ?? '']),
    ...(reply.context ?? []).filter((c) => !c.startsWith('Understood as')),
  ];
  return parts.join('\n').toLowerCase();
}

/** Per-currency amounts of a reply: every expected currency equal to the cent, no other currency non-zero. */
function amountsFailures(what: string, got: Map<string, unknown>, want: Amounts): string[] {
  const out: string[] = [];
  for (const [currency, amount] of want) {
    if (!same(got.get(currency), amount))
      out.push(`${what} ${currency}: expected ${money(amount)}, got ${String(got.get(currency) ?? 'none')}`);
  }
  for (const [currency, amount] of got) {
    if (!want.has(currency) && (num(amount) ?? 0) !== 0)
      out.push(`${what} ${currency}: expected none, got ${String(amount)}`);
  }
  return out;
}

const byCurrency = (rows: Data[], field: string): Map<string, unknown> =>
  new Map(rows.map((r) => [String(r.currency), r[field]]));

/** Whether a reply row is the expected row: by key, or by the other name (an account's name). */
function isRow(row: Data, want: { key: string; alias?: string }): boolean {
  const names = [row.key, row.label].filter((v): v is string => typeof v === 'string');
  if (/^\d{4}-\d{2}$/.test(want.key)) return names.some((n) => n === want.key || n === `${want.key}-01`);
  return names.some((n) => n === want.key || (want.alias !== undefined && n === want.alias));
}

function breakdownFailures(d: Data, want: Extract<Expected, { kind: 'breakdown' }>): string[] {
  if (!Array.isArray(d.totals)) return ['no totals'];
  const out = amountsFailures('total', byCurrency(list(d.totals), 'total'), want.totals);
  const rows = list(d.rows);
  const single = list(d.totals).length === 1 ? String(list(d.totals)[0]?.currency) : undefined;
  const currencyOf = (r: Data): string => String(r.currency ?? d.currency ?? single);
  for (const [currency, expected] of want.rows) {
    const mine = rows.filter((r) => currencyOf(r) === currency);
    for (const e of expected) out.push(...rowFailure(mine, e, currency));
    const listed = mine.filter((r) => r.key !== 'Other').length;
    if (want.limit !== undefined && listed > want.limit)
      out.push(`${currency}: expected at most ${want.limit} rows, got ${listed}`);
  }
  return out;
}

function rowFailure(rows: Data[], e: ExpectedRow, currency: string): string[] {
  const row = rows.find((r) => isRow(r, e));
  if (row && same(row.cost, e.amount)) return [];
  return [`row ${e.alias ?? e.key} ${currency}: expected ${money(e.amount)}, got ${row ? String(row.cost) : 'none'}`];
}

/** A comparison's figures in one orientation (`swap`: the reply put the periods the other way round). */
function compareFailures(d: Data, want: Extract<Expected, { kind: 'compare' }>, swap: boolean): string[] {
  const currencies = list(d.currencies);
  if (!Array.isArray(d.currencies)) return ['no comparison'];
  const [now, before] = swap ? ['previous', 'current'] : ['current', 'previous'];
  const out = [
    ...amountsFailures(now, byCurrency(currencies, now), want.current),
    ...amountsFailures(before, byCurrency(currencies, before), want.previous),
  ];
  for (const [currency, expected] of want.rows) {
    const rows = list(currencies.find((c) => c.currency === currency)?.rows);
    for (const e of expected) out.push(...changeFailure(rows, e, currency, [now, before]));
  }
  return out;
}

function changeFailure(rows: Data[], e: ExpectedChange, currency: string, [now, before]: string[]): string[] {
  const row = rows.find((r) => isRow(r, e));
  if (row && same(row[now ?? ''], e.current) && same(row[before ?? ''], e.previous)) return [];
  const got = row ? `${String(row[now ?? ''])} vs ${String(row[before ?? ''])}` : 'none';
  return [`${e.alias ?? e.key} ${currency}: expected ${money(e.current)} vs ${money(e.previous)}, got ${got}`];
}

function grewFailures(d: Data, want: Extract<Expected, { kind: 'grew-most' }>): string[] {
  const currencies = list(d.currencies);
  if (!Array.isArray(d.currencies)) return ['no comparison'];
  const out = [
    ...amountsFailures('current', byCurrency(currencies, 'current'), want.current),
    ...amountsFailures('previous', byCurrency(currencies, 'previous'), want.previous),
  ];
  for (const [currency, top] of want.top) {
    const rows = list(currencies.find((c) => c.currency === currency)?.rows);
    const rose = [...rows].sort((a, b) => (num(b.change) ?? 0) - (num(a.change) ?? 0))[0];
    if (!rose || !isRow(rose, top))
      out.push(`rose most ${currency}: expected ${top.alias ?? top.key}, got ${String(rose?.key ?? 'none')}`);
    out.push(...changeFailure(rows, top, currency, ['current', 'previous']));
  }
  return out;
}

function forecastFailures(d: Data, want: Extract<Expected, { kind: 'forecast' }>): string[] {
  const currencies = list(d.currencies).filter((c) => 'actual' in c);
  if (currencies.length === 0) return ['no forecast'];
  return amountsFailures('month to date', byCurrency(currencies, 'actual'), want.actual);
}

/** The failures of one data object against the expected figures. */
function figureFailures(d: Data, want: Expected): string[] {
  switch (want.kind) {
    case 'total':
      return Array.isArray(d.totals)
        ? amountsFailures('total', byCurrency(list(d.totals), 'total'), want.totals)
        : ['no totals'];
    case 'breakdown':
      return breakdownFailures(d, want);
    case 'compare': {
      const forward = compareFailures(d, want, false);
      return forward.length === 0 ? [] : compareFailures(d, want, true).length === 0 ? [] : forward;
    }
    case 'grew-most':
      return grewFailures(d, want);
    case 'forecast':
      return forecastFailures(d, want);
    case 'no-match':
      return hasFiguresIn(d) ? ['gave figures for a name the data does not hold'] : [];
  }
}

const hasFiguresIn = (d: Data): boolean =>
  list(d.totals).some((t) => (num(t.total) ?? 0) !== 0) || list(d.currencies).length > 0;

/** Why `reply` is not a right answer to a question of `group` (empty when it is). */
export function judgeReply(reply: Reply, group: QuestionGroup, want: Expected): string[] {
  if (isClarifyingQuestion(reply))
    return group.mayAsk ? [] : [`asked back ("${reply.title}") where the question has one reading`];
  const words = wordsOf(reply);
  const unnamed = (group.mustName ?? []).filter((w) => !words.includes(w.toLowerCase()));
  const naming = unnamed.map((w) => `does not name "${w}"`);
  if (want.kind === 'no-match') {
    const zero = /no cost data/i.test(words) ? ['says "no cost data", which reads as zero spend'] : [];
    return [...naming, ...zero, ...dataOf(reply).flatMap((d) => figureFailures(d, want))];
  }
  // A reply that names what it could not use may leave figures out; figures it gives must be right.
  if (group.mustName && naming.length === 0 && !hasFigures(reply)) return [];
  const candidates = dataOf(reply);
  const outcomes = candidates.map((d) => figureFailures(d, want));
  if (outcomes.some((o) => o.length === 0)) return naming;
  return [...naming, ...(outcomes[0] ?? [`no data (${reply.kind}: ${reply.title})`])];
}
