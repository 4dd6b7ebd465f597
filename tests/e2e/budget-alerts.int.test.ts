import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../jobs/queues.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { dropDedupeKeys, waitUntil } from '../support/approval-processes.js';
import { dropPrefix } from '../support/approval-runtime.js';
import { type BotConnectorFake, type ConnectorCall, startBotConnectorFake } from '../support/bot-connector-fake.js';
import { readFixture } from '../support/focus-oracle.js';
import { drained } from '../support/queue-state.js';
import { mongoUrl, redisUrl, uniqueName } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { appHomeOpened, blockActions, eventCallback, postSigned } from '../support/slack-requests.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { addUtcDays, effectiveCents, isoWeekday, moneyText } from '../support/spike-focus.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';
import { type ActivityOptions, conversationUpdate, personalMessage, TEAMS } from '../support/teams-activities.js';
import { startTwilioFake, type TwilioFake } from '../support/twilio-fake.js';

// Issue 16, acceptance 2, end to end: `tally start` as a real process (web server and job workers) with Redis,
// MongoDB (FerretDB), the Slack fake, the Bot Connector fake (Teams), a real SMTP server on loopback and a Twilio
// fake. Two budgets of the policy file on the payments account, one alerting a Slack channel and its owner by Slack
// DM, one a Teams channel and its owner by Teams DM. Syncs are the scheduled import of TALLY_FOCUS_FILE (a FOCUS file
// this test rewrites), run as `import` jobs; the budget check each asks for is promoted instead of waited for, and
// "nothing more" is asserted once the check has run and the notify queue is drained. Every figure is summed from the
// file by this test.
const SECRET = 'test-signing-secret';
const MARCH = '2026-03-20';
const APRIL = '2026-04-20';
const SLACK_CHANNEL = 'C0BUDGET';
const TEAMS_CHANNEL = TEAMS.channelId;
const ALICE = { slack: 'U0ALICE', email: 'alice@example.com', phone: '+15550100300' };
const BOB = { id: '29:1user-bob', name: 'Bob', aadObjectId: '0b0b0b0b-0000-4000-8000-0000000000b0' };
const BOB_CHAT = 'a:1personal-bob';
const PAYMENTS = '111100002222';
/** When the schedules would fire on their own: never during the test (a year away), so every check is the test's. */
const NEVER = '0 0 1 1 *';
const RUN = uniqueName('e2e_budgets');
let seq = 0;
const nextId = (kind: string) => `${RUN}.${kind}${++seq}`;

/** A series of the file: an account's service and its usual weekday cost (weekends cost 60% of it). */
const LINES = [
  { account: [PAYMENTS, 'payments-prod'], service: 'Amazon Elastic Compute Cloud', weekday: 140 },
  { account: [PAYMENTS, 'payments-prod'], service: 'Amazon Simple Storage Service', weekday: 45 },
  { account: [PAYMENTS, 'payments-prod'], service: 'AWS Lambda', weekday: 12 },
  { account: ['333300004444', 'search-prod'], service: 'Amazon Elastic Compute Cloud', weekday: 100 },
] as const;
/** April costs more (1.25×), and its 10th three times that: the day a late delivery brings. */
const LATE_DAY = '2026-04-10';

/** Writes the FOCUS file with the days from `from` through `to`, leaving out `skip`. */
async function writeFocus(from: string, to: string, skip?: string): Promise<Record<string, string>[]> {
  const header =
    'BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargeCategory,ChargePeriodStart,' +
    'ChargePeriodEnd,BilledCost,EffectiveCost,ListCost,ProviderName,ServiceName,ServiceCategory,SubAccountId,SubAccountName';
  const lines = [header];
  for (let day = from; day <= to; day = addUtcDays(day, 1)) {
    if (day === skip) continue;
    const month = day.slice(0, 7);
    const next = addUtcDays(`${month}-28`, 4).slice(0, 7);
    const scale = (month === '2026-04' ? 1.25 : 1) * (day === LATE_DAY ? 3 : 1);
    for (const [i, l] of LINES.entries()) {
      const weekend = isoWeekday(day) >= 5 ? 0.6 : 1;
      const wobble = 1 + ((Number(day.slice(8)) * 7 + i * 3) % 11) / 100;
      const cost = (l.weekday * weekend * wobble * scale).toFixed(4);
      lines.push(
        [
          '999900001111',
          'USD',
          `${month}-01T00:00:00Z`,
          `${next}-01T00:00:00Z`,
          'Usage',
          `${day}T00:00:00Z`,
          `${addUtcDays(day, 1)}T00:00:00Z`,
          cost,
          cost,
          cost,
          'AWS',
          l.service,
          'Compute',
          l.account[0],
          l.account[1],
        ].join(','),
      );
    }
  }
  await writeFile(focusPath, `${lines.join('\n')}\n`);
  return readFixture(focusPath);
}

let dir: string;
let focusPath: string;
let rows: Record<string, string>[];
let amount: number;
let slack: SlackFake;
let connector: BotConnectorFake;
let smtp: SmtpSink;
let twilio: TwilioFake;
let tally: TallyProcess;
let redis: Redis;
let syncQueue: Queue;
let budgetQueue: Queue;
let notifyQueue: Queue;

/** The payments account's effective cost over the days, from the file. */
const payments = (from: string, to: string, service?: string) =>
  effectiveCents(
    rows,
    { from, to },
    (r) => r.SubAccountId === PAYMENTS && (service === undefined || r.ServiceName === service),
  ).get('USD') ?? 0;

function policy(): string {
  const budget = (name: string, channel: string, owner: string) =>
    `    - { name: ${name}, amount: ${amount} USD, scope: { accounts: ['${PAYMENTS}'] }, owners: [${owner}], ` +
    // The forecast threshold out of reach: this test follows the spend.
    `channel: '${channel}', thresholds: { actual: [50, 80, 100], forecast: [1000] } }`;
  return `approvals:
  people:
    alice: { name: Alice, slack: ${ALICE.slack}, email: ${ALICE.email}, phone: "${ALICE.phone}" }
    bob: { name: Bob, teams: ${BOB.aadObjectId} }
budgets:
  list:
${budget('pay-slack', SLACK_CHANNEL, 'alice')}
${budget('pay-teams', TEAMS_CHANNEL, 'bob')}
`;
}

const env = (today: string): Record<string, string> => ({
  HOME: dir,
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: slack.url,
  TALLY_TEAMS_ANONYMOUS: 'true',
  REDIS_URL: redisUrl(),
  TALLY_QUEUE_PREFIX: RUN,
  MONGODB_URI: `${mongoUrl()}/${RUN}`,
  TALLY_FOCUS_FILE: focusPath,
  TALLY_POLICY_FILE: join(dir, 'policy.yml'),
  TALLY_TODAY: today,
  TALLY_SYNC_CRON: NEVER,
  TALLY_SCAN_CRON: NEVER,
  SMTP_URL: smtp.url,
  TALLY_EMAIL_FROM: 'Tally <tally@example.com>',
  TWILIO_ACCOUNT_SID: twilio.accountSid,
  TWILIO_AUTH_TOKEN: twilio.authToken,
  TWILIO_FROM: '+15550009999',
  TWILIO_API_URL: twilio.url,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-budgets-'));
  focusPath = join(dir, 'focus.csv');
  // The amount: the payments account's March spend through the 19th is 85% of it (rounded up to 100 USD).
  rows = await writeFocus('2026-02-01', '2026-03-19');
  amount = Math.ceil(payments('2026-03-01', '2026-03-19') / 0.85 / 100) * 100;
  // Tally starts with March through the 10th: under 50%.
  rows = await writeFocus('2026-02-01', '2026-03-10');
  expect(payments('2026-03-01', '2026-03-10') / amount).toBeLessThan(0.5);
  await writeFile(join(dir, 'policy.yml'), policy());
  [slack, connector, smtp, twilio] = await Promise.all([
    startSlackFake(),
    startBotConnectorFake(),
    startSmtpSink(),
    startTwilioFake(),
  ]);
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  syncQueue = new Queue(QUEUES.sync, { connection: redis, prefix: RUN });
  budgetQueue = new Queue(QUEUES.budgetCheck, { connection: redis, prefix: RUN });
  notifyQueue = new Queue(QUEUES.notify, { connection: redis, prefix: RUN });
  tally = await startTally(env(MARCH));
}, 60_000);

afterAll(async () => {
  await tally?.stop();
  await Promise.all([syncQueue?.close(), budgetQueue?.close(), notifyQueue?.close()]);
  redis?.disconnect();
  await Promise.all([slack?.close(), connector?.close(), smtp?.close(), twilio?.close()]);
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

/** Posts a Teams activity to `/api/messages`. */
async function activity(a: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${tally.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(a),
  });
  expect(res.status, await res.text()).toBe(200);
}
const opts = (from?: ActivityOptions['from']): ActivityOptions => ({
  serviceUrl: connector.serviceUrl,
  id: nextId('a'),
  ...(from ? { from } : {}),
});

/** A job's state once it has finished, failing the test with its reason if it failed. */
async function finished(queue: Queue, job: Job, what: string): Promise<unknown> {
  return waitUntil(
    async () => {
      const state = await job.getState();
      if (state === 'failed') throw new Error(`${what} failed: ${(await queue.getJob(job.id!))?.failedReason}`);
      return state === 'completed' ? ((await queue.getJob(job.id!))?.returnvalue ?? {}) : undefined;
    },
    what,
    30_000,
  );
}

/**
 * One sync: the scheduled import of the FOCUS file, then the budget check it asks for (delayed a minute after syncs;
 * promoted here), then every delivery it enqueued. Resolves with the check's outcome.
 */
async function sync(): Promise<{ alerted: number; seen: number; deliveries: number }> {
  await finished(syncQueue, await syncQueue.add('import', {}), 'the import job');
  const check = await waitUntil(
    // Not the daily schedule's next job (it has a scheduler key): the one the sync added.
    async () => (await budgetQueue.getJobs(['delayed', 'waiting', 'active'])).find((j) => !j.repeatJobKey),
    'the budget check the sync asked for',
  );
  if ((await check.getState()) === 'delayed') await check.promote();
  const outcome = (await finished(budgetQueue, check, 'the budget check')) as {
    alerted: number;
    seen: number;
    deliveries: number;
  };
  await drained(notifyQueue);
  return outcome;
}

const slackText = (c: SlackCall) => JSON.stringify(c.body.blocks ?? '') + String(c.body.text ?? '');
const slackPosts = (channel: string, title: string) =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => c.body.channel === channel && c.body.thread_ts === undefined && slackText(c).includes(title));
const CARD = 'application/vnd.microsoft.card.adaptive';
const cardText = (c: ConnectorCall) =>
  JSON.stringify(
    ((c.body.attachments as { contentType?: string; content?: unknown }[] | undefined) ?? []).find(
      (a) => a.contentType === CARD,
    )?.content ?? '',
  ).replace(/\\\\([\\`*_{}[\]()#+\-.!~|>])/g, '$1');
/** Proactive messages (not replies to this test's activities) in a Teams conversation that hold `title`. */
const teamsPosts = (conversation: string, title: string) =>
  connector.calls.filter(
    (c) =>
      (c.kind === 'send' || c.kind === 'reply') &&
      c.conversationId === conversation &&
      !(c.activityId ?? '').startsWith(RUN) &&
      c.body.type === 'message' &&
      cardText(c).includes(title),
  );
function slackButtons(c: SlackCall): { action_id: string; value: string; label: string }[] {
  const found: { action_id: string; value: string; label: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o.type === 'button' && typeof o.action_id === 'string')
        found.push({
          action_id: o.action_id,
          value: String(o.value ?? ''),
          label: String((o.text as Record<string, unknown> | undefined)?.text ?? ''),
        });
      Object.values(o).forEach(visit);
    }
  };
  visit(c.body.blocks);
  return found;
}

/** Every alert this file expects, by where it goes and its title. */
function alertCounts(title: (budget: string) => string) {
  return {
    slackChannel: slackPosts(SLACK_CHANNEL, title('pay-slack')).length,
    slackDm: slackPosts(`D${ALICE.slack}`, title('pay-slack')).length,
    teamsChannel: teamsPosts(TEAMS_CHANNEL, title('pay-teams')).length,
    teamsDm: teamsPosts(BOB_CHAT, title('pay-teams')).length,
  };
}
const ONCE = { slackChannel: 1, slackDm: 1, teamsChannel: 1, teamsDm: 1 };

describe('budget alerts with tally start, Slack and Teams', () => {
  it('first contact stores the Teams references: the channel install and the owner writing to Tally', async () => {
    await activity(conversationUpdate({ ...opts(), conversationType: 'channel' }));
    const hello = personalMessage({ ...opts(BOB), text: 'help', conversationId: BOB_CHAT });
    await activity(hello);
    await connector.waitFor('reply', (c) => c.activityId === hello.id && c.body.type === 'message', 15_000);
  });

  it('a sync that moves the spend past 80% alerts once in Slack and Teams, channel and owner, with its figures', async () => {
    rows = await writeFocus('2026-02-01', '2026-03-19');
    const spent = payments('2026-03-01', '2026-03-19');
    expect(spent / amount).toBeGreaterThanOrEqual(0.8);
    expect(spent / amount).toBeLessThan(1);

    const outcome = await sync();
    expect(outcome).toMatchObject({ alerted: 2, seen: 0 });
    const title = (b: string) => `Budget ${b}: 80% spent — March 2026`;
    expect(alertCounts(title)).toEqual(ONCE);

    const [post] = slackPosts(SLACK_CHANNEL, title('pay-slack'));
    const text = slackText(post!);
    const share = `${((spent / amount) * 100).toFixed(1)}%`;
    expect(text).toContain(`${moneyText(spent, 'USD')} of ${moneyText(amount, 'USD')} spent (${share})`);
    expect(text).toContain('It also passed 50%.');
    // The top drivers since the period's start (no alert before): the account's services, largest first.
    for (const service of LINES.filter((l) => l.account[0] === PAYMENTS).map((l) => l.service))
      expect(text).toContain(
        `${service} · payments-prod (${PAYMENTS}): ${moneyText(payments('2026-03-01', '2026-03-19', service), 'USD')}`,
      );
    expect(slackButtons(post!).map((b) => [b.action_id, b.label, b.value])).toEqual([
      [ACTIONS.BUDGET_ACK, 'Acknowledge', 'pay-slack|2026-03|actual|80'],
      [
        ACTIONS.BUDGET_INVESTIGATE,
        'Investigate',
        `compare from 2026-03-01 to 2026-03-19 vs the period before by service for account ${PAYMENTS}`,
      ],
      [ACTIONS.BUDGET_REQUEST, 'Request increase', 'pay-slack'],
    ]);
    const [card] = teamsPosts(TEAMS_CHANNEL, title('pay-teams'));
    expect(cardText(card!)).toContain(`${moneyText(spent, 'USD')} of ${moneyText(amount, 'USD')} spent (${share})`);
    // 80% is not critical: no email, no SMS.
    expect(smtp.to(ALICE.email)).toHaveLength(0);
    expect(twilio.to(ALICE.phone)).toHaveLength(0);
  });

  it('Investigate answers in the alert thread with the comparison the alert names', async () => {
    const [post] = slackPosts(SLACK_CHANNEL, 'Budget pay-slack: 80% spent');
    const ts = String((post!.reply as Record<string, unknown>).ts);
    const investigate = slackButtons(post!).find((b) => b.action_id === ACTIONS.BUDGET_INVESTIGATE)!;
    const res = await postSigned(`${tally.url}/slack/events`, {
      ...blockActions({
        actionId: investigate.action_id,
        value: investigate.value,
        user: ALICE.slack,
        userName: 'alice',
        channel: SLACK_CHANNEL,
        messageTs: ts,
        triggerId: nextId('t'),
        responseUrl: slack.responseUrl(nextId('r')),
      }),
      secret: SECRET,
    });
    expect(res.status, res.text).toBe(200);
    // The 19 days against the 19 before, by service, for the payments account: summed from the file.
    const answer = await waitUntil(
      () =>
        slack.calls.find(
          (c) =>
            c.body.channel === SLACK_CHANNEL &&
            ((c.method === 'chat.postMessage' && c.body.thread_ts === ts) ||
              (c.method === 'chat.update' && c.body.ts !== ts)) &&
            slackText(c).includes(moneyText(payments('2026-02-10', '2026-02-28'), 'USD')),
        ),
      'the comparison in the alert thread',
      20_000,
    );
    expect(slackText(answer)).toContain(moneyText(payments('2026-03-01', '2026-03-19'), 'USD'));
  });

  it('a repeated sync alerts nothing again', async () => {
    const outcome = await sync();
    expect(outcome).toMatchObject({ alerted: 0, seen: 2, deliveries: 0 });
    expect(alertCounts((b) => `Budget ${b}: 80% spent — March 2026`)).toEqual(ONCE);
  });

  it('a new period starts over, and a late-arriving day that crosses 100% alerts once, by email and SMS too', async () => {
    // April through the 19th, its 10th not delivered yet.
    await tally.stop();
    rows = await writeFocus('2026-02-01', '2026-04-19', LATE_DAY);
    const without = payments('2026-04-01', '2026-04-19');
    expect(without / amount).toBeGreaterThanOrEqual(0.8);
    expect(without / amount).toBeLessThan(1);
    tally = await startTally(env(APRIL));

    expect(await sync()).toMatchObject({ alerted: 2 });
    expect(alertCounts((b) => `Budget ${b}: 80% spent — April 2026`)).toEqual(ONCE);

    // The 10th arrives late: it crosses 100%.
    rows = await writeFocus('2026-02-01', '2026-04-19');
    const spent = payments('2026-04-01', '2026-04-19');
    expect(spent / amount).toBeGreaterThanOrEqual(1);
    expect(await sync()).toMatchObject({ alerted: 2 });
    const title = (b: string) => `Budget ${b}: 100% spent — April 2026`;
    expect(alertCounts(title)).toEqual(ONCE);
    const [post] = slackPosts(SLACK_CHANNEL, title('pay-slack'));
    expect(slackText(post!)).toContain(`${moneyText(spent, 'USD')} of ${moneyText(amount, 'USD')} spent`);
    // No day of data came after the last alert's (the late day is before them): the drivers are the period's so far.
    const ec2 = LINES[0].service;
    expect(slackText(post!)).toContain(
      `${ec2} · payments-prod (${PAYMENTS}): ${moneyText(payments('2026-04-01', '2026-04-19', ec2), 'USD')}`,
    );

    const mail = await waitUntil(() => smtp.to(ALICE.email)[0], `an email to ${ALICE.email}`, 15_000);
    expect(mail.subject).toBe('Critical: budget pay-slack 100% spent');
    expect(mail.html).toContain(moneyText(spent, 'USD'));
    const sms = await waitUntil(() => twilio.to(ALICE.phone)[0], `an SMS to ${ALICE.phone}`, 15_000);
    expect(sms.body).toContain('Critical: budget pay-slack 100% spent');

    // Once: a further sync alerts nothing, and nobody got anything twice.
    expect(await sync()).toMatchObject({ alerted: 0, seen: 2 });
    expect(alertCounts(title)).toEqual(ONCE);
    expect(smtp.to(ALICE.email)).toHaveLength(1);
    expect(twilio.to(ALICE.phone)).toHaveLength(1);
  });

  it('App Home lists the budgets the person may see, over first', async () => {
    const res = await postSigned(`${tally.url}/slack/events`, {
      ...eventCallback(appHomeOpened({ user: ALICE.slack })),
      secret: SECRET,
    });
    expect(res.status, res.text).toBe(200);
    const publish = await slack.waitFor('views.publish', (c) => c.body.user_id === ALICE.slack, 30_000);
    const view = JSON.stringify(publish.body.view);
    const used = `${((payments('2026-04-01', '2026-04-19') / amount) * 100).toFixed(1)}%`;
    expect(view).toContain(`2 over (pay-slack ${used}, pay-teams ${used}), 0 at risk, 0 within budget.`);
  });
});
