import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import { createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import type { Turn } from '../../src/conversation/turn.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { testDataDir } from '../support/data-dir.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { type OpenAiFake, type OpenAiRequest, startOpenAiFake } from '../support/openai-fake.js';
import { mongoUrl, uniqueName } from '../support/services.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const MONGODB_URI = `${mongoUrl()}/${uniqueName('agent')}`;
const clock = fixedClock(new Date('2026-06-10T12:00:00Z'));
const logger = createPinoLogger({ level: 'silent' });
const awsMay = expectedSums(readFixture(EXPORT), {
  from: '2026-05-01',
  to: '2026-05-31',
  amount: 'EffectiveCost',
  key: (r) => r.ProviderName ?? '',
})
  .get('USD')!
  .get('AWS')!;
const money = (n: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(n);

let fake: OpenAiFake;
const turn = (text: string, thread = 't1'): Turn => ({
  user: { id: 'U1' },
  location: { platform: 'slack', workspace: 'T1', channel: 'C1', thread },
  text,
});
const env = (extra: Record<string, string> = {}) =>
  loadConfig({
    TALLY_DATA_DIR: testDataDir(),
    OPENAI_BASE_URL: fake.url,
    OPENAI_API_KEY: 'sk-test',
    TALLY_MODEL: 'gpt-test',
    TALLY_FOCUS_FILE: EXPORT,
    ...extra,
  });
/** The tool message the model received last, parsed. */
const lastTool = (req: OpenAiRequest) =>
  JSON.parse(String([...req.messages].reverse().find((m) => m.role === 'tool')?.content ?? '{}')) as Record<
    string,
    unknown
  >;

beforeAll(async () => {
  fake = await startOpenAiFake();
});
afterAll(async () => {
  await fake.close();
  const conn = await mongoose.createConnection(MONGODB_URI).asPromise();
  await conn.dropDatabase();
  await conn.close();
});
beforeEach(() => fake.reset());

describe('the agent on an OpenAI-compatible model', () => {
  it('runs a tool loop and answers with the figures the tools produced', async () => {
    const deps = await createDeps(env(), { clock, logger });
    fake.script(
      { toolCalls: [{ name: 'query_costs', args: { periodPhrase: 'last month', groupBy: 'provider' } }] },
      (req) => {
        const rows = (lastTool(req).rows as { key: string; cost: number; currency?: string }[]) ?? [];
        const aws = rows.find((r) => r.key === 'AWS' && (r.currency ?? 'USD') === 'USD');
        return { content: `AWS cost *${money(aws?.cost ?? 0)} USD* last month.` };
      },
    );
    const reply = await deps.turns.handle(turn('how much did AWS cost last month?'));
    expect(reply.text).toContain(`${money(awsMay)} USD`);
    expect(reply.tables?.length).toBeGreaterThan(0);
    expect(fake.requests[0]?.tools?.map((t) => t.function.name)).toEqual([
      'query_costs',
      'compare_periods',
      'explain_change',
      'forecast',
      'savings_recommendations',
      'propose_action',
    ]);
    await deps.close();
  });

  it('feeds invalid tool arguments back as an error the model corrects', async () => {
    const deps = await createDeps(env(), { clock, logger });
    fake.script(
      { toolCalls: [{ name: 'query_costs', args: { periodPhrase: 'last fortnight' } }] },
      (req) => {
        expect(String(lastTool(req).error)).toMatch(/Invalid arguments/);
        return { toolCalls: [{ name: 'query_costs', args: { period: { from: '2026-05-01', to: '2026-05-31' } } }] };
      },
      (req) => ({ content: `Total ${money(Number((lastTool(req).totals as { total: number }[])[1]?.total))} USD.` }),
    );
    const reply = await deps.turns.handle(turn('spend over the last fortnight?', 't2'));
    expect(reply.kind).toBe('answer');
    expect(fake.requests).toHaveLength(3);
    await deps.close();
  });

  it('explains a change by drilling down from services to accounts, regions and teams', async () => {
    const deps = await createDeps(env(), { clock, logger });
    fake.script(
      { toolCalls: [{ name: 'explain_change', args: { periodPhrase: 'May 2026', previousPhrase: 'April 2026' } }] },
      (req) => {
        const steps = (lastTool(req).steps as { by: string }[]) ?? [];
        return { content: `Drilled by ${steps.map((x) => x.by).join(', ')}.` };
      },
    );
    const reply = await deps.turns.handle(turn('why did costs jump in May compared with April?', 't6'));
    expect(reply.text).toBe('Drilled by service, account, region, tag:team.');
    const steps = lastTool(fake.lastRequest()).steps as { by: string; currencies: { rows: { key: string }[] }[] }[];
    const topService = steps[0]?.currencies[0]?.rows[0]?.key;
    expect(topService).toBeTruthy();
    expect(fake.requests).toHaveLength(2);
    await deps.close();
  });

  it('overrules a figure no tool produced', async () => {
    const deps = await createDeps(env(), { clock, logger });
    fake.script(
      { toolCalls: [{ name: 'query_costs', args: { periodPhrase: 'last month' } }] },
      { content: 'You spent 12,345.67 USD.' },
    );
    const reply = await deps.turns.handle(turn('how much last month?', 't3'));
    expect(reply.text).not.toContain('12,345.67');
    expect(reply.text).toMatch(/did not match the data/);
    await deps.close();
  });

  it('answers with the fast path when the model fails', async () => {
    const deps = await createDeps(env(), { clock, logger });
    fake.script({ status: 500 }, { status: 500 }, { status: 500 });
    const reply = await deps.turns.handle(turn('what did we spend on EC2 last month?', 't4'));
    expect(reply.kind).toBe('answer');
    expect(reply.context?.join(' ')).toMatch(/without it/);
    await deps.close();
  });

  it('remembers the thread across turns and across a restart (MongoDB)', async () => {
    const first = await createDeps(env({ MONGODB_URI }), { clock, logger });
    await first.importer.importPath(EXPORT);
    fake.script({ content: 'Noted.' });
    await first.turns.handle(turn('remember: our budget question is about AWS', 't5'));
    await first.close();
    const second = await createDeps(env({ MONGODB_URI }), { clock, logger });
    fake.script({ content: 'It was about AWS.' });
    await second.turns.handle(turn('what was my question about?', 't5'));
    const sent = fake.lastRequest().messages.map((m) => String(m.content ?? ''));
    expect(sent.some((c) => c.includes('our budget question is about AWS'))).toBe(true);
    await second.close();
  });
});

describe('the agent when the model is slow', () => {
  it('answers with the fast path after the model times out', async () => {
    const { AgentService } = await import('../../src/agent/agent.service.js');
    const { createOpenAiChatModel } = await import('../../adapters/llm/openai-chat.model.js');
    const { MemorySaver } = await import('@langchain/langgraph');
    const { delayed } = await import('../support/openai-fake.js');
    const deps = await createDeps(loadConfig({ TALLY_FOCUS_FILE: EXPORT, TALLY_DATA_DIR: testDataDir() }), {
      clock,
      logger,
    });
    const fallbackText = 'fast path answer';
    const agent = new AgentService({
      model: createOpenAiChatModel({
        model: 'gpt-test',
        apiKey: 'sk-test',
        baseUrl: fake.url,
        timeoutMs: 300,
        maxRetries: 0,
      }),
      checkpointer: new MemorySaver(),
      dataRange: () => deps.stores.costs.dataRange(),
      clock,
      logger,
      fallback: async () => ({ kind: 'answer', title: 'Fallback', text: fallbackText, visibility: 'channel' }),
    });
    // The model would answer only after the test's own time limit: an answer can only come from the timeout.
    fake.script(delayed(120_000, { content: 'too late' }));
    const reply = await agent.handle(turn('how are we doing?', 't7'), async () => ({
      kind: 'notice',
      title: '',
      visibility: 'channel',
    }));
    expect(fake.requests).toHaveLength(1);
    expect(reply.text).toBe(fallbackText);
    expect(reply.context?.join(' ')).toMatch(/did not answer in time/);
    await deps.close();
  });
});
