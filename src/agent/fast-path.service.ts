import type { Command } from '../commands/command.types.js';
import { matchDimension, matchPeriod } from '../commands/grammar-words.js';
import { helpReply } from '../commands/help.js';
import { tokenize } from '../commands/tokenize.js';
import type { Turn } from '../conversation/turn.types.js';
import type { Dimension } from '../costs/cost-query.types.js';
import type { PeriodSpec } from '../costs/period.js';
import type { Reply } from '../shared/reply.types.js';
import { SERVICE_ALIASES } from './service-aliases.js';

const FORECAST = /\b(forecast|will we spend|going to spend|end of (the )?month|projected|projection|on track)\b/;
const GROWTH =
  /\b(grew|grow|growth|increase[ds]?|jump(ed|s)?|went up|rose|rise|spike[ds]?|changed?( the)? most|biggest (change|mover)s?|movers?)\b/;
const SPEND = /\b(spend|spent|spending|cost|costs|bill|billed|pay|paid)\b/;

/** What the fast path understood: a command, and how it reads as a command line (shown to the user). */
export interface Understood {
  command: Command;
  asText: string;
}

/**
 * Answers free text without a language model when it maps onto the command language: "what did we spend on EC2 last
 * month?", "which service grew most this week?", "how much will we spend this month?". Everything else gets a plain
 * statement of what Tally can answer. The figures come from the same command service as every command.
 */
export class FastPathService {
  constructor(private readonly serviceNames: () => Promise<string[]>) {}

  readonly handle = async (turn: Turn, run: (command: Command) => Promise<Reply>): Promise<Reply> => {
    const understood = understand(turn.text, await this.serviceNames());
    if (!understood) return cannotAnswer();
    const reply = await run(understood.command);
    return { ...reply, context: [...(reply.context ?? []), `Understood as: ${understood.asText}`] };
  };
}

/** Maps a question onto a command, or null when it does not look like one Tally can answer without a model. */
export function understand(text: string, serviceNames: string[]): Understood | null {
  const lower = text.toLowerCase();
  const tokens = tokenize(lower);
  const period = findPeriod(tokens);
  const dimension = findDimension(tokens);
  const services = findServices(lower, serviceNames);
  const filter = services.length ? { services } : {};
  const metric = /\bbilled|invoiced?\b/.test(lower) ? ('billed' as const) : ('effective' as const);
  const forWhat = services.length ? ` for ${services.map((s) => `service "${s}"`).join(' ')}` : '';
  if (FORECAST.test(lower)) {
    const by = dimension ? ` by ${dimensionWord(dimension)}` : '';
    return {
      command: { kind: 'forecast', metric, filter, ...(dimension ? { groupBy: dimension } : {}) },
      asText: `forecast${by}${forWhat}`,
    };
  }
  if (GROWTH.test(lower)) {
    const current = period?.spec ?? { kind: 'last-days', days: 7 };
    const groupBy = dimension ?? { kind: 'service' };
    return {
      command: { kind: 'compare', metric, current, previous: { kind: 'previous' }, groupBy, filter, top: 5 },
      asText: `compare ${period?.text ?? 'last 7 days'} vs the period before by ${dimensionWord(groupBy)} top 5${forWhat}`,
    };
  }
  if (SPEND.test(lower) || services.length) {
    const spec: PeriodSpec = period?.spec ?? { kind: 'month-to-date' };
    const by = dimension ? ` by ${dimensionWord(dimension)}` : '';
    return {
      command: { kind: 'cost', metric, period: spec, filter, ...(dimension ? { groupBy: dimension } : {}) },
      asText: `${metric === 'billed' ? 'billed ' : ''}cost ${period?.text ?? 'month to date'}${by}${forWhat}`,
    };
  }
  return null;
}

function findPeriod(tokens: ReturnType<typeof tokenize>): { spec: PeriodSpec; text: string } | null {
  for (let i = 0; i < tokens.length; i++) {
    const m = matchPeriod(tokens, i);
    if (m)
      return {
        spec: m.value,
        text: tokens
          .slice(i, i + m.length)
          .map((t) => t.text)
          .join(' '),
      };
  }
  return null;
}

/** "by region", "per account", "which service", "what accounts". */
function findDimension(tokens: ReturnType<typeof tokenize>): Dimension | null {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!['by', 'per', 'which', 'what', 'each', 'every'].includes(tokens[i]!.lower)) continue;
    const m = matchDimension(tokens, i + 1);
    if (m) return m.value;
  }
  return null;
}

/** Services named in the text: by alias (`ec2`), or by a known service name written out. */
function findServices(lower: string, known: string[]): string[] {
  const found = new Set<string>();
  for (const [alias, patterns] of Object.entries(SERVICE_ALIASES)) {
    if (!new RegExp(`\\b${alias}\\b`).test(lower)) continue;
    for (const name of known) if (patterns.some((p) => name.toLowerCase().includes(p))) found.add(name);
  }
  // Written-out names count too, except one plain word ("Storage", "Functions") once an alias named the service.
  const plainWord = /^[A-Z][a-z]+$/;
  for (const name of known) {
    if (name.length <= 3 || !new RegExp(`\\b${escapeRe(name.toLowerCase())}\\b`).test(lower)) continue;
    if (found.size > 0 && plainWord.test(name)) continue;
    found.add(name);
  }
  return [...found].sort();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function dimensionWord(d: Dimension): string {
  return d.kind === 'tag' ? `tag:${d.key}` : d.kind;
}

function cannotAnswer(): Reply {
  const help = helpReply();
  return {
    ...help,
    kind: 'notice',
    title: "I can't answer that yet",
    text:
      'Without a language model configured, Tally answers questions about what was spent, what changed and the ' +
      'month-end forecast, like "what did we spend on EC2 last month?" or "which service grew most this week?".\n\n' +
      (help.text ?? ''),
  };
}
