import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../jobs/queues.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { type ApprovalWorld, createApprovalWorld, dropDedupeKeys, waitUntil } from '../support/approval-processes.js';
import { type BotConnectorFake, type ConnectorCall, startBotConnectorFake } from '../support/bot-connector-fake.js';
import { instanceState, runInstance } from '../support/moto.js';
import { drained, eventMark, eventsSince } from '../support/queue-state.js';
import { awsEndpoint, uniqueName } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { blockActions, postSigned } from '../support/slack-requests.js';
import {
  addUtcDays,
  effectiveCents,
  isoWeekday,
  moneyText,
  type SpikeFocus,
  writeSpikeFocus,
} from '../support/spike-focus.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';
import {
  type ActivityOptions,
  cardAction,
  channelMessage,
  conversationUpdate,
  personalMessage,
  TEAMS,
} from '../support/teams-activities.js';

// Issue 7 end to end: one `tally start` process with Slack (the Slack fake) and Teams (anonymous, the Bot Connector
// fake) together, on Redis, FerretDB and moto. A proposal made in a Teams channel is posted to that channel and to
// the Slack approval channel; a Teams approver and a Slack approver reach quorum once; an anomaly alert and a digest
// reach the Teams channel proactively through the conversation reference stored on first contact. Expected amounts
// are summed from the FOCUS file the test writes (spike-focus.ts), never taken from Tally.
const REGION = 'eu-west-2';
const SECRET = 'test-signing-secret';
const SLACK_CHANNEL = 'C0OPS';
/** A Monday: the spike is on the Sunday before, inside the last complete week the digest reports. */
const TODAY = '2026-03-16';
const CHANNEL = TEAMS.channelId;
const PERSONAL = 'a:1personal-ada';
const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';
/** The Teams users: Ada (the requester) is the default sender of the activity builders. */
const BOB = { id: '29:1user-bob', name: 'Bob', aadObjectId: '0b0b0b0b-0000-4000-8000-0000000000b0' };
const ALICE = { id: '29:1user-alice', name: 'Alice', aadObjectId: 'a11ce000-0000-4000-8000-0000000000a1' };
/** Carol is known on Slack only: in Teams she is nobody the policy names. */
const CAROL = { id: '29:1user-carol', name: 'Carol', aadObjectId: 'c0c0c0c0-0000-4000-8000-0000000000c0' };
// The comment after `approvals:` keeps createApprovalWorld from adding its Slack-only people: these have both.
const POLICY = `approvals: # people with Slack and Teams identities
  channel: ${SLACK_CHANNEL}
  people:
    ada: { name: Ada Lovelace, teams: ${TEAMS.userAadId} }
    alice: { name: Alice, slack: U0ALICE, teams: ${ALICE.aadObjectId} }
    bob: { name: Bob, teams: ${BOB.aadObjectId} }
    carol: { name: Carol, slack: U0CAROL }
  risk:
    medium: { approvers: [alice, bob, carol], quorum: 2, remindAfter: 1h, escalateAfter: 2h, expireAfter: 1d }
guardrails:
  dailyLimitPerAccount: 1000
notifications:
  routes:
    - { teamsChannel: '${CHANNEL}', minSeverity: low }
`;
/** In every Slack trigger id and Teams activity id of this file, so that its dedupe keys in Redis can be removed. */
const RUN = uniqueName('teams_apr');
let seq = 0;
const nextId = (kind: string) => `${RUN}.${kind}${++seq}`;

let dir: string;
let focus: SpikeFocus;
let world: ApprovalWorld;
let slack: SlackFake;
let connector: BotConnectorFake;
let tally: TallyProcess;
let redis: Redis;
let digestQueue: Queue;

/** Posts an activity to `/api/messages`; an invoke's answer is the response body. */
async function activity(a: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${tally.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(a),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
const opts = (from?: ActivityOptions['from']): ActivityOptions => ({
  serviceUrl: connector.serviceUrl,
  id: nextId('a'),
  ...(from ? { from } : {}),
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-teams-apr-'));
  focus = await writeSpikeFocus(dir, { spikeDay: addUtcDays(TODAY, -1) });
  world = await createApprovalWorld({ region: REGION, policy: POLICY });
  [slack, connector] = await Promise.all([startSlackFake(), startBotConnectorFake()]);
  redis = new Redis(world.env().REDIS_URL!, { maxRetriesPerRequest: null });
  digestQueue = new Queue('digest', { connection: redis, prefix: world.name });
  tally = await startTally(
    world.env({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      TALLY_TEAMS_ANONYMOUS: 'true',
      TALLY_FOCUS_FILE: focus.path,
      TALLY_TODAY: TODAY,
      TALLY_SCAN_CRON: '*/2 * * * * *',
    }),
  );
});

afterAll(async () => {
  await tally?.stop();
  await digestQueue?.close();
  redis?.disconnect();
  await Promise.all([slack?.close(), connector?.close()]);
  await world?.close();
  await dropDedupeKeys(RUN);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const attachments = (body: Record<string, unknown>) =>
  (body.attachments as { contentType?: string; content?: unknown }[] | undefined) ?? [];
const cardOf = (call: ConnectorCall) => attachments(call.body).find((a) => a.contentType === CARD)?.content;
/**
 * The card of a call as JSON text, with the renderer's markdown escapes removed (a TextBlock shows `apr\\_1` as
 * `apr_1`), so that ids and amounts can be looked for as they read.
 */
const cardText = (call: ConnectorCall) =>
  JSON.stringify(cardOf(call) ?? '').replace(/\\\\([\\`*_{}[\]()#+\-.!~|>])/g, '$1');
/**
 * Whether a call is a proactive message in `conversation`: botbuilder sends it in a continued conversation, as a
 * reply to the continuation's own made-up activity id (or as a new activity), never to an activity of this test.
 */
const proactiveIn = (conversation: string) => (c: ConnectorCall) =>
  (c.kind === 'send' || c.kind === 'reply') &&
  c.conversationId === conversation &&
  !(c.activityId ?? '').startsWith(RUN) &&
  c.body.type === 'message';
/** The first proactive message in `conversation` matching `predicate`, recorded or arriving. */
const proactive = (conversation: string, predicate: (c: ConnectorCall) => boolean, timeoutMs: number) =>
  waitUntil(
    () => connector.calls.find((c) => proactiveIn(conversation)(c) && predicate(c)),
    () =>
      `a proactive message in ${conversation}; recorded:\n${connector.calls
        .map((c) => `${c.kind} ${c.conversationId} ${c.activityId} ${cardText(c).slice(0, 300)}`)
        .join('\n')}`,
    timeoutMs,
  );
/** Every `Action.Execute` of a card, nested ones (a ShowCard's) included. */
function executes(card: unknown): { verb: string; data: Record<string, unknown> }[] {
  const found: { verb: string; data: Record<string, unknown> }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string')
        found.push({ verb: o.verb, data: (o.data as Record<string, unknown>) ?? {} });
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') visit(v);
    }
  };
  visit(card);
  return found;
}
const verbsOf = (card: unknown) => executes(card).map((e) => e.verb);
const slackText = (call: SlackCall) => JSON.stringify(call.body.blocks ?? '') + String(call.body.text ?? '');
function slackButtons(call: SlackCall): { action_id: string; value: string }[] {
  const found: { action_id: string; value: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      if (o.type === 'button' && typeof o.action_id === 'string')
        found.push({ action_id: o.action_id, value: String(o.value ?? '') });
      Object.values(o).forEach(visit);
    }
  };
  visit(call.body.blocks);
  return found;
}

/** Sends an `Action.Execute` invoke about the approval card `messageId` in the Teams channel, as `from`. */
const invoke = (verb: string, data: Record<string, unknown>, from: ActivityOptions['from'], messageId: string) =>
  activity(
    cardAction({
      ...opts(from),
      verb,
      data,
      ...(verb === 'refresh' ? { trigger: 'automatic' as const } : {}),
      replyToId: messageId,
      conversationId: `${CHANNEL};messageid=${messageId}`,
      conversationType: 'channel',
    }),
  ) as Promise<{ statusCode?: number; type?: string; value?: unknown }>;

describe('Teams and Slack together with tally start', () => {
  it('first contact stores the references: a personal message from the requester and the channel install', async () => {
    await activity(conversationUpdate({ ...opts(), conversationType: 'channel' }));
    const hello = personalMessage({ ...opts(), text: 'help' });
    await activity(hello);
    // Answered in the personal chat: the turn ran, and its reference was saved before the answer.
    const reply = await connector.waitFor(
      'reply',
      (c) => c.activityId === hello.id && c.body.type === 'message',
      15_000,
    );
    expect(reply.conversationId).toBe(PERSONAL);
  });

  it('a proposal from Teams → Bob approves (Teams), Carol refreshes, Alice approves (Slack): executed exactly once', async () => {
    const instance = world.track(await runInstance(awsEndpoint(), REGION));
    const propose = channelMessage({ ...opts(), text: `propose stop ${instance} in ${REGION} because idle` });
    await activity(propose);

    // The approval card is posted proactively, top level in the Teams channel, with the Universal Actions.
    const card = await proactive(
      CHANNEL,
      (c) => cardText(c).includes(instance) && verbsOf(cardOf(c)).includes('approve'),
      20_000,
    );
    const approve = executes(cardOf(card)).find((e) => e.verb === 'approve')!;
    const id = String(approve.data.id);
    expect(id).toMatch(/^apr_/);
    expect(verbsOf(cardOf(card))).toEqual(expect.arrayContaining(['approve', 'reject', 'details']));
    for (const e of executes(cardOf(card))) expect(e.data.id).toBe(id);
    const cardId = String((card.reply as { id: string }).id);

    // …and in the policy's Slack approval channel.
    const slackPost = await waitUntil(
      () =>
        slack
          .callsTo('chat.postMessage')
          .find(
            (c) =>
              c.body.channel === SLACK_CHANNEL &&
              slackButtons(c).some((b) => b.action_id === ACTIONS.APPROVE && b.value === id),
          ),
      `the approval message in ${SLACK_CHANNEL}`,
    );
    const ts = String((slackPost.reply as Record<string, unknown>).ts);
    const approval = await waitUntil(async () => {
      const a = await world.approvals.get(id);
      return a && a.messages.length === 2 ? a : null;
    }, `approval ${id} to record both messages`);
    expect(approval).toMatchObject({
      state: 'PENDING',
      requester: { person: 'ada' },
      action: { kind: 'stop_instance', target: { resourceId: instance, region: REGION } },
    });
    expect(approval.messages.map((m) => [m.platform, m.channel, m.messageId]).sort()).toEqual([
      ['slack', SLACK_CHANNEL, ts],
      ['teams', CHANNEL, cardId],
    ]);

    // Bob approves in Teams: the invoke answers with his view of the card, his vote in it and no vote buttons.
    const bobs = await invoke('approve', { id }, BOB, cardId);
    expect(bobs.type).toBe(CARD);
    const bobView = JSON.stringify(bobs.value);
    expect(bobView).toContain('You voted approve');
    expect(bobView).toContain('1 of 2');
    expect(verbsOf(bobs.value)).not.toContain('approve');
    expect(bobView).toContain('"verb":"refresh"');
    // The shared messages are updated in place on both platforms.
    const teamsUpdate = await connector.waitFor(
      'update',
      (c) => c.activityId === cardId && cardText(c).includes('1 of 2'),
      15_000,
    );
    expect(teamsUpdate.conversationId).toBe(CHANNEL);
    await slack.waitFor('chat.update', (c) => c.body.ts === ts && slackText(c).includes('1 of 2'), 15_000);
    // The vote is noted in the card's reply chain.
    await proactive(`${CHANNEL};messageid=${cardId}`, (c) => cardText(c).includes('Bob approved (1 of 2)'), 15_000);

    // Carol's card refreshes in Teams, where the policy does not know her: progress, no vote buttons.
    const carols = await invoke('refresh', { id }, CAROL, cardId);
    expect(carols.type).toBe(CARD);
    expect(JSON.stringify(carols.value)).toContain('1 of 2');
    expect(verbsOf(carols.value)).not.toContain('approve');
    expect(JSON.stringify(carols.value)).not.toContain('You voted');
    // Alice, who has not voted, gets the vote buttons on refresh.
    const alicesView = await invoke('refresh', { id }, ALICE, cardId);
    expect(verbsOf(alicesView.value)).toEqual(expect.arrayContaining(['approve', 'reject']));
    expect((await world.approvals.get(id))?.votes.map((v) => v.voter.person)).toEqual(['bob']);

    // Alice approves from Slack: quorum.
    const responseId = nextId('r');
    const res = await postSigned(`${tally.url}/slack/events`, {
      ...blockActions({
        actionId: ACTIONS.APPROVE,
        value: id,
        user: 'U0ALICE',
        userName: 'alice',
        channel: SLACK_CHANNEL,
        messageTs: ts,
        triggerId: nextId('t'),
        responseUrl: slack.responseUrl(responseId),
      }),
      secret: SECRET,
    });
    expect(res.status, res.text).toBe(200);
    await slack.waitFor('response', (c) => c.path === `/response/${encodeURIComponent(responseId)}`, 15_000);

    const done = await world.waitForState(id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.votes.map((v) => [v.voter.person, v.voter.via?.platform])).toEqual([
      ['bob', 'teams'],
      ['alice', 'slack'],
    ]);
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');
    // The requester is told in their personal chat (the reference of the first contact): Tally's last step.
    await proactive(PERSONAL, (c) => cardText(c).includes(id) && cardText(c).includes('SUCCEEDED'), 20_000);
    await waitUntil(async () => (await world.events(id)).includes('message.direct'), 'the audit of the DM');

    const trail = await world.audit.list({ approvalId: id });
    const count = (event: string) => trail.filter((e) => e.event === event).length;
    expect(count('decision.approved')).toBe(1);
    expect(count('execution.enqueued')).toBe(1);
    expect(count('execution.succeeded')).toBe(1);
    expect(trail.filter((e) => e.event === 'vote.approve').map((e) => e.actor)).toEqual(['bob', 'alice']);

    // Alice approving again from Teams (the same person) is refused with a message and changes nothing.
    const before = await world.approvals.get(id);
    // What Tally sends about the approval: its card, its reply chain, DMs naming it (the alert scans go on meanwhile).
    const aboutIt = () =>
      connector.calls.filter((c) => c.conversationId === `${CHANNEL};messageid=${cardId}` || cardText(c).includes(id))
        .length;
    const sent = aboutIt();
    const slackCalls = slack.calls.length;
    const again = await invoke('approve', { id }, ALICE, cardId);
    expect(again.type).toBe(MESSAGE);
    expect(String(again.value)).not.toBe('');
    // The invoke is answered once the click's work is done: nothing about it is still running.
    expect(await world.approvals.get(id)).toEqual(before);
    expect(await world.audit.list({ approvalId: id })).toHaveLength(trail.length);
    expect(aboutIt()).toBe(sent);
    expect(slack.calls).toHaveLength(slackCalls);
  });

  it('the anomaly alert reaches the Teams channel of its route proactively, with the amount from the file', async () => {
    const actual = effectiveCents(
      focus.rows,
      { from: focus.spike.day, to: focus.spike.day },
      (r) => r.ServiceName === focus.spike.service,
    );
    expect([...actual.keys()]).toEqual(['USD']);
    const amount = moneyText(actual.get('USD')!, 'USD');
    const alert = await proactive(
      CHANNEL,
      (c) => cardText(c).includes(focus.spike.service) && /critical/i.test(cardText(c)),
      40_000,
    );
    const text = cardText(alert);
    expect(text).toContain(amount);
    expect(text).toContain(focus.spike.day);
    const actions = executes(cardOf(alert));
    expect(actions.map((a) => a.verb)).toEqual(['alert_ack', 'alert_investigate', 'alert_mute', ACTIONS.ALERT_SNOOZE]);
    expect(String(actions[0]!.data.id)).toMatch(/^anm_[0-9a-f]{16}$/);
    // Later scans (every two seconds) see the anomaly again and do not alert it twice: once two more scans have
    // completed and every delivery they could have asked for has run, there is still one alert.
    const scans = new Queue(QUEUES.anomalyScan, { connection: redis, prefix: world.name });
    const notify = new Queue(QUEUES.notify, { connection: redis, prefix: world.name });
    try {
      const mark = await eventMark(scans);
      await waitUntil(
        async () => (await eventsSince(scans, mark)).filter((e) => e.event === 'completed').length >= 2 || undefined,
        'two more anomaly scans',
        30_000,
      );
      await drained(notify);
    } finally {
      await Promise.all([scans.close(), notify.close()]);
    }
    const isAlert = (c: ConnectorCall) =>
      proactiveIn(CHANNEL)(c) && cardText(c).includes(`Anomaly: ${focus.spike.service}`);
    expect(connector.calls.filter(isAlert)).toHaveLength(1);
  });

  it('subscribes the Teams channel to a weekly digest and delivers it there with the week totals', async () => {
    const subscribe = channelMessage({ ...opts(), text: 'digest subscribe weekly mon 09:00 Europe/Berlin' });
    await activity(subscribe);
    const subscribed = await connector.waitFor(
      'reply',
      (c) => c.activityId === subscribe.id && cardText(c).includes('Digest subscribed'),
      15_000,
    );
    expect(subscribed.conversationId).toBe(`${CHANNEL};messageid=${subscribe.id}`);
    // The pinned clock says Monday 2026-03-16 after 12:00 UTC: the next one is the next Monday, winter time.
    expect(cardText(subscribed)).toContain('Monday, 23 March 2026 at 09:00 Europe/Berlin (08:00 UTC)');
    const subscriptionId = /dig_[0-9a-f]+/.exec(cardText(subscribed))?.[0];
    expect(subscriptionId).toBeDefined();
    const scheduler = (await digestQueue.getJobSchedulers()).find(
      (s) => s.template?.data?.subscriptionId === subscriptionId,
    );
    expect(scheduler).toMatchObject({ pattern: '0 9 * * 1', tz: 'Europe/Berlin' });

    // Fire it now, as the scheduler would on Monday at 09:00.
    await digestQueue.add('digest', { subscriptionId: subscriptionId! });
    const digest = await proactive(CHANNEL, (c) => cardText(c).includes('Weekly cost digest'), 20_000);
    const lastSunday = addUtcDays(TODAY, -(isoWeekday(TODAY) + 1));
    const week = { from: addUtcDays(lastSunday, -6), to: lastSunday };
    const totals = effectiveCents(focus.rows, week);
    expect([...totals.keys()].sort()).toEqual(['EUR', 'USD']);
    for (const [currency, cents] of totals) {
      expect(cardText(digest)).toContain(`Total (${currency})`);
      expect(cardText(digest)).toContain(moneyText(cents, currency));
    }
    expect(cardText(digest)).toContain(`${week.from} to ${week.to}`);
  });
});
