import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { type OpenAiFake, startOpenAiFake } from '../support/openai-fake.js';
import { redisUrl } from '../support/services.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { appMention, eventCallback, postSigned } from '../support/slack-requests.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const SECRET = 'agent-signing-secret';
let slack: SlackFake;
let model: OpenAiFake;
let tally: TallyProcess;

beforeAll(async () => {
  slack = await startSlackFake();
  model = await startOpenAiFake();
  tally = await startTally({
    SLACK_BOT_TOKEN: 'xoxb-agent',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
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
  await slack?.close();
  await model?.close();
});

describe('Slack mentions through the agent', () => {
  it('answers a question in the thread with tool figures, and a follow-up in the thread carries the history', async () => {
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
      { toolCalls: [{ name: 'cost_breakdown', args: { period: 'last month' } }] },
      { content: `In EUR it was *${shown} EUR*.` },
    );
    const first = appMention({ text: '<@UBOT> how much in euros last month, roughly?', channel: 'C0AGENT' });
    await postSigned(`${tally.url}/slack/events`, { ...eventCallback(first), secret: SECRET });
    const reply = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0AGENT', 10_000);
    expect(reply.body.thread_ts).toBe(first.ts);
    expect(JSON.stringify(reply.body.blocks)).toContain(`${shown} EUR`);

    model.script({ content: 'That was last month.' });
    const followUp = appMention({
      text: '<@UBOT> and which period was that?',
      channel: 'C0AGENT',
      threadTs: String(first.ts),
    });
    await postSigned(`${tally.url}/slack/events`, { ...eventCallback(followUp), secret: SECRET });
    await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0AGENT' && c !== reply, 10_000);
    const sent = model.lastRequest().messages.map((m) => String(m.content ?? ''));
    expect(sent.some((c) => c.includes('how much in euros last month'))).toBe(true);
  });
});
