import type { CostFilter } from '../costs/cost-query.types.js';
import type { PeriodSpec } from '../costs/period.js';
import type { ParseResult } from './command.types.js';
import { echo } from './echo.js';
import { COST_NOUNS, matchPeriod } from './grammar-words.js';
import { matchFilter } from './parse-filter.js';
import { type Token, tokenize } from './tokenize.js';

const HEADS = new Set(['anomalies', 'anomaly']);
const FILLER = new Set(['the', 'in', 'show', 'me', 'all', 'any', 'over', 'during', 'of', 'detected', 'found']);

/** The period of a bare `anomalies`. */
export const DEFAULT_ANOMALY_PERIOD: PeriodSpec = { kind: 'last-days', days: 7 };

const invalid = (message: string): ParseResult => ({ ok: false, reason: 'INVALID', message, topic: 'anomalies' });

/**
 * `anomalies [period] [filters]`, also `anomaly …` and `cost anomalies …`: e.g. `anomalies`, `anomalies last 30 days`,
 * `anomalies from 2026-05-01 to 2026-05-31`, `anomalies this month for provider AWS`. The period defaults to the last
 * 7 days. Returns null when the line is not an anomalies command, so that the other parsers can try it.
 */
export function parseAnomaliesCommand(input: string): ParseResult | null {
  const tokens = tokenize(input.trim());
  const start = headLength(tokens);
  if (start === 0) return null;
  let period: PeriodSpec | undefined;
  const filter: CostFilter = {};
  for (let i = start; i < tokens.length; ) {
    const w = tokens[i]!;
    const p = matchPeriod(tokens, i);
    if (p) {
      if (period) return invalid('Give one period, e.g. `anomalies last 30 days`.');
      period = p.value;
      i += p.length;
      continue;
    }
    const f = matchFilter(tokens, i, filter);
    if (f > 0) {
      i += f;
      continue;
    }
    if (!w.quoted && FILLER.has(w.lower)) {
      i++;
      continue;
    }
    if (!w.quoted && (w.lower === 'by' || w.lower === 'per'))
      return invalid('Anomalies are found per service, account and in total; they take a period and filters only.');
    return invalid(`I do not understand ${echo(w.text)} after anomalies: give a period and filters.`);
  }
  return { ok: true, command: { kind: 'anomalies', period: period ?? DEFAULT_ANOMALY_PERIOD, filter } };
}

/** Tokens that start an anomalies command (`anomalies`, `cost anomalies`), or 0. */
function headLength(tokens: Token[]): number {
  const is = (t: Token | undefined, words: Set<string>) => !!t && !t.quoted && words.has(t.lower);
  if (is(tokens[0], HEADS)) return 1;
  if (is(tokens[0], COST_NOUNS) && is(tokens[1], HEADS)) return 2;
  return 0;
}
