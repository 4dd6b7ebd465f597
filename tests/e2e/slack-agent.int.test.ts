import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { type OpenAiFake, startOpenAiFake } from '../support/openai-fake.js';
import { redisUrl } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
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

/** What a message shows: its blocks, else its text. */
const shown = (call: SlackCall) => JSON.stringify(call.body.blocks ?? call.body.text ?? '');

/**
 * The answer Tally posts for a turn: the first message matching `isPost`, or, when the answer was slow and that
 * message is the "working on it" placeholder, the update of that same message (chat.update of its ts) that carries
 * `expected`. Returns the post (where the answer is) and what the answer shows.
 */
async function answerOf(isPost: (call: SlackCall) => boolean, expected: string) {
  const post = await slack.waitFor('chat.postMessage', isPost, 10_000);
  if (shown(post).includes(expected)) return { post, shows: shown(post) };
  const ts = (post.reply as { ts?: string }).ts;
  const update = await slack.waitFor(
    'chat.update',
    (c) => c.body.channel === post.body.channel && c.body.ts === ts && shown(c).includes(expected),
    10_000,
  );
  return { post, shows: shown(update) };
}

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
    const amount = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(eur);
    model.script(
      { toolCalls: [{ name: 'query_costs', args: { period: { from: '2026-05-01', to: '2026-05-31' } } }] },
      { content: `In EUR it was *${amount} EUR*.` },
    );
    const first = appMention({ text: '<@UBOT> how much in euros last month, roughly?', channel: 'C0AGENT' });
    await postSigned(`${tally.url}/slack/events`, { ...eventCallback(first), secret: SECRET });
    // A quick answer is the first post; a slow one replaces the "working on it" post in place.
    const answer = await answerOf((c) => c.body.channel === 'C0AGENT', `${amount} EUR`);
    expect(answer.post.body.thread_ts).toBe(first.ts);
    expect(answer.shows).toContain(`${amount} EUR`);

    model.script({ content: 'That was last month.' });
    const followUp = appMention({
      text: '<@UBOT> and which period was that?',
      channel: 'C0AGENT',
      threadTs: String(first.ts),
    });
    await postSigned(`${tally.url}/slack/events`, { ...eventCallback(followUp), secret: SECRET });
    const second = await answerOf((c) => c.body.channel === 'C0AGENT' && c !== answer.post, 'That was last month.');
    expect(second.post.body.thread_ts).toBe(first.ts);
    // The model saw the follow-up with the thread's history before it.
    const sent = model.lastRequest().messages.map((m) => String(m.content ?? ''));
    const asked = sent.findIndex((c) => c.includes('how much in euros last month'));
    const followed = sent.findIndex((c) => c.includes('which period was that'));
    expect(asked).toBeGreaterThanOrEqual(0);
    expect(followed).toBeGreaterThan(asked);
  });
});
