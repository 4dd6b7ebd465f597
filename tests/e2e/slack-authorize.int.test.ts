// Slack unreachable at start-up must not leave Tally deaf until a restart: the real `tally start` process against a
// Slack fake whose auth.test fails at start-up and again for the first event, then recovers. The next event is
// answered, and the bot's identity is kept from then on (no auth.test per event).
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../support/services.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { postSigned, slashCommand } from '../support/slack-requests.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

const RUN = randomBytes(4).toString('hex');
const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const SECRET = 'test-signing-secret';

let slack: SlackFake;
let tally: TallyProcess;
const help = (id: string) =>
  postSigned(`${tally.url}/slack/events`, {
    ...slashCommand({ text: 'help', channel_id: id, response_url: slack.responseUrl(id), trigger_id: `${RUN}.${id}` }),
    secret: SECRET,
  });

beforeAll(async () => {
  slack = await startSlackFake();
  // Slack's answer to a call it cannot serve; the Web API client does not retry it, so each failure is one call.
  slack.failNext('auth.test', { error: 'service_unavailable' });
  slack.failNext('auth.test', { error: 'service_unavailable' });
  tally = await startTally({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    REDIS_URL: redisUrl(),
    TALLY_FOCUS_FILE: EXPORT,
    TALLY_TODAY: '2026-06-10',
  });
});

afterAll(async () => {
  await tally?.stop();
  await slack?.close();
});

describe('Slack: auth.test failing at start-up', () => {
  it('asks again at the next events and answers the first one after Slack recovers', async () => {
    await slack.waitFor('auth.test');
    expect(slack.callsTo('auth.test')[0]?.reply).toMatchObject({ ok: false });

    // Still failing for this event: Bolt answers 401 (an authorization error) and calls no listener.
    const first = await help('CFIRST');
    expect(first.status).toBe(401);
    expect(slack.callsTo('auth.test')).toHaveLength(2);

    // Recovered: this event is authorized and answered.
    const second = await help('CSECOND');
    expect(second.status).toBe(200);
    const answer = await slack.waitFor('response', (c) => c.path.endsWith('/CSECOND'));
    expect(answer.body.response_type).toBe('ephemeral');
    expect(slack.callsTo('auth.test').map((c) => (c.reply as { ok: boolean }).ok)).toEqual([false, false, true]);

    // Kept: a further event is answered without asking again.
    await help('CTHIRD');
    await slack.waitFor('response', (c) => c.path.endsWith('/CTHIRD'));
    expect(slack.callsTo('auth.test')).toHaveLength(3);
    expect(slack.responses.map((r) => r.id)).not.toContain('CFIRST');
  });
});
