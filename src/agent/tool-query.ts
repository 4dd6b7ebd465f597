import type { Command } from '../commands/command.types.js';
import { commandOfQuery } from '../commands/command-query.js';
import { COST_QUERY_VERSION, type CostQuery, costQuerySchema } from '../costs/cost-query.schema.js';
import { previousPeriod } from '../costs/period.js';
import type { Day } from '../shared/day.js';
import type { ComparePeriodsArgs, ForecastArgs, QueryCostsArgs } from './tool-args.schema.js';
import { findPeriods } from './understand/periods.js';
import { wordsOf } from './understand/words.js';

type Days = { from: Day; to: Day };

/** A tool's arguments as the command they run as, with the query it is; or why they cannot run. */
export type ToolQuery =
  | { ok: true; query: CostQuery; command: Command; notes: string[] }
  | { ok: false; error: string };

/** Tool arguments by the kind of query they make (the tool's name gives the kind). */
export type ToolArgs =
  | { kind: 'cost'; args: QueryCostsArgs }
  | { kind: 'compare'; args: ComparePeriodsArgs }
  | { kind: 'forecast'; args: ForecastArgs };

/**
 * A period from UTC days or a phrase (the query's `period`, docs/cost-query.md): the days win when both are given; a
 * phrase is read as the fast path reads questions (`findPeriods`, today from the clock), its first period counts.
 */
function periodOf(
  days: Days | undefined,
  phrase: string | undefined,
  today: Day,
  field: string,
  fiscalYearStart: number,
): { ok: true; period?: Days; note?: string } | { ok: false; error: string } {
  if (days)
    return { ok: true, period: days, ...(phrase ? { note: `${field}Phrase ignored: ${field} was given` } : {}) };
  if (!phrase) return { ok: true };
  const found = findPeriods(wordsOf(phrase, []), today, fiscalYearStart)[0];
  if (!found)
    return {
      ok: false,
      error: `Invalid arguments: no period in ${field}Phrase "${phrase}"; give ${field} as UTC days {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`,
    };
  return { ok: true, period: { from: found.from, to: found.to } };
}

/** Resolves a tool's arguments into the structured query (validated against its schema) and the command it runs as. */
export function toolQuery(t: ToolArgs, today: Day, fiscalYearStart = 1): ToolQuery {
  const a = t.args;
  const notes: string[] = [];
  let period: Days | undefined;
  let previous: Days | undefined;
  if (t.kind !== 'forecast') {
    const now = periodOf(t.args.period, t.args.periodPhrase, today, 'period', fiscalYearStart);
    if (!now.ok) return now;
    if (!now.period) return { ok: false, error: 'Invalid arguments: give period (UTC days) or periodPhrase' };
    period = now.period;
    if (now.note) notes.push(now.note);
  }
  if (t.kind === 'compare') {
    const before = periodOf(t.args.previous, t.args.previousPhrase, today, 'previous', fiscalYearStart);
    if (!before.ok) return before;
    previous = before.period ?? periodBefore(period!);
    if (before.note) notes.push(before.note);
  }
  const parsed = costQuerySchema.safeParse({
    version: COST_QUERY_VERSION,
    kind: t.kind,
    metric: a.metric ?? 'effective',
    ...(period ? { period } : {}),
    ...(previous ? { previous } : {}),
    ...(a.where ? { where: a.where } : {}),
    ...(a.exclude ? { exclude: a.exclude } : {}),
    ...(a.groupBy ? { groupBy: a.groupBy } : {}),
    ...('top' in a && a.top ? { top: a.top } : {}),
  });
  if (!parsed.success)
    return {
      ok: false,
      error: `Invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    };
  // A forecast has no period of its own (this month); the fallback is never read for it.
  const command = commandOfQuery(parsed.data, { from: today, to: today, label: 'today' });
  return { ok: true, query: parsed.data, command, notes };
}

/**
 * The period a comparison is made with when none is given: the month before for a month or the first days of one
 * (the same days, like for like), else as many days right before (`previousPeriod`, as `compare … vs the period
 * before` reads it).
 */
function periodBefore(p: Days): Days {
  const month = p.from.endsWith('-01') && p.from.slice(0, 7) === p.to.slice(0, 7) ? p.from.slice(0, 7) : null;
  const before = previousPeriod(month ? { kind: 'month', month } : { kind: 'range', ...p }, { ...p, label: '' });
  return { from: before.from, to: before.to };
}
