import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import { createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import type { Turn } from '../../src/conversation/turn.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { testDataDir } from '../support/data-dir.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { type OpenAiFake, type OpenAiRequest, startOpenAiFake } from '../support/openai-fake.js';

/**
 * The agent's cost tools take the structured query (docs/cost-query.md) as their arguments: what is sent to an
 * OpenAI-compatible model, and what a scripted call with filters, tags, exclusions and periods gives.
 */

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const rows = readFixture(EXPORT);
const clock = fixedClock(new Date('2026-06-10T12:00:00Z'));
const logger = createPinoLogger({ level: 'silent' });
const MAY = { from: '2026-05-01', to: '2026-05-31' };

let fake: OpenAiFake;
let deps: Awaited<ReturnType<typeof createDeps>>;
let thread = 0;
const turn = (text: string): Turn => ({
  user: { id: 'U1' },
  location: { platform: 'slack', workspace: 'T1', channel: 'C1', thread: `q${++thread}` },
  text,
});
/** Every tool message the model received in `req`, parsed, oldest first. */
const toolResults = (req: OpenAiRequest) =>
  req.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(String(m.content)) as Record<string, unknown>);
const lastTool = (req: OpenAiRequest) => toolResults(req).at(-1) ?? {};
const tagsOf = (r: Record<string, string>) => (r.Tags ? (JSON.parse(r.Tags) as Record<string, string>) : {});

/** Keys anywhere in a JSON value. */
function keysIn(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(keysIn);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [k, ...keysIn(x)]);
  return [];
}

beforeAll(async () => {
  fake = await startOpenAiFake();
  deps = await createDeps(
    loadConfig({
      TALLY_DATA_DIR: testDataDir(),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'sk-test',
      TALLY_MODEL: 'gpt-test',
      TALLY_FOCUS_FILE: EXPORT,
    }),
    { clock, logger },
  );
});
afterAll(async () => {
  await deps.close();
  await fake.close();
});
beforeEach(() => fake.reset());

describe('the agent’s cost tools on the structured query', () => {
  it('sends argument schemas OpenAI function calling accepts, with every field of the query', async () => {
    fake.script({ content: 'Hello.' });
    await deps.turns.handle(turn('hello'));
    const tools = fake.requests[0]?.tools ?? [];
    for (const t of tools) {
      expect(t.function.parameters?.type, t.function.name).toBe('object');
      // zod 4 writes z.record keys as `propertyNames`, which OpenAI refuses with a 400.
      expect(keysIn(t.function.parameters), t.function.name).not.toContain('propertyNames');
      expect(t.function.strict, t.function.name).toBeUndefined();
    }
    const query = tools.find((t) => t.function.name === 'query_costs')?.function.parameters as {
      properties: Record<string, { properties?: Record<string, { additionalProperties?: { type?: string } }> }>;
      required?: string[];
    };
    expect(Object.keys(query.properties).sort()).toEqual(
      ['exclude', 'groupBy', 'metric', 'period', 'periodPhrase', 'top', 'where'].sort(),
    );
    expect(query.required ?? []).toEqual([]);
    expect(Object.keys(query.properties.where?.properties ?? {}).sort()).toEqual(
      ['account', 'category', 'charge', 'provider', 'region', 'resource', 'service', 'subcategory', 'tags'].sort(),
    );
    expect(query.properties.where?.properties?.tags?.additionalProperties?.type).toBe('array');
  });

  it('filters on several values, a tag and an exclusion, by service, with the figures of the file', async () => {
    const args = {
      period: MAY,
      where: { provider: ['AWS'], tags: { team: ['payments', 'checkout'] } },
      exclude: { charge: ['Tax'] },
      groupBy: 'service',
    };
    const mine = rows.filter(
      (r) =>
        r.ProviderName === 'AWS' &&
        ['payments', 'checkout'].includes(tagsOf(r).team ?? '') &&
        r.ChargeCategory !== 'Tax',
    );
    const want = expectedSums(mine, { ...MAY, amount: 'EffectiveCost', key: (r) => r.ServiceName ?? '' }).get('USD');
    const total = expectedSums(mine, { ...MAY, amount: 'EffectiveCost', key: () => '' })
      .get('USD')
      ?.get('');
    fake.script({ toolCalls: [{ name: 'query_costs', args }] }, (req) => ({
      content: `AWS for payments and checkout cost ${Number((lastTool(req).totals as { total: number }[])[0]?.total).toFixed(2)} USD in May.`,
    }));
    const reply = await deps.turns.handle(
      turn('AWS for the payments and checkout teams in May, without tax, by service'),
    );
    const result = lastTool(fake.lastRequest());
    expect(result.query).toEqual({ version: 1, kind: 'cost', metric: 'effective', ...args });
    expect(new Map((result.rows as { key: string; cost: number }[]).map((r) => [r.key, r.cost]))).toEqual(want);
    expect(reply.text).toBe(`AWS for payments and checkout cost ${total?.toFixed(2)} USD in May.`);
  });

  it('reads a period phrase against today, and takes the days when both are given', async () => {
    const firstHalf = { from: '2026-05-01', to: '2026-05-15' };
    fake.script(
      { toolCalls: [{ name: 'query_costs', args: { periodPhrase: 'last month' } }] },
      { toolCalls: [{ name: 'query_costs', args: { period: firstHalf, periodPhrase: 'last month' } }] },
      { content: 'Done.' },
    );
    await deps.turns.handle(turn('May, and its first half'));
    const [phrase = {}, days = {}] = toolResults(fake.lastRequest());
    const totalOf = (range: { from: string; to: string }) =>
      expectedSums(rows, { ...range, amount: 'EffectiveCost', key: () => '' })
        .get('USD')
        ?.get('');
    const usd = (r: Record<string, unknown>) =>
      (r.totals as { currency: string; total: number }[]).find((t) => t.currency === 'USD')?.total;
    expect((phrase.query as { period: unknown }).period).toEqual(MAY);
    expect(usd(phrase)).toBe(totalOf(MAY));
    expect((days.query as { period: unknown }).period).toEqual(firstHalf);
    expect(days.notes).toEqual(['periodPhrase ignored: period was given']);
    expect(usd(days)).toBe(totalOf(firstHalf));
  });

  it('compares a month with the month before when no earlier period is given', async () => {
    fake.script(
      { toolCalls: [{ name: 'compare_periods', args: { periodPhrase: 'May 2026', groupBy: 'provider' } }] },
      {
        content: 'Compared.',
      },
    );
    await deps.turns.handle(turn('May against April by provider'));
    const result = lastTool(fake.lastRequest());
    expect(result.query).toMatchObject({
      kind: 'compare',
      period: MAY,
      previous: { from: '2026-04-01', to: '2026-04-30' },
    });
    const aws = (result.currencies as { currency: string; rows: { key: string; current: number }[] }[])
      .find((c) => c.currency === 'USD')
      ?.rows.find((r) => r.key === 'AWS');
    const want = expectedSums(rows, { ...MAY, amount: 'EffectiveCost', key: (r) => r.ProviderName ?? '' }).get('USD');
    expect(aws?.current).toBe(want?.get('AWS'));
  });

  it('explains a change by narrowing each step to the largest contributor of the step before', async () => {
    fake.script(
      {
        toolCalls: [
          { name: 'explain_change', args: { period: MAY, previous: { from: '2026-04-01', to: '2026-04-30' } } },
        ],
      },
      { content: 'Explained.' },
    );
    await deps.turns.handle(turn('why did May change?'));
    type Step = { by: string; query: { where?: Record<string, unknown> }; currencies: { rows: { key: string }[] }[] };
    const steps = lastTool(fake.lastRequest()).steps as Step[];
    expect(steps.map((s) => s.by)).toEqual(['service', 'account', 'region', 'tag:team']);
    const topOf = (s: Step | undefined) => s?.currencies[0]?.rows[0]?.key;
    expect(steps[0]?.query.where).toBeUndefined();
    expect(steps[1]?.query.where).toEqual({ service: [topOf(steps[0])] });
    expect(steps[2]?.query.where).toEqual({ service: [topOf(steps[0])], account: [topOf(steps[1])] });
    expect(steps[3]?.query.where).toEqual({
      service: [topOf(steps[0])],
      account: [topOf(steps[1])],
      region: [topOf(steps[2])],
    });
  });

  it('answers a name the data does not hold with the nearest names, as an error the model can use', async () => {
    fake.script(
      {
        toolCalls: [
          { name: 'query_costs', args: { periodPhrase: 'last month', where: { provider: ['Oracle Cloud'] } } },
        ],
      },
      (req) => ({ content: `No: ${String(lastTool(req).error)}` }),
    );
    const reply = await deps.turns.handle(turn('Oracle Cloud last month'));
    expect(String(lastTool(fake.lastRequest()).error)).toMatch(/Oracle Cloud/);
    expect(reply.text).toMatch(/^No: .*Oracle Cloud/);
  });
});
