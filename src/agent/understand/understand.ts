import leven from 'leven';
import type { Command } from '../../commands/command.types.js';
import type { CostFilter, Dimension } from '../../costs/cost-query.types.js';
import type { Day } from '../../shared/day.js';
import { addDays, addMonths, daysBetween } from '../../shared/day.js';
import { commandText } from './command-text.js';
import { findNames, NAME_WORDS } from './names.js';
import { countOf, type FoundPeriod, findPeriods } from './periods.js';
import type { Vocabulary } from './vocabulary.js';
import { FILLER, use, type Word, wordsOf } from './words.js';

/** What a question means to Tally: a command (with what it read and left out), a question back, or no such name. */
export type Understanding =
  | { kind: 'command'; command: Command; asText: string; readings: string[]; ignored: string[] }
  | { kind: 'ask'; question: string; choices: { label: string; command: string }[] }
  | { kind: 'no-match'; names: string[]; suggestions: string[] };

const FORECAST =
  /\b(forecast|will we spend|going to spend|end of (the )?month|month[- ]end|projected|projection|on track)\b|\bwill\b.*\b(cost|spend|be)\b/;
const GROWTH =
  /\b(grew|grow|growth|increased?|increases|jump(ed|s)?|went up|rose|rise|spiked?|changed? (the )?most|biggest (change|mover)s?|movers?)\b/;
const COMPARE =
  /\b(compare[ds]?|comparison|vs|versus|v|against|compared|week over week|month over month|than|up or down|changed?|difference)\b/;
const BILLED = /\b(billed|invoiced?|invoices)\b/;
const DIMENSION_WORDS: [RegExp, Dimension][] = [
  [/^(services?|servcie)$/, { kind: 'service' }],
  [/^(accounts?|subscriptions?|projects?|acount)$/, { kind: 'account' }],
  [/^(providers?|clouds?|vendors?)$/, { kind: 'provider' }],
  [/^regions?$/, { kind: 'region' }],
  [/^(categor(y|ies))$/, { kind: 'category' }],
  [/^(day|days|daily)$/, { kind: 'day' }],
  [/^(week|weeks|weekly)$/, { kind: 'week' }],
  [/^(month|months|monthly)$/, { kind: 'month' }],
];
const DIMENSION_LEADS = new Set(['by', 'per', 'each', 'which', 'what', 'every', 'split', 'wich']);

/**
 * Understands a question without a language model (docs/architecture.md#questions-as-people-ask-them): its periods,
 * names resolved against the data, the breakdown, top N, the metric, and whether it asks for a change, the biggest
 * riser or the forecast. Every word is used or returned in `ignored`; a word read two ways becomes a question back.
 */
export function understand(text: string, v: Vocabulary, today: Day, fiscalYearStart = 1): Understanding | null {
  const names = [
    ...v.providers,
    ...v.services,
    ...v.categories,
    ...v.regions,
    ...v.accounts.map((a) => a.name),
    ...[...v.tags].flatMap(([k, values]) => [k, ...values]),
  ];
  const known = [...names, ...NAME_WORDS];
  const words = wordsOf(text, known);
  const joined = words.map((w) => w.text).join(' ');
  const periods = findPeriods(words, today, fiscalYearStart);
  const found = findNames(words, v);
  const filter = found.filter;
  const metric = BILLED.test(joined) ? ('billed' as const) : ('effective' as const);
  const top = findTop(words);
  const bottom = /\b(bottom|cheapest|least expensive|smallest|lowest)\b/.test(joined);
  const runRate = /\b(run[- ]?rate|daily average|average (per|a) day|per day on average|burn rate)\b/.test(joined);
  markUsed(words, /^(bottom|cheapest|least|smallest|lowest|run|rate|run-rate|runrate|average|burn)$/);
  let groupBy = findDimension(words, v);
  const thenBy = groupBy ? findDimension(words, v) : null;
  markUsed(words, /^(billed|invoiced?|invoices|top|biggest|largest|most|expensive|costliest)$/);

  let command: Command;
  if (FORECAST.test(joined)) {
    markUsed(words, /^(forecast|projected|projection|track|end|month-end|will|going)$/);
    command = { kind: 'forecast', metric, filter, ...(groupBy ? { groupBy } : {}) };
  } else if (GROWTH.test(joined) || (COMPARE.test(joined) && (periods.length >= 2 || periods.length === 1))) {
    const grew = GROWTH.test(joined);
    markUsed(
      words,
      /^(grew|grow|growth|increased?|increases|jump(ed|s)?|went|up|rose|rise|spiked?|spikes|changed?|movers?|down|over)$/,
    );
    const [current, previous] = comparedPeriods(periods, words, today);
    if (grew) groupBy = groupBy ?? { kind: 'service' };
    command = {
      kind: 'compare',
      metric,
      current: { kind: 'range', from: current.from, to: current.to },
      previous: { kind: 'range', from: previous.from, to: previous.to },
      filter,
      ...(groupBy ? { groupBy } : {}),
      ...(grew || top ? { top: top ?? 5 } : {}),
    };
  } else {
    const p = periods[0];
    if (!p && !hasContent(words, filter, groupBy)) return null;
    command = {
      kind: 'cost',
      metric,
      period: p
        ? p.month && p.to >= addDays(addMonths(`${p.month}-01`, 1), -1)
          ? { kind: 'month', month: p.month }
          : { kind: 'range', from: p.from, to: p.to }
        : { kind: 'month-to-date' },
      filter,
      ...(groupBy ? { groupBy } : {}),
      ...(groupBy && thenBy && thenBy.kind !== groupBy.kind ? { thenBy } : {}),
      ...(top && groupBy ? { top } : {}),
      ...(bottom && top && groupBy ? { order: 'bottom' as const } : {}),
      ...(runRate ? { runRate: true } : {}),
    };
  }
  const ignored = words.filter((w) => !w.used && !FILLER.has(w.text) && !/^\d+$/.test(w.text)).map((w) => w.typed);
  if (ignored.length && isEmpty(filter) && command.kind !== 'forecast' && looksLikeName(ignored, words))
    return { kind: 'no-match', names: ignored, suggestions: nearest(ignored, names) };
  if (found.ambiguous) {
    const amb = found.ambiguous;
    return {
      kind: 'ask',
      question: `Which "${amb.word}" do you mean?`,
      choices: amb.readings.map((r) => ({
        label: r.label,
        command: commandText(withReading(command, amb.readings, r.filter)),
      })),
    };
  }
  return { kind: 'command', command, asText: commandText(command), readings: found.readings, ignored };
}

/** The command with one reading of the ambiguous word in place of the others. */
function withReading(command: Command, readings: { filter: CostFilter }[], chosen: CostFilter): Command {
  if (!('filter' in command)) return command;
  const f: CostFilter = structuredClone(command.filter);
  for (const r of readings) {
    for (const [k, values] of Object.entries(r.filter) as [keyof CostFilter, unknown[]][]) {
      if (k === 'tags')
        f.tags = (f.tags ?? []).filter(
          (t) => !(values as { key: string; value: string }[]).some((x) => x.key === t.key && x.value === t.value),
        );
      else if (k !== 'exclude' && k !== 'tagsIn')
        (f[k] as string[] | undefined) = (f[k] as string[] | undefined)?.filter(
          (x) => !(values as string[]).includes(x),
        );
    }
  }
  for (const [k, values] of Object.entries(chosen) as [keyof CostFilter, unknown[]][]) {
    if (k === 'tags') f.tags = [...(f.tags ?? []), ...(values as { key: string; value: string }[])];
    else if (k !== 'exclude' && k !== 'tagsIn')
      (f[k] as string[]) = [...((f[k] as string[] | undefined) ?? []), ...(values as string[])];
  }
  for (const k of Object.keys(f) as (keyof CostFilter)[])
    if (Array.isArray(f[k]) && (f[k] as unknown[]).length === 0) delete f[k];
  return { ...command, filter: f } as Command;
}

function isEmpty(f: CostFilter): boolean {
  return !Object.values(f).some((x) => (Array.isArray(x) ? x.length > 0 : x && typeof x === 'object'));
}

function hasContent(words: Word[], filter: CostFilter, groupBy: Dimension | null): boolean {
  return (
    !isEmpty(filter) ||
    groupBy !== null ||
    words.some((w) =>
      /^(spend|spent|spending|cost|costs|bill|billed|pay|paid|invoiced?|charges?|credits?|tax|taxes)$/.test(w.text),
    )
  );
}

/** "oracle", "phoenix": words that read as a name (not a verb or an everyday word), so an answer would be wrong. */
function looksLikeName(ignored: string[], words: Word[]): boolean {
  return ignored.length > 0 && words.some((w) => !w.used && ignored.includes(w.typed) && w.typed.length > 2);
}

function nearest(ignored: string[], names: string[]): string[] {
  const scored = names
    .map((n) => ({ n, d: Math.min(...ignored.map((i) => leven(i.toLowerCase(), n.toLowerCase()))) }))
    .filter((x) => x.d <= 3)
    .sort((a, b) => a.d - b.d);
  return [...new Set(scored.map((x) => x.n))].slice(0, 3);
}

function markUsed(words: Word[], pattern: RegExp): void {
  for (const w of words) if (pattern.test(w.text)) w.used = true;
}

/** "top 5", "five most expensive", "3 biggest", "which three accounts … most". */
function findTop(words: Word[]): number | null {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.text;
    const n = countOf(words[i + 1]?.text);
    if ((w === 'top' || w === 'biggest' || w === 'largest') && n) {
      use(words, i, i + 2);
      return n;
    }
    const m = countOf(w);
    const after = words[i + 1]?.text ?? '';
    if (
      m &&
      m <= 50 &&
      !words[i]!.used &&
      /^(most|biggest|largest|costliest|highest|top|services?|accounts?|providers?|regions?)$/.test(after)
    ) {
      use(words, i, i + 1);
      return m;
    }
  }
  return null;
}

/** "by service", "per account", "each cloud", "which services", "split by cloud provider", "team costs" (a tag key). */
function findDimension(words: Word[], v: Vocabulary): Dimension | null {
  const dimOf = (w: string | undefined): Dimension | null => {
    if (!w) return null;
    for (const [re, d] of DIMENSION_WORDS) if (re.test(w)) return d;
    if (/^teams?$/.test(w) && v.tags.has('team')) return { kind: 'tag', key: 'team' };
    return null;
  };
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.used) continue;
    const lead = DIMENSION_LEADS.has(words[i]!.text);
    // "by cloud provider", "split by team tag", "which azure services"
    for (let j = i + 1; j <= i + 3 && lead; j++) {
      const d = dimOf(words[j]?.text);
      if (d && !words[j]!.used) {
        use(words, i, j + 1);
        // "day by day", "month by month"
        if (i > 0 && dimOf(words[i - 1]?.text)?.kind === d.kind) use(words, i - 1, i);
        if (words[j + 1]?.text === 'tag') use(words, j + 1, j + 2);
        return d;
      }
    }
  }
  // "service breakdown", "team costs for oct", "top 5 services", "five most expensive services"
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const d = dimOf(w.text);
    if (!d || w.used) continue;
    const plural = /s$/.test(w.text) || /^(breakdown|costs?|spend|split|totals?|by)$/.test(words[i + 1]?.text ?? '');
    if (plural || d.kind === 'tag' || /ly$/.test(w.text)) {
      w.used = true;
      return d;
    }
  }
  return null;
}

/** The two periods of a comparison, later first; one period is compared with the same days before it. */
function comparedPeriods(periods: FoundPeriod[], words: Word[], today: Day): [FoundPeriod, FoundPeriod] {
  markUsed(
    words,
    /^(before|prior|previous|same|days|week|month|period|over|compared|vs|versus|against|than|more|less)$/,
  );
  const [a, b] = periods;
  if (a && b && !(a.from === b.from && a.to === b.to)) return a.from >= b.from ? [a, b] : [b, a];
  const current = a ?? { from: addDays(today, -7), to: addDays(today, -1), label: 'last 7 days', at: 0 };
  return [current, shifted(current)];
}

/** The same days one period unit earlier: a week, a month, a quarter, a year, or as many days. */
function shifted(p: FoundPeriod): FoundPeriod {
  const days = daysBetween(p.from, p.to) + 1;
  const months = /quarter|^Q\d/.test(p.label)
    ? 3
    : /year|^\d{4}$/.test(p.label)
      ? 12
      : p.month || /month/.test(p.label)
        ? 1
        : 0;
  if (months) {
    const from = addMonths(p.from, -months);
    return {
      from,
      to: addMonths(p.to, -months) < from ? from : addMonths(p.to, -months),
      label: 'the period before',
      at: p.at,
    };
  }
  const by = /week|weekend|monday/i.test(p.label) ? 7 : days;
  return { from: addDays(p.from, -by), to: addDays(p.to, -by), label: 'the period before', at: p.at };
}
