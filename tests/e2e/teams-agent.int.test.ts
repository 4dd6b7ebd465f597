import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotConnectorFake, startBotConnectorFake } from '../support/bot-connector-fake.js';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { type OpenAiFake, startOpenAiFake } from '../support/openai-fake.js';
import { redisUrl } from '../support/services.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';
import { channelMessage, threadReply } from '../support/teams-activities.js';

// Free text in a Teams channel goes to the agent; the reply chain is the conversation, so a follow-up in the chain
// reaches the model with the earlier turn (the agent's memory, keyed on the chain).
const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
let connector: BotConnectorFake;
let model: OpenAiFake;
let tally: TallyProcess;

beforeAll(async () => {
  connector = await startBotConnectorFake();
  model = await startOpenAiFake();
  tally = await startTally({
    TALLY_TEAMS_ANONYMOUS: 'true',
    REDIS_URL: redisUrl(),
    TALLY_FOCUS_FILE: EXPORT,
    TALLY_TODAY: '2026-06-10',
    OPENAI_BASE_URL: model.url,
    OPENAI_API_KEY: 'sk-test',
    TALLY_MODEL: 'gpt-test',
  });
});

afterAll(async () => {
  await tally?.stop();
  await connector?.close();
  await model?.close();
});

const post = (activity: Record<string, unknown>) =>
  fetch(`${tally.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });

describe('Teams channel threads through the agent', () => {
  it('answers with tool figures in the reply chain, and a follow-up in the chain carries the history', async () => {
    const eur = expectedSums(readFixture(EXPORT), {
      from: '2026-05-01',
      to: '2026-05-31',
      amount: 'EffectiveCost',
      key: () => 'all',
    })
      .get('EUR')!
      .get('all')!;
    const shown = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(eur);
    model.script(
      { toolCalls: [{ name: 'query_costs', args: { period: { from: '2026-05-01', to: '2026-05-31' } } }] },
      { content: `In EUR it was *${shown} EUR*.` },
    );
    const first = channelMessage({ text: 'how much in euros last month, roughly?', serviceUrl: connector.serviceUrl });
    expect((await post(first)).status).toBe(200);
    const reply = await connector.waitFor(
      'reply',
      (c) => c.activityId === first.id && JSON.stringify(c.body).includes('EUR'),
      15_000,
    );
    expect(JSON.stringify(reply.body)).toContain(`${shown} EUR`);

    model.script({ content: 'That was last month.' });
    const followUp = threadReply({
      text: 'and which period was that?',
      root: String(first.id),
      serviceUrl: connector.serviceUrl,
    });
    expect((await post(followUp)).status).toBe(200);
    await connector.waitFor(
      'reply',
      (c) => c.activityId === followUp.id && JSON.stringify(c.body).includes('last month'),
      15_000,
    );
    const sent = model.lastRequest().messages.map((m) => String(m.content ?? ''));
    expect(sent.some((c) => c.includes('how much in euros last month'))).toBe(true);
  });
});
