import type { Command } from '../commands/command.types.js';
import { echo } from '../commands/echo.js';
import { helpReply } from '../commands/help.js';
import { parseCommand } from '../commands/parse-command.js';
import type { Turn } from '../conversation/turn.types.js';
import { ACTIONS } from '../shared/action-ids.js';
import type { Clock } from '../shared/clock.js';
import { dayOf } from '../shared/day.js';
import type { Reply } from '../shared/reply.types.js';
import { type Understanding, understand } from './understand/understand.js';
import type { Vocabulary } from './understand/vocabulary.js';

/**
 * Answers free text without a language model (docs/architecture.md#questions-as-people-ask-them): the question is
 * understood against the data's own names (`understand/`), run as a command through the same command service as
 * every command, and the answer says how it was read and which words it did not use. A word with two readings is
 * asked back with a button per reading; a name the data does not hold is said, never answered with a zero.
 */
export class FastPathService {
  constructor(
    private readonly vocabulary: () => Promise<Vocabulary>,
    private readonly clock: Clock,
    /** The month the fiscal year starts (`TALLY_FISCAL_YEAR_START`). */
    private readonly fiscalYearStart = 1,
  ) {}

  readonly handle = async (turn: Turn, run: (command: Command) => Promise<Reply>): Promise<Reply> => {
    const vocabulary = await this.vocabulary();
    const understood = understand(turn.text, vocabulary, dayOf(this.clock.now()), this.fiscalYearStart);
    if (!understood) return BUDGET_WORD.test(turn.text) ? budgets(run) : cannotAnswer(vocabulary);
    if (understood.kind === 'ask') return askBack(understood);
    if (understood.kind === 'no-match') return noMatch(understood);
    const reply = await run(understood.command);
    const notes = [
      ...understood.readings.map((r) => `Read ${r}.`),
      ...(understood.ignored.length ? [`Not used: ${understood.ignored.map(echo).join(', ')}.`] : []),
    ];
    return { ...reply, context: [...(reply.context ?? []), ...notes, `Understood as: ${understood.asText}`] };
  };
}

/** A question about budgets ("are we over budget?"), which the cost grammar does not read. */
const BUDGET_WORD = /\bbudget(s|ed)?\b/i;

/** Every budget the asker may see (over, at risk, within), saying how the question was read. */
async function budgets(run: (command: Command) => Promise<Reply>): Promise<Reply> {
  const parsed = parseCommand('budgets');
  if (!parsed.ok) throw new Error('the command `budgets` does not parse');
  const reply = await run(parsed.command);
  return {
    ...reply,
    context: [...(reply.context ?? []), 'Understood as: budgets (`budget NAME` for one budget)'],
  };
}

function askBack(u: Extract<Understanding, { kind: 'ask' }>): Reply {
  return {
    kind: 'notice',
    title: u.question,
    text: u.choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n'),
    buttons: u.choices.map((c) => ({ actionId: ACTIONS.RUN_COMMAND, label: c.label.slice(0, 70), value: c.command })),
    data: { choices: u.choices },
    visibility: 'channel',
  };
}

function noMatch(u: Extract<Understanding, { kind: 'no-match' }>): Reply {
  const names = u.names.map(echo).join(', ');
  return {
    kind: 'notice',
    title: 'Not in the cost data',
    text:
      `The cost data has no provider, service, account, region or tag value named ${names}, so there is no figure to give.` +
      (u.suggestions.length ? ` Did you mean ${u.suggestions.map(echo).join(' or ')}?` : ''),
    data: { notFound: u.names, suggestions: u.suggestions },
    visibility: 'ephemeral',
  };
}

/** What Tally can answer nearby, with examples built from the names in the user's own data. */
function cannotAnswer(v: Vocabulary): Reply {
  const help = helpReply();
  const service = v.services.find((x) => /compute|storage|database/i.test(x)) ?? v.services[0];
  const tagKey = v.tags.has('team') ? 'team' : [...v.tags.keys()][0];
  const examples = [
    service ? `what did we spend on ${service} last month?` : 'what did we spend last month?',
    `which ${v.providers.length > 1 ? 'provider' : 'service'} grew most this week?`,
    tagKey ? `cost last month by tag:${tagKey}` : 'top 5 services last 30 days',
    'how much will we spend this month?',
  ];
  return {
    ...help,
    kind: 'notice',
    title: "I can't answer that yet",
    text:
      'Without a language model configured, Tally answers questions about what was spent, what changed and the ' +
      `month-end forecast. With your data, for example:\n${examples.map((e) => `  ${e}`).join('\n')}\n\n` +
      (help.text ?? ''),
    data: { examples },
  };
}
