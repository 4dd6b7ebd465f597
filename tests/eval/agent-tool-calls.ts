import type { OpenAiRequest, OpenAiStep, OpenAiToolCallSpec } from '../support/openai-fake.js';
import type { QuestionGroup, Where } from './questions/question-group.types.js';

/**
 * The agent side of the people's-questions eval (docs/evaluation.md): for a question group, the tool call a model
 * that understood the question makes — written from the group's expectation, in the agent tools' structured-query
 * arguments (docs/cost-query.md) — and the answer it writes from the tool's result, quoting its figures.
 */

type Json = Record<string, unknown>;

/** The eval's `Where` as the query's `where` and `exclude` (`notCharge` is an exclusion of charge categories). */
function scopeOf(w: Where | undefined): Json {
  if (!w) return {};
  const { notCharge, ...where } = w;
  return {
    ...(Object.keys(where).length ? { where } : {}),
    ...(notCharge?.length ? { exclude: { charge: notCharge } } : {}),
  };
}

/** The correct tool call for every question of `group`. */
export function toolCallFor(group: QuestionGroup): OpenAiToolCallSpec {
  const e = group.expect;
  switch (e.kind) {
    case 'total':
    case 'breakdown':
      return {
        name: 'query_costs',
        args: {
          period: e.period,
          ...(e.metric && e.metric !== 'effective' ? { metric: e.metric } : {}),
          ...scopeOf(e.where),
          ...(e.kind === 'breakdown' ? { groupBy: e.by, ...(e.top ? { top: e.top } : {}) } : {}),
        },
      };
    case 'compare':
    case 'grew-most':
      return {
        name: 'compare_periods',
        args: { period: e.current, previous: e.previous, ...scopeOf(e.where), ...(e.by ? { groupBy: e.by } : {}) },
      };
    case 'forecast':
      return { name: 'forecast', args: scopeOf(e.where) };
    case 'no-match':
      // A name the data does not hold, asked for as the provider it was said to be; the tool says it is not there.
      return { name: 'query_costs', args: { periodPhrase: 'last month', where: { provider: group.mustName ?? [] } } };
  }
}

const amount = (n: unknown) => (typeof n === 'number' ? n.toFixed(2) : String(n));

/** The figures of a tool result, in words: totals, the two periods of a comparison, or a forecast. */
function figuresOf(result: Json): string {
  const list = (v: unknown) => (Array.isArray(v) ? (v as Json[]) : []);
  if (typeof result.error === 'string') return `The data says: ${result.error}`;
  const totals = list(result.totals).map((t) => `${amount(t.total)} ${String(t.currency)}`);
  if (totals.length) return `The total is ${totals.join(' and ')}.`;
  const periods = list(result.currencies).map((c) =>
    'forecast' in c
      ? `${amount(c.actual)} ${String(c.currency)} so far, ${amount(c.forecast)} by the month's end`
      : `${amount(c.current)} ${String(c.currency)} against ${amount(c.previous)}`,
  );
  return periods.length ? `It came to ${periods.join(' and ')}.` : 'There were no figures.';
}

/** The last tool result a request carries, parsed. */
function lastToolResult(req: OpenAiRequest): Json {
  const tool = [...req.messages].reverse().find((m) => m.role === 'tool');
  return JSON.parse(String(tool?.content ?? '{}')) as Json;
}

/**
 * The two scripted model steps of one question: the tool call, then an answer quoting the result's figures (and
 * naming the words a right answer must name). `answers` receives each answer as written, to check it was kept.
 */
export function scriptFor(group: QuestionGroup, answers: string[]): OpenAiStep[] {
  return [
    { toolCalls: [toolCallFor(group)] },
    (req) => {
      const named = group.mustName?.length ? ` I found nothing named ${group.mustName.join(' or ')} in the data.` : '';
      const content = `${figuresOf(lastToolResult(req))}${named}`;
      answers.push(content);
      return { content };
    },
  ];
}
