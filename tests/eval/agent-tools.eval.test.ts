import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse-command.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type OpenAiFake, startOpenAiFake } from '../support/openai-fake.js';
import { scriptFor, toolCallFor } from './agent-tool-calls.js';
import { evalTally } from './eval-deps.js';
import { EVAL_FIXTURE, evalFixtureRows } from './eval-fixture.js';
import { HOLDOUT_GROUPS, QUESTION_GROUPS } from './questions/index.js';
import type { QuestionGroup } from './questions/question-group.types.js';
import { runPeopleEval } from './run-people-eval.js';

/**
 * The people's-questions eval through the agent (issue 14, item 7; docs/evaluation.md): the real agent (LangGraph,
 * ChatOpenAI, the cost tools, the number check) against the loopback OpenAI fake, scripted to make for each question
 * the correct tool call — written from its group's expectation in the structured-query arguments — and then to answer
 * quoting the result's figures. The replies are judged by the same judge as the fast path's, on the same file.
 *
 * One question per group, its first one that is free text (a question the command grammar reads is answered without
 * the agent): the scripted call depends on the group, not on the wording, so the other paraphrases would run the same
 * query again; 51 questions instead of 255 keep this in `npm test` at a few seconds.
 */
const freeText = (q: string) => {
  const parsed = parseCommand(q);
  return !parsed.ok && parsed.reason === 'NOT_A_COMMAND';
};
const groups: QuestionGroup[] = QUESTION_GROUPS.map((g) => ({
  ...g,
  questions: g.questions.filter(freeText).slice(0, 1),
}));

let fake: OpenAiFake;
let tally: Awaited<ReturnType<typeof evalTally>>;

beforeAll(async () => {
  fake = await startOpenAiFake();
  tally = await evalTally(
    { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test', TALLY_MODEL: 'gpt-test' },
    EVAL_FIXTURE,
  );
});
afterAll(async () => {
  await tally?.close();
  await fake?.close();
});

describe("people's questions through the agent's tools", () => {
  it('gives the expected figures for a correct structured tool call of every group', async () => {
    const groupOf = new Map(groups.map((g) => [g.questions[0] ?? '', g]));
    const answers: string[] = [];
    const replies: { group: string; reply: Reply; answer: string | undefined; calls: string[] }[] = [];
    const ask = async (text: string) => {
      const group = groupOf.get(text)!;
      fake.reset();
      fake.script(...scriptFor(group, answers));
      const reply = await tally.ask(text);
      const calls = fake.requests.flatMap((r) => r.messages.flatMap((m) => m.tool_calls ?? []));
      replies.push({ group: group.id, reply, answer: answers.at(-1), calls: calls.map((c) => c.function.name) });
      expect(fake.remaining, group.id).toBe(0);
      return reply;
    };
    const report = await runPeopleEval(ask, groups, HOLDOUT_GROUPS, evalFixtureRows());

    expect(groups.map((g) => g.questions.length)).toEqual(QUESTION_GROUPS.map(() => 1));
    expect(report.tuning.total + report.holdout.total).toBe(QUESTION_GROUPS.length);
    expect(report.results.filter((r) => !r.passed).map((r) => `${r.group}: ${r.failures.join('; ')}`)).toEqual([]);
    for (const r of replies) {
      // The agent made the scripted call, and the number check kept the answer that quotes the tool's figures.
      expect(r.calls, r.group).toEqual([toolCallFor(groups.find((g) => g.id === r.group)!).name]);
      expect(r.reply.text, r.group).toBe(r.answer);
    }
  });
});
