import type { CostFilter, Dimension } from '../costs/cost-query.types.js';
import type { Metric } from '../costs/cost-record.types.js';
import type { PeriodSpec } from '../costs/period.js';
import { checkPeriodSpec } from './check-period.js';
import type { Command, ComparePeriod, LaterFeature, ParseResult } from './command.types.js';
import { echo } from './echo.js';
import { COST_NOUNS, matchDimension, matchMetric, matchPeriod, matchPreviousPhrase } from './grammar-words.js';
import { parseAnomaliesCommand } from './parse-anomalies-command.js';
import { parseApprovalCommand } from './parse-approval-command.js';
import { parseBudgetCommand } from './parse-budget-command.js';
import { parseDigestCommand } from './parse-digest-command.js';
import { matchFilter } from './parse-filter.js';
import { parseRecommendationCommand } from './parse-recommendation-command.js';
import type { Token } from './tokenize.js';
import { tokenize } from './tokenize.js';

const LATER: ReadonlyMap<string, LaterFeature> = new Map();

const STARTERS = new Set([
  ...COST_NOUNS,
  'effective',
  'amortized',
  'amortised',
  'billed',
  'invoiced',
  'list',
  'by',
  'top',
]);
const FILLER = new Set(['the', 'of', 'over', 'during', 'total', 'show', 'me', 'our', 'per', 'all', 'in']);
const VERSUS = new Set(['vs', 'vs.', 'versus', 'against', 'with', 'to']);

/** The clauses a cost question may contain, collected in any order. */
interface Clauses {
  metric?: Metric;
  period?: PeriodSpec;
  groupBy?: Dimension;
  thenBy?: Dimension;
  top?: number;
  order?: 'bottom';
  runRate?: boolean;
  filter: CostFilter;
}

/**
 * Parses one line of the command language. Never throws: anything it cannot read is a value. A period whose parts are
 * out of range (`2026-13`, `last 2147483648 days`) is `INVALID`, naming the part.
 */
export function parseCommand(input: string): ParseResult {
  const parsed = parseLine(input);
  if (!parsed.ok) return parsed;
  const c = parsed.command;
  const periods =
    c.kind === 'cost' || c.kind === 'anomalies'
      ? [c.period]
      : c.kind === 'compare'
        ? [c.current, ...(c.previous.kind === 'previous' ? [] : [c.previous])]
        : [];
  for (const period of periods) {
    const problem = checkPeriodSpec(period);
    if (problem)
      return invalid(problem, c.kind === 'anomalies' ? 'anomalies' : c.kind === 'compare' ? 'compare' : 'cost');
  }
  return parsed;
}

function parseLine(input: string): ParseResult {
  const tokens = tokenize(input.trim());
  const first = tokens[0];
  if (!first) return { ok: false, reason: 'EMPTY' };
  const head = first.lower;
  if (head === 'help' || head === '?' || head === 'usage') return ok({ kind: 'help', topic: tokens[1]?.lower });
  if (head === 'status' && tokens.length === 1) return ok({ kind: 'status' });
  if (head === 'access' && (tokens.length === 1 || (tokens.length === 2 && tokens[1]?.lower === 'all')))
    return ok({ kind: 'access', all: tokens.length === 2 });
  const approval = parseApprovalCommand(input) ?? parseRecommendationCommand(input);
  if (approval) return approval;
  const anomalies = parseAnomaliesCommand(input);
  if (anomalies) return anomalies;
  const digest = parseDigestCommand(input);
  if (digest) return digest;
  const budget = parseBudgetCommand(input);
  if (budget) return budget;
  const later = LATER.get(head);
  if (later) return ok({ kind: 'later', feature: later, text: input.trim() });
  if (head === 'compare') return parseCompare(tokens.slice(1));
  if (head === 'forecast') return parseForecast(tokens.slice(1));
  return parseCost(tokens, STARTERS.has(head) || matchPeriod(tokens, 0) !== null, /\?\s*$/.test(input));
}

function ok(command: Command): ParseResult {
  return { ok: true, command };
}

function invalid(message: string, topic: string): ParseResult {
  return { ok: false, reason: 'INVALID', message, topic };
}

const DIMENSIONS_HINT = 'provider, account, service, category, region, charge, resource or tag:<key>';

/**
 * A word the grammar could not place. After "by" it is a wrong dimension: usage help. Anything else means the line
 * is a sentence ("spend on EKS from … to …"), which goes to the free-text path.
 */
function notUnderstood(tokens: Token[], unknown: Token, topic: string): ParseResult {
  const i = tokens.indexOf(unknown);
  const next = tokens[i + 1];
  if ((unknown.lower === 'by' || unknown.lower === 'per') && next)
    return invalid(`${echo(next.text)} is not something Tally can break costs down by; use ${DIMENSIONS_HINT}.`, topic);
  return { ok: false, reason: 'NOT_A_COMMAND' };
}

/** Reads clauses from `t` until `stop` says so. Returns the index it stopped at, or the first unknown word. */
function readClauses(
  t: Token[],
  start: number,
  into: Clauses,
  stop?: (i: number) => boolean,
): { end: number; unknown?: Token } {
  let i = start;
  while (i < t.length) {
    if (stop?.(i)) return { end: i };
    const step = readClause(t, i, into);
    if (step === 0) return { end: i, unknown: t[i] };
    i += step;
  }
  return { end: i };
}

function readClause(t: Token[], i: number, into: Clauses): number {
  const w = t[i]!;
  if (!w.quoted && COST_NOUNS.has(w.lower)) return 1;
  const metric = matchMetric(t, i);
  if (metric) {
    into.metric = metric.value;
    return metric.length;
  }
  const period = matchPeriod(t, i);
  if (period) {
    into.period = period.value;
    return period.length;
  }
  // `by service`, then `by region` / `and region` / `then region` for a second dimension.
  const second = into.groupBy && ['and', 'then'].includes(w.lower);
  if (!w.quoted && (w.lower === 'by' || w.lower === 'per' || second) && t[i + 1]) {
    const dim = matchDimension(t, i + 1);
    if (dim && into.groupBy && !into.thenBy) {
      into.thenBy = dim.value;
      return 1 + dim.length;
    }
    if (dim && !second) {
      into.groupBy = dim.value;
      return 1 + dim.length;
    }
  }
  if (
    !w.quoted &&
    (w.lower === 'run-rate' || w.lower === 'runrate' || (w.lower === 'run' && t[i + 1]?.lower === 'rate'))
  ) {
    into.runRate = true;
    return w.lower === 'run' ? 2 : 1;
  }
  if (!w.quoted && w.lower === 'bottom') {
    into.order = 'bottom';
    return readTop(t, i, into);
  }
  if (!w.quoted && w.lower === 'top') return readTop(t, i, into);
  const filter = matchFilter(t, i, into.filter);
  if (filter > 0) return filter;
  if (!w.quoted && FILLER.has(w.lower)) return 1;
  return 0;
}

/** `top 5 services`, `top services`, `top 10`. */
function readTop(t: Token[], i: number, into: Clauses): number {
  let j = i + 1;
  let n = 5;
  if (/^\d+$/.test(t[j]?.lower ?? '')) {
    n = Number(t[j]!.lower);
    j++;
  }
  into.top = n;
  const dim = matchDimension(t, j);
  if (dim) {
    into.groupBy = dim.value;
    j += dim.length;
  }
  return j - i;
}

function parseCost(tokens: Token[], looksLikeCommand: boolean, question: boolean): ParseResult {
  const clauses: Clauses = { filter: {} };
  const { unknown } = readClauses(tokens, 0, clauses);
  if (unknown) {
    // A question ("spend over the last fortnight?") is free text for the agent, not a malformed command.
    if (!looksLikeCommand || question) return { ok: false, reason: 'NOT_A_COMMAND' };
    return notUnderstood(tokens, unknown, 'cost');
  }
  if (clauses.top !== undefined && !(clauses.top >= 1 && clauses.top <= 100))
    return invalid('Top N takes a number from 1 to 100.', 'cost');
  if (clauses.top !== undefined && !clauses.groupBy) clauses.groupBy = { kind: 'service' };
  const dimKey = (d: Dimension) => (d.kind === 'tag' ? `tag:${d.key}` : d.kind);
  if (clauses.thenBy && clauses.groupBy && dimKey(clauses.thenBy) === dimKey(clauses.groupBy))
    return invalid('Break costs down by two different dimensions, e.g. `by service and region`.', 'cost');
  return ok({
    kind: 'cost',
    metric: clauses.metric ?? 'effective',
    period: clauses.period ?? { kind: 'month-to-date' },
    filter: clauses.filter,
    ...(clauses.groupBy ? { groupBy: clauses.groupBy } : {}),
    ...(clauses.thenBy ? { thenBy: clauses.thenBy } : {}),
    ...(clauses.top !== undefined ? { top: clauses.top } : {}),
    ...(clauses.order ? { order: clauses.order } : {}),
    ...(clauses.runRate ? { runRate: true } : {}),
  });
}

/** `compare last week vs the week before by service`. */
function parseCompare(tokens: Token[]): ParseResult {
  const first: Clauses = { filter: {} };
  const isVersus = (i: number) => VERSUS.has(tokens[i]?.lower ?? '') && !tokens[i]?.quoted;
  const a = readClauses(tokens, 0, first, isVersus);
  if (a.unknown) return notUnderstood(tokens, a.unknown, 'compare');
  if (!first.period)
    return invalid('Say which period to compare, e.g. `compare last week vs the week before`.', 'compare');
  let previous: ComparePeriod = { kind: 'previous' };
  let i = a.end;
  if (isVersus(i)) {
    i++;
    const prev = matchPreviousPhrase(tokens, i) ?? matchPeriod(tokens, i);
    if (!prev) return invalid('After "vs", name a period, e.g. `the week before` or `last month`.', 'compare');
    previous = prev.value;
    i += prev.length;
  }
  const rest: Clauses = { filter: first.filter };
  const b = readClauses(tokens, i, rest);
  if (b.unknown) return notUnderstood(tokens, b.unknown, 'compare');
  const groupBy = rest.groupBy ?? first.groupBy;
  const top = rest.top ?? first.top;
  return ok({
    kind: 'compare',
    metric: rest.metric ?? first.metric ?? 'effective',
    current: first.period,
    previous: rest.period && previous.kind === 'previous' ? rest.period : previous,
    filter: first.filter,
    ...(groupBy ? { groupBy } : {}),
    ...(top !== undefined ? { top } : {}),
  });
}

function parseForecast(tokens: Token[]): ParseResult {
  const clauses: Clauses = { filter: {} };
  const { unknown } = readClauses(tokens, 0, clauses);
  if (unknown) return notUnderstood(tokens, unknown, 'forecast');
  if (clauses.period && clauses.period.kind !== 'this-month' && clauses.period.kind !== 'month-to-date')
    return invalid('Tally forecasts the current month: try `forecast` or `forecast by service`.', 'forecast');
  return ok({
    kind: 'forecast',
    metric: clauses.metric ?? 'effective',
    filter: clauses.filter,
    ...(clauses.groupBy ? { groupBy: clauses.groupBy } : {}),
  });
}
