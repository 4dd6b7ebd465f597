import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { redisUrl } from '../support/services.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import {
  appHomeOpened,
  appMention,
  blockActions,
  eventCallback,
  messageIm,
  nowSeconds,
  postSigned,
  retryHeaders,
  slashCommand,
} from '../support/slack-requests.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

// Delivery ids unique to this run: the test Redis outlives a run, and Tally remembers ids for an hour.
const RUN = randomBytes(4).toString('hex');

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const POLICY = fileURLToPath(new URL('../fixtures/policy/channels.yml', import.meta.url));
const SECRET = 'test-signing-secret';
const rows = readFixture(EXPORT);
const fmt = (cents: number, currency: string) =>
  `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents)} ${currency}`;
/** May 2026 sums per currency and key, computed from the fixture file. */
const may = (amount: string, key: (r: Record<string, string>) => string) =>
  expectedSums(rows, { from: '2026-05-01', to: '2026-05-31', amount, key });

let slack: SlackFake;
let tally: TallyProcess;
const events = () => `${tally.url}/slack/events`;
const send = (req: { body: string; contentType: string }, headers?: Record<string, string>) =>
  postSigned(events(), { ...req, secret: SECRET, ...(headers ? { headers } : {}) });
const blocksText = (call: { body: Record<string, unknown> }) =>
  JSON.stringify(call.body.blocks ?? '') + String(call.body.text ?? '');

beforeAll(async () => {
  slack = await startSlackFake();
  tally = await startTally({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    REDIS_URL: redisUrl(),
    TALLY_FOCUS_FILE: EXPORT,
    TALLY_POLICY_FILE: POLICY,
    TALLY_TODAY: '2026-06-10',
  });
});

afterAll(async () => {
  await tally?.stop();
  await slack?.close();
});

beforeEach(() => slack.reset());

describe('Slack: /cost', () => {
  it('answers in the channel with the figures of the file, and uploads a chart with alt text', async () => {
    // The ack comes before any work (Slack's 3 seconds); how fast it comes is measured by `npm run bench` (slack-ack).
    const res = await send(slashCommand({ text: 'cost last month by provider', channel_id: 'C0001' }));
    expect(res.status).toBe(200);
    const post = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0001');
    const text = blocksText(post);
    for (const [currency, byKey] of may('EffectiveCost', (r) => r.ProviderName ?? ''))
      for (const [provider, cents] of byKey) {
        expect(text).toContain(provider);
        expect(text).toContain(fmt(cents, currency));
      }
    expect(text).toContain('Metric: effective cost');
    expect(text).toContain('2026-05-01 to 2026-05-31');
    const complete = await slack.waitFor('files.completeUploadExternal');
    expect(complete.body.thread_ts).toBe(post.reply && typeof post.reply === 'object' ? post.reply.ts : undefined);
    const getUrl = slack.callsTo('files.getUploadURLExternal')[0]!;
    expect(String(getUrl.body.alt_text)).toMatch(/\d/);
    expect(slack.uploads[0]?.bytes).toBeGreaterThan(1000);
  });

  it('answers an unparseable command with ephemeral help and posts nothing in the channel', async () => {
    const res = await send(slashCommand({ text: 'cost by flavour', response_url: slack.responseUrl('r-help') }));
    expect(res.status).toBe(200);
    const response = await slack.waitFor('response', (c) => c.path.endsWith('/r-help'));
    expect(response.body.response_type).toBe('ephemeral');
    const text = JSON.stringify(response.body);
    expect(text).toContain('flavour');
    expect(text).toContain('cost last month by service');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('tells the user to invite Tally when it is not in the channel', async () => {
    slack.failForChannel('C0PRIVATE', 'not_in_channel');
    await send(
      slashCommand({ text: 'cost last month', channel_id: 'C0PRIVATE', response_url: slack.responseUrl('r-private') }),
    );
    await slack.waitFor('response', (c) => c.path.endsWith('/r-private'));
    expect(JSON.stringify(slack.responses[0]?.body)).toContain('/invite @Tally');
  });

  it('a failure while answering gives the user a short apology with an error id, no stack trace', async () => {
    slack.failNext('chat.postMessage', { error: 'internal_error' });
    await send(
      slashCommand({ text: 'cost last month', channel_id: 'C0BROKEN', response_url: slack.responseUrl('r-broken') }),
    );
    const response = await slack.waitFor('response', (c) => c.path.endsWith('/r-broken'));
    const text = String(response.body.text);
    expect(response.body.response_type).toBe('ephemeral');
    expect(text).toMatch(/sorry/i);
    expect(text).toMatch(/err_[0-9a-f]{8}/);
    expect(text).not.toMatch(/\bat .+:\d+:\d+/);
    expect(tally.output()).toContain(text.match(/err_[0-9a-f]{8}/)![0]);
  });

  it('in a channel scoped to AWS, answers only with AWS', async () => {
    await send(slashCommand({ text: 'cost last month by provider', channel_id: 'C0AWSONLY' }));
    const post = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0AWSONLY');
    const text = blocksText(post);
    expect(text).toContain('AWS');
    expect(text).not.toContain('Microsoft');
    expect(text).not.toContain('Google Cloud');
    const aws = may('EffectiveCost', (r) => r.ProviderName ?? '')
      .get('USD')!
      .get('AWS')!;
    expect(text).toContain(fmt(aws, 'USD'));
  });

  it('a replayed command (same trigger_id) is answered once', async () => {
    const req = slashCommand({ text: 'cost last month', trigger_id: `trig-replay-${RUN}`, channel_id: 'C0REPLAY' });
    await send(req);
    await send(req);
    await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0REPLAY');
    // A later command in the same channel, answered: the replay was handled (or dropped) before it.
    await send(
      slashCommand({ text: 'cost last month by provider', trigger_id: `trig-after-${RUN}`, channel_id: 'C0REPLAY' }),
    );
    await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === 'C0REPLAY' && blocksText(c).includes('Cost by provider'),
    );
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0REPLAY')).toHaveLength(2);
  });
});

describe('Slack: events', () => {
  it('a mention is answered in its thread; a follow-up mention in the thread stays there', async () => {
    const first = appMention({ text: '<@UBOT> cost by service from 2026-05-01 to 2026-05-31', channel: 'C0002' });
    await send(eventCallback(first));
    const reply = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0002');
    expect(reply.body.thread_ts).toBe(first.ts);
    const s3 = may('EffectiveCost', (r) => r.ServiceName ?? '')
      .get('USD')!
      .get('Amazon Simple Storage Service')!;
    expect(blocksText(reply)).toContain(fmt(s3, 'USD'));
    const followUp = appMention({
      text: '<@UBOT> billed cost last month by account',
      channel: 'C0002',
      threadTs: String(first.ts),
    });
    await send(eventCallback(followUp));
    const second = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0002' && c !== reply);
    expect(second.body.thread_ts).toBe(first.ts);
    expect(blocksText(second)).toContain('Billed cost');
  });

  it('a free-text question is answered in the thread, with the figures of the file', async () => {
    const mention = appMention({ text: '<@UBOT> what did we spend on EC2 last month?', channel: 'C0FREE' });
    await send(eventCallback(mention));
    const reply = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0FREE');
    expect(reply.body.thread_ts).toBe(mention.ts);
    const ec2 = may('EffectiveCost', (r) => (/Elastic Compute Cloud/.test(r.ServiceName ?? '') ? 'ec2' : 'other'));
    expect(blocksText(reply)).toContain(fmt(ec2.get('USD')!.get('ec2')!, 'USD'));
    expect(blocksText(reply)).toContain('Understood as');
  });

  it('an event delivered four times (retries 1–3) gets exactly one reply', async () => {
    const req = eventCallback(appMention({ text: '<@UBOT> cost last month', channel: 'C0RETRY' }), {
      eventId: `EvRETRY${RUN}`,
    });
    expect((await send(req)).status).toBe(200);
    for (const n of [1, 2, 3]) expect((await send(req, retryHeaders(n))).status).toBe(200);
    await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'C0RETRY');
    // A later event in the same channel, answered: the retries were handled (or dropped) before it.
    const later = eventCallback(appMention({ text: '<@UBOT> cost last month by provider', channel: 'C0RETRY' }), {
      eventId: `EvAFTER${RUN}`,
    });
    expect((await send(later)).status).toBe(200);
    await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === 'C0RETRY' && blocksText(c).includes('Cost by provider'),
    );
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C0RETRY')).toHaveLength(2);
  });

  it('a direct message is answered in the DM', async () => {
    await send(eventCallback(messageIm({ text: 'cost last month by provider', channel: 'D0042' })));
    const post = await slack.waitFor('chat.postMessage', (c) => c.body.channel === 'D0042');
    expect(blocksText(post)).toContain('Cost by provider');
  });

  it('App Home shows month to date, forecast and top movers', async () => {
    await send(eventCallback(appHomeOpened({ user: 'U0HOME' })));
    const publish = await slack.waitFor('views.publish', (c) => c.body.user_id === 'U0HOME');
    const view = JSON.stringify(publish.body.view);
    expect(view).toContain('month to date');
    expect(view).toContain('Forecast');
    expect(view).toContain('last 7 days');
  });
});

describe('Slack: buttons', () => {
  it('"Show all" uploads the full table as a CSV into the thread', async () => {
    await send(
      blockActions({
        actionId: 'tally_show_all',
        value: 'cost last month by service',
        channel: 'C0003',
        messageTs: '1700000000.000200',
      }),
    );
    // One CSV per billing currency, each with a header, every service of that currency and the total.
    const services = may('EffectiveCost', (r) => r.ServiceName ?? '');
    for (const [currency] of services)
      await slack.waitFor('files.completeUploadExternal', (c) => JSON.stringify(c.body.files).includes(currency));
    const completes = slack.callsTo('files.completeUploadExternal').filter((c) => c.body.channel_id === 'C0003');
    expect(completes).toHaveLength(services.size);
    for (const c of completes) expect(c.body.thread_ts).toBe('1700000000.000200');
    const uploaded = slack.uploads.reduce((n, u) => n + u.bytes, 0);
    const minimum = [...services.values()].reduce((n, m) => n + [...m.keys()].join('').length, 0);
    expect(uploaded).toBeGreaterThan(minimum);
  });
});

describe('Slack: request verification', () => {
  it('refuses a forged signature, an altered body and a stale timestamp with 401, posting nothing', async () => {
    const req = slashCommand({ text: 'cost', channel_id: 'C0FORGED' });
    const forged = await postSigned(events(), { ...req, secret: 'wrong-secret' });
    expect(forged.status).toBe(401);
    const stale = await postSigned(events(), { ...req, secret: SECRET, timestamp: nowSeconds() - 6 * 60 });
    expect(stale.status).toBe(401);
    const signedOther = await fetch(events(), {
      method: 'POST',
      headers: {
        ...(await import('../support/slack-requests.js')).sign(SECRET, req.body, undefined, req.contentType),
      },
      body: req.body.replace('cost', 'billed+cost'),
    });
    expect(signedOther.status).toBe(401);
    // A 401 is answered before any listener runs: nothing is left running that could post.
    expect(slack.calls.filter((c) => c.body.channel === 'C0FORGED' || c.body.channel_id === 'C0FORGED')).toHaveLength(
      0,
    );
  });
});
