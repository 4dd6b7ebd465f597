import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { dropDedupeKeys, waitUntil } from '../support/approval-processes.js';
import { dropPrefix } from '../support/approval-runtime.js';
import { mongoUrl, redisUrl, uniqueName } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { blockActions, postSigned, slashCommand } from '../support/slack-requests.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import {
  addUtcDays,
  effectiveCents,
  isoWeekday,
  moneyText,
  type SpikeFocus,
  writeSpikeFocus,
} from '../support/spike-focus.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';
import { startTwilioFake, type TwilioFake } from '../support/twilio-fake.js';

// Issue 6 end to end: `tally start` as a real process (web server and job workers) with Redis, MongoDB (FerretDB), the
// Slack fake, a real SMTP server on loopback and a Twilio fake. The anomaly scan runs every two seconds on a FOCUS
// file written by the test with one known spike; every expected figure is summed from that file, not taken from Tally.
const SECRET = 'test-signing-secret';
/** A Monday: the spike is on the day before (a Sunday), inside the last complete week the digest reports. */
const TODAY = '2026-03-16';
const ALERTS = 'C0ALERTS';
const DIGESTS = 'C0DIGEST';
const ONCALL = { slack: 'U0ONCALL', name: 'Olive Oncall', email: 'oncall@example.com', phone: '+15550100200' };
const DIGEST_EMAIL = 'finops@example.com';
const POLICY = `approvals:
  people:
    oncall: { name: ${ONCALL.name}, slack: ${ONCALL.slack}, email: ${ONCALL.email}, phone: "${ONCALL.phone}" }
notifications:
  routes:
    - { channel: ${ALERTS}, minSeverity: low }
  onCall: [oncall]
`;
/** Queue prefix, database name, and the token in every trigger id (so this run's dedupe keys can be removed). */
const RUN = uniqueName('e2e_alerts');
let seq = 0;
const nextId = (kind: string) => `${RUN}.${kind}${++seq}`;

let dir: string;
let focus: SpikeFocus;
let slack: SlackFake;
let smtp: SmtpSink;
let twilio: TwilioFake;
let tally: TallyProcess;
let redis: Redis;
let scanQueue: Queue;
let digestQueue: Queue;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-alerts-'));
  focus = await writeSpikeFocus(dir, { spikeDay: addUtcDays(TODAY, -1) });
  await writeFile(join(dir, 'policy.yml'), POLICY);
  [slack, smtp, twilio] = await Promise.all([startSlackFake(), startSmtpSink(), startTwilioFake()]);
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  scanQueue = new Queue('anomaly-scan', { connection: redis, prefix: RUN });
  digestQueue = new Queue('digest', { connection: redis, prefix: RUN });
  tally = await startTally({
    HOME: dir,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    REDIS_URL: redisUrl(),
    TALLY_QUEUE_PREFIX: RUN,
    MONGODB_URI: `${mongoUrl()}/${RUN}`,
    TALLY_FOCUS_FILE: focus.path,
    TALLY_POLICY_FILE: join(dir, 'policy.yml'),
    TALLY_TODAY: TODAY,
    TALLY_SCAN_CRON: '*/2 * * * * *',
    SMTP_URL: smtp.url,
    TALLY_EMAIL_FROM: 'Tally <tally@example.com>',
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: '+15550009999',
    TWILIO_API_URL: twilio.url,
  });
});

afterAll(async () => {
  await tally?.stop();
  await Promise.all([scanQueue?.close(), digestQueue?.close()]);
  redis?.disconnect();
  await Promise.all([slack?.close(), smtp?.close(), twilio?.close()]);
  const mongo = new MongoClient(mongoUrl());
  try {
    await mongo.db(RUN).dropDatabase();
  } finally {
    await mongo.close();
  }
  await dropPrefix(RUN);
  await dropDedupeKeys(RUN);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const send = async (req: { body: string; contentType: string }) => {
  const res = await postSigned(`${tally.url}/slack/events`, { ...req, secret: SECRET });
  expect(res.status, res.text).toBe(200);
};
const textOf = (call: SlackCall) => JSON.stringify(call.body.blocks ?? '') + String(call.body.text ?? '');
const posts = (channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
/** Top-level messages in the alerts channel (answers in an alert's thread are not alerts). */
const alertPosts = () => posts(ALERTS).filter((c) => c.body.thread_ts === undefined);
const tsOf = (call: SlackCall) => String((call.reply as Record<string, unknown>).ts);

/** Every button in a message's blocks. */
function buttonsOf(call: SlackCall): { action_id: string; value: string; label: string }[] {
  const found: { action_id: string; value: string; label: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o.type === 'button' && typeof o.action_id === 'string') {
        const label = String((o.text as Record<string, unknown> | undefined)?.text ?? '');
        found.push({ action_id: o.action_id, value: String(o.value ?? ''), label });
      }
      Object.values(o).forEach(visit);
    }
  };
  visit(call.body.blocks);
  return found;
}

/** Tally's log lines about failed deliveries, to explain a missing email or SMS. */
const deliveryFailures = () =>
  tally
    .output()
    .split('\n')
    .filter((l) => l.includes('"channel":"sms"') || l.includes('"channel":"email"'))
    .map((l) => l.slice(0, 400))
    .join('\n') || 'no delivery failures logged';

/** Completed anomaly-scan jobs and what each returned (the alert service's `ScanOutcome`). */
async function scans(): Promise<{ alerted: number; found: number; seen: number }[]> {
  const jobs = await scanQueue.getJobs(['completed'], 0, -1);
  return jobs.map((j) => {
    const r = (j.returnvalue ?? {}) as { alerted?: number; found?: number; skipped?: { seen?: number } };
    return { alerted: r.alerted ?? 0, found: r.found ?? 0, seen: r.skipped?.seen ?? 0 };
  });
}

/** The spike day's effective cost of the spiking service (every account), per currency, from the file. */
const spikeActual = () =>
  effectiveCents(
    focus.rows,
    { from: focus.spike.day, to: focus.spike.day },
    (r) => r.ServiceName === focus.spike.service,
  );

let alert: SlackCall;
let anomalyId: string;

describe('scheduled anomaly alerts and digests with tally start', () => {
  it('alerts the spike once in the channel, pages on-call by email and SMS, and never alerts it twice', async () => {
    const actual = spikeActual();
    expect([...actual.keys()]).toEqual(['USD']);
    const amount = moneyText(actual.get('USD')!, 'USD');

    alert = await waitUntil(() => alertPosts()[0], `an alert in ${ALERTS}`, 30_000);
    const text = textOf(alert);
    expect(text).toContain(focus.spike.service);
    expect(text).toContain(amount);
    expect(text).toContain(focus.spike.day);
    expect(text).toMatch(/critical/i);
    const buttons = buttonsOf(alert);
    expect(buttons.map((b) => [b.action_id, b.label])).toEqual([
      [ACTIONS.ALERT_ACK, 'Acknowledge'],
      [ACTIONS.ALERT_INVESTIGATE, 'Investigate'],
      [ACTIONS.ALERT_MUTE, 'Mute 7 days'],
      [ACTIONS.ALERT_SNOOZE, 'Snooze 1 day'],
    ]);
    anomalyId = buttons[0]!.value;
    expect(anomalyId).toMatch(/^anm_[0-9a-f]{16}$/);
    expect(new Set(buttons.map((b) => b.value))).toEqual(new Set([anomalyId]));

    const mail = await waitUntil(() => smtp.to(ONCALL.email)[0], `an email to ${ONCALL.email}`, 15_000);
    expect(mail.html).toContain(amount);
    expect(mail.html).toContain(focus.spike.service);
    expect(mail.subject).toMatch(/^Critical anomaly: /);
    const sms = await waitUntil(
      () => twilio.to(ONCALL.phone)[0],
      () => `an SMS to ${ONCALL.phone} (Twilio fake requests: ${twilio.requests.length}); ${deliveryFailures()}`,
      15_000,
    );
    expect(sms.from).toBe('+15550009999');
    expect(sms.body).toContain(focus.spike.service);
    expect(sms.body).toContain(amount);

    // Several more scans run (every two seconds) and each sees the anomaly again; none alerts it.
    const before = (await scans()).length;
    await waitUntil(async () => (await scans()).length >= before + 3, 'three more anomaly scans', 20_000);
    const outcomes = await scans();
    expect(outcomes.reduce((n, s) => n + s.alerted, 0)).toBe(1);
    expect(outcomes.every((s) => s.found === 1)).toBe(true);
    expect(outcomes.filter((s) => s.seen === 1).length).toBeGreaterThanOrEqual(3);
    expect(alertPosts()).toHaveLength(1);
    expect(smtp.to(ONCALL.email)).toHaveLength(1);
    expect(twilio.to(ONCALL.phone)).toHaveLength(1);
  });

  it('Acknowledge updates the alert to say who acknowledged it and removes the button', async () => {
    const ts = tsOf(alert);
    await send(
      blockActions({
        actionId: ACTIONS.ALERT_ACK,
        value: anomalyId,
        user: ONCALL.slack,
        userName: 'olive',
        channel: ALERTS,
        messageTs: ts,
        triggerId: nextId('t'),
        responseUrl: slack.responseUrl(nextId('r')),
      }),
    );
    const update = await slack.waitFor('chat.update', (c) => c.body.channel === ALERTS && c.body.ts === ts, 15_000);
    expect(textOf(update)).toContain(`Acknowledged by ${ONCALL.name}`);
    expect(textOf(update)).toContain(moneyText(spikeActual().get('USD')!, 'USD'));
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual([
      ACTIONS.ALERT_INVESTIGATE,
      ACTIONS.ALERT_MUTE,
      ACTIONS.ALERT_SNOOZE,
    ]);
  });

  it("Investigate answers in the alert's thread with the spike day against the week before, by account", async () => {
    const ts = tsOf(alert);
    await send(
      blockActions({
        actionId: ACTIONS.ALERT_INVESTIGATE,
        value: anomalyId,
        user: ONCALL.slack,
        userName: 'olive',
        channel: ALERTS,
        messageTs: ts,
        triggerId: nextId('t'),
        responseUrl: slack.responseUrl(nextId('r')),
      }),
    );
    // A slow answer is posted as "working on it" and updated in place; either way it sits in the alert's thread.
    const weekBefore = addUtcDays(focus.spike.day, -7);
    const isAnswer = (c: SlackCall) =>
      c.body.channel === ALERTS && textOf(c).includes(`${focus.spike.day} vs ${weekBefore}`);
    const answer = await waitUntil(
      () =>
        slack.calls.find(
          (c) =>
            ((c.method === 'chat.postMessage' && c.body.thread_ts === ts) ||
              (c.method === 'chat.update' && c.body.ts !== ts)) &&
            isAnswer(c),
        ),
      () =>
        `the compare answer in the alert's thread; sent since the alert: ${slack.calls
          .filter((c) => c.at >= alert.at && c.body.channel === ALERTS)
          .map((c) => `\n  ${c.method} ${JSON.stringify(c.body).slice(0, 300)}`)
          .join('')}`,
      20_000,
    );
    if (answer.method === 'chat.update') {
      const placeholder = slack.callsTo('chat.postMessage').find((c) => tsOf(c) === answer.body.ts);
      expect(placeholder?.body.thread_ts).toBe(ts);
    }
    // Only the spiking service counts (its accounts, on the spike day and a week before): summed from the file.
    const text = textOf(answer);
    const cents = (day: string, account?: string) =>
      effectiveCents(
        focus.rows,
        { from: day, to: day },
        (r) => r.ServiceName === focus.spike.service && (account === undefined || r.SubAccountId === account),
      ).get('USD')!;
    for (const day of [focus.spike.day, weekBefore]) {
      expect(text).toContain(moneyText(cents(day), 'USD'));
      for (const account of ['111100002222', '333300004444'])
        expect(text).toContain(moneyText(cents(day, account), 'USD'));
    }
    expect(text).toContain('payments-prod');
    expect(text).toContain('search-prod');
  });

  it('subscribes a channel to a weekly digest, schedules it in Redis, and delivers it to chat and email', async () => {
    await send(
      slashCommand({
        text: `digest subscribe weekly mon 09:00 Europe/Berlin to ${DIGEST_EMAIL}`,
        channel_id: DIGESTS,
        user_id: ONCALL.slack,
        user_name: 'olive',
        trigger_id: nextId('t'),
        response_url: slack.responseUrl(nextId('r')),
      }),
    );
    const subscribed = await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === DIGESTS && textOf(c).includes('Digest subscribed'),
      15_000,
    );
    // The pinned clock says 2026-03-16 (a Monday) after 12:00 UTC, so the next digest is the next Monday's 09:00
    // in Berlin, still winter time there: 08:00 UTC.
    expect(textOf(subscribed)).toContain('Monday, 23 March 2026 at 09:00 Europe/Berlin (08:00 UTC)');
    const subscriptionId = /dig_[0-9a-f]+/.exec(textOf(subscribed))?.[0];
    expect(subscriptionId).toBeDefined();

    const schedulers = await digestQueue.getJobSchedulers();
    const scheduler = schedulers.find((s) => s.template?.data?.subscriptionId === subscriptionId);
    expect(scheduler).toMatchObject({ pattern: '0 9 * * 1', tz: 'Europe/Berlin' });

    // Fire it now, as the scheduler would at 09:00 on Monday: a `digest` job with the subscription id.
    await digestQueue.add('digest', { subscriptionId: subscriptionId! });

    // The last complete Monday–Sunday week before today, summed from the file per currency.
    const lastSunday = addUtcDays(TODAY, -(isoWeekday(TODAY) + 1));
    const week = { from: addUtcDays(lastSunday, -6), to: lastSunday };
    const totals = effectiveCents(focus.rows, week);
    expect([...totals.keys()].sort()).toEqual(['EUR', 'USD']);

    const digest = await slack.waitFor(
      'chat.postMessage',
      (c) => c.body.channel === DIGESTS && textOf(c).includes('Weekly cost digest'),
      20_000,
    );
    const mail = await waitUntil(() => smtp.to(DIGEST_EMAIL)[0], `the digest email to ${DIGEST_EMAIL}`, 15_000);
    expect(mail.subject).toContain('Weekly cost digest');
    for (const [currency, cents] of totals) {
      const field = `Total (${currency})`;
      const amount = moneyText(cents, currency);
      expect(textOf(digest)).toContain(field);
      expect(textOf(digest)).toContain(amount);
      expect(mail.html).toContain(field);
      expect(mail.html).toContain(amount);
    }
    expect(textOf(digest)).toContain(`${week.from} to ${week.to}`);
    // The week holds the spike: the digest lists it among the week's anomalies.
    expect(textOf(digest)).toContain(`Anomaly on ${focus.spike.day}: ${focus.spike.service}`);
  });
});
