import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { type OpenAiFake, startOpenAiFake } from '../support/openai-fake.js';
import { runCli } from '../support/run-cli.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
let model: OpenAiFake;

beforeAll(async () => {
  model = await startOpenAiFake();
});
afterAll(() => model.close());

describe('tally ask with a model configured', () => {
  it('answers free text through the agent, with the figures of the tools', async () => {
    const google = expectedSums(readFixture(EXPORT), {
      from: '2026-05-01',
      to: '2026-05-31',
      amount: 'EffectiveCost',
      key: (r) => r.ProviderName ?? '',
    })
      .get('USD')!
      .get('Google Cloud')!;
    const shown = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(google);
    model.script(
      { toolCalls: [{ name: 'query_costs', args: { periodPhrase: 'last month', groupBy: 'provider' } }] },
      { content: `Google Cloud came to *${shown} USD*.` },
    );
    const r = await runCli(['ask', '--focus', EXPORT, 'how did google do last month'], {
      TALLY_TODAY: '2026-06-10',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'sk-test',
      TALLY_MODEL: 'gpt-test',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Google Cloud came to *${shown} USD*.`);
    expect(r.stdout).toContain('Cost by provider');
    expect(model.requests[0]?.messages.at(-1)?.content).toBe('how did google do last month');
  });
});
