import { BUDGET_PERIODS, type BudgetPeriod } from '../budgets/budget.types.js';
import type { BudgetDraft } from '../budgets/budget-validation.js';
import type { CostFilter } from '../costs/cost-query.types.js';
import type { BudgetCommand, ParseResult } from './command.types.js';
import { echo } from './echo.js';
import { matchMetric } from './grammar-words.js';
import { parseBudgetRequest } from './parse-budget-request.js';
import { matchFilter } from './parse-filter.js';
import type { Token } from './tokenize.js';
import { tokenize } from './tokenize.js';

const TOPIC = 'budget';
const EXAMPLE = '`budget set payments-team 12000 USD monthly for tag:team=payments owner @alice in #payments`';

const PERIOD_WORDS: ReadonlyMap<string, BudgetPeriod> = new Map([
  ['monthly', 'monthly'],
  ['month', 'monthly'],
  ['quarterly', 'quarterly'],
  ['quarter', 'quarterly'],
  ['yearly', 'yearly'],
  ['year', 'yearly'],
  ['annual', 'yearly'],
  ['annually', 'yearly'],
  ...BUDGET_PERIODS.map((p) => [p, p] as const),
]);
/** `fiscal quarterly`, `fiscal year`. */
const FISCAL_WORDS: ReadonlyMap<string, BudgetPeriod> = new Map([
  ['quarterly', 'fiscal-quarter'],
  ['quarter', 'fiscal-quarter'],
  ['yearly', 'fiscal-year'],
  ['year', 'fiscal-year'],
  ['annual', 'fiscal-year'],
]);
const CURRENCY_SIGNS: ReadonlyMap<string, string> = new Map([
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
]);
const OWNER_WORDS = new Set(['owner', 'owners', 'owned']);
const LIST = new Set(['list', 'ls', 'all']);
const REMOVE = new Set(['remove', 'delete', 'rm']);
const AMOUNT = /^([$€£])?(\d[\d,]*(?:\.\d+)?)(k|m)?$/i;
const NAME = /^[a-z0-9][a-z0-9._-]*$/i;

const ok = (command: BudgetCommand): ParseResult => ({ ok: true, command });
const invalid = (message: string): ParseResult => ({ ok: false, reason: 'INVALID', message, topic: TOPIC });

/**
 * The budget commands (docs/budgets.md#commands): `budget set <name> <amount> <currency> [monthly|quarterly|yearly|
 * fiscal quarterly|fiscal yearly] [for <filter>] [owner @a @b] [in #channel] [billed|list] [thresholds 50 80 100]
 * [forecast 100]`, `budget list` / `budgets`, `budget <name>`, `budget remove <name>`. Returns null when the line is
 * no budget command. What needs the data or the policy (tag keys, owners, a currency left out) is checked when the
 * budget is set, so that every problem is named at once.
 */
export function parseBudgetCommand(input: string): ParseResult | null {
  const t = tokenize(input.trim());
  const head = t[0]?.lower;
  if (head === 'budgets') return t.length === 1 ? ok({ kind: 'budget', action: 'list' }) : null;
  if (head !== 'budget') return null;
  const verb = t[1];
  if (!verb || (LIST.has(verb.lower) && t.length === 2)) return ok({ kind: 'budget', action: 'list' });
  if (REMOVE.has(verb.lower)) {
    const name = t[2];
    return name && t.length === 3 && NAME.test(name.text)
      ? ok({ kind: 'budget', action: 'remove', name: name.text.toLowerCase() })
      : invalid('Usage: `budget remove <name>`.');
  }
  if (verb.lower === 'set') return parseSet(t.slice(2));
  if (verb.lower === 'request') return parseBudgetRequest(input);
  if (t.length === 2 && NAME.test(verb.text)) return ok({ kind: 'budget', action: 'show', name: verb.lower });
  return invalid(
    `${echo(verb.text)} is not a budget command: use \`budget list\`, \`budget <name>\`, ${EXAMPLE} or \`budget remove <name>\`.`,
  );
}

/** What `budget set` has read so far. */
interface SetClauses {
  amount?: number;
  currency?: string;
  period?: BudgetPeriod;
  filter: CostFilter;
  owners: string[];
  channel?: string;
  metric?: BudgetDraft['metric'];
  actual?: number[];
  forecast?: number[];
}

function parseSet(t: Token[]): ParseResult {
  const name = t[0];
  if (!name) return invalid(`Usage: ${EXAMPLE}.`);
  const c: SetClauses = { filter: {}, owners: [] };
  let i = 1;
  while (i < t.length) {
    const step = readSetClause(t, i, c);
    if (typeof step === 'string') return invalid(step);
    if (step === 0) return invalid(`${echo(t[i]!.text)} is not part of a budget. Example: ${EXAMPLE}.`);
    i += step;
  }
  const draft: BudgetDraft = {
    name: name.text,
    filter: c.filter,
    owners: c.owners,
    ...(c.amount !== undefined ? { amount: c.amount } : {}),
    ...(c.currency ? { currency: c.currency } : {}),
    ...(c.period ? { period: c.period } : {}),
    ...(c.channel ? { channel: c.channel } : {}),
    ...(c.metric ? { metric: c.metric } : {}),
    ...(c.actual || c.forecast
      ? { thresholds: { ...(c.actual ? { actual: c.actual } : {}), ...(c.forecast ? { forecast: c.forecast } : {}) } }
      : {}),
  };
  return ok({ kind: 'budget', action: 'set', draft });
}

/** Reads one clause of `budget set`; the number of tokens read, 0 for an unknown word, or a message. */
function readSetClause(t: Token[], i: number, c: SetClauses): number | string {
  const w = t[i]!;
  const amount = !w.quoted ? AMOUNT.exec(w.text) : null;
  if (amount && c.amount === undefined) {
    const [, sign, digits = '', suffix] = amount;
    c.amount = Number(digits.replace(/,/g, '')) * (suffix ? (suffix.toLowerCase() === 'k' ? 1e3 : 1e6) : 1);
    if (sign) c.currency = CURRENCY_SIGNS.get(sign);
    // `12000 USD`: a three-letter word right after the amount is its currency.
    const next = t[i + 1];
    if (
      !c.currency &&
      next &&
      !next.quoted &&
      /^[a-z]{3}$/i.test(next.text) &&
      !PERIOD_WORDS.has(next.lower) &&
      next.lower !== 'for'
    ) {
      c.currency = next.text.toUpperCase();
      return 2;
    }
    return 1;
  }
  if (w.lower === 'fiscal' && FISCAL_WORDS.has(t[i + 1]?.lower ?? '')) {
    c.period = FISCAL_WORDS.get(t[i + 1]!.lower);
    return 2;
  }
  const period = PERIOD_WORDS.get(w.lower);
  if (period && !w.quoted) {
    c.period = period;
    return 1;
  }
  if (OWNER_WORDS.has(w.lower)) return readOwners(t, i + 1, c) + 1;
  if (w.lower.startsWith('@') || w.text.startsWith('<@')) return readOwners(t, i, c);
  if (w.lower === 'in' || w.lower === 'channel') return readChannel(t, i + 1, c);
  if (w.lower === 'thresholds' || w.lower === 'threshold' || w.lower === 'at')
    return readPercents(t, i + 1, c, 'actual');
  if (w.lower === 'forecast') return readPercents(t, i + 1, c, 'forecast');
  const metric = matchMetric(t, i);
  if (metric) {
    c.metric = metric.value;
    return metric.length;
  }
  return matchFilter(t, i, c.filter);
}

/** `@alice`, `<@U0ALICE>`, `<@U0ALICE|alice>`, `U0ALICE`, `29:…`; `and` and commas between them. */
function readOwners(t: Token[], i: number, c: SetClauses): number {
  let j = i;
  for (; j < t.length; j++) {
    const w = t[j]!;
    if (w.lower === 'and') continue;
    const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(w.text);
    if (mention) c.owners.push(mention[1]!);
    else if (w.text.startsWith('@') && w.text.length > 1) c.owners.push(w.text);
    else if (j === i && !w.quoted) c.owners.push(w.text);
    else break;
  }
  return j - i;
}

/** `in #payments`, `in <#C0PAY|payments>`, `in C0PAY`. */
function readChannel(t: Token[], i: number, c: SetClauses): number | string {
  const w = t[i];
  if (!w) return 'Name the channel after `in`, e.g. `in #payments`.';
  const link = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(w.text);
  c.channel = link ? link[1]! : w.text.replace(/^#/, '');
  if (!c.channel) return 'Name the channel after `in`, e.g. `in #payments`.';
  return 2;
}

/** `thresholds 50 80 100%`, `forecast 100%`: percentages of the amount. */
function readPercents(t: Token[], i: number, c: SetClauses, kind: 'actual' | 'forecast'): number | string {
  const list: number[] = [];
  let j = i;
  while (t[j] && /^-?\d+(\.\d+)?%?$/.test(t[j]!.text)) list.push(Number(t[j++]!.text.replace('%', '')));
  if (list.length === 0)
    return `Give the ${kind} thresholds as percentages of the amount, e.g. \`${kind === 'actual' ? 'thresholds 50 80 100' : 'forecast 100'}\`.`;
  c[kind] = list;
  return j - i + 1;
}
