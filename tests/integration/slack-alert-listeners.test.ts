// The anomaly alert buttons through the real Slack app (createSlackAdapter, Bolt's HTTPReceiver, signed requests),
// answering into the loopback Slack fake, with the real AlertService on the in-process stores and a real TurnHandler
// over a few cost rollups, so that Investigate answers with a real comparison.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAlertRepository } from '../../adapters/memory/memory-alert.repository.js';
import { MemoryDedupeStore } from '../../adapters/memory/memory-dedupe.store.js';
import { createSlackAdapter } from '../../adapters/slack/slack-app.js';
import type { Anomaly } from '../../src/anomalies/anomaly.types.js';
import { defaultApprovalPolicy } from '../../src/config/approval-policy.schema.js';
import { ChatCore, type ChatCoreDeps } from '../../src/conversation/chat-core.js';
import { TurnHandler } from '../../src/conversation/handle-turn.service.js';
import { alertMessages } from '../../src/conversation/replies/alert.reply.js';
import { CommandService } from '../../src/conversation/run-command.js';
import type { Turn } from '../../src/conversation/turn.types.js';
import { CostQueryService } from '../../src/costs/cost-query.service.js';
import { ForecastService } from '../../src/costs/forecast.service.js';
import { AlertService } from '../../src/notifications/alert.service.js';
import type { Delivery } from '../../src/notifications/notification.types.js';
import { ACTIONS } from '../../src/shared/action-ids.js';
import { fixedClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { testAnomaly } from '../support/alert-fixtures.js';
import { testCostRepository } from '../support/cost-store.js';
import { testRollup } from '../support/rollups.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { blockActions, postSigned, type SlackRequest } from '../support/slack-requests.js';

const SECRET = 'alert-signing-secret';
const CHANNEL = 'C0ALERTS';
const clock = fixedClock(new Date('2026-05-17T06:00:00.000Z'));

let fake: SlackFake;
const servers: Server[] = [];
let endpoint: string;
let unconfigured: string;
let repo: MemoryAlertRepository;
let alerts: AlertService;
const turns: Turn[] = [];
const detected: Anomaly[] = [];
const ec2 = testAnomaly();

/** EC2 by account on the alert day and a week before, plus S3 that the comparison must leave out. */
async function costTurns(): Promise<TurnHandler> {
  const costs = await testCostRepository();
  const search = { subAccountId: '444455556666', subAccountName: 'search' };
  await costs.replaceRollups('t', { from: '2026-05-07', to: '2026-05-14' }, [
    testRollup('2026-05-14', 'Amazon EC2', 1400, { subAccountId: '111122223333' }),
    testRollup('2026-05-14', 'Amazon EC2', 518.21, search),
    testRollup('2026-05-14', 'Amazon S3', 300, { subAccountId: '111122223333' }),
    testRollup('2026-05-07', 'Amazon EC2', 500, { subAccountId: '111122223333' }),
    testRollup('2026-05-07', 'Amazon EC2', 184, search),
  ]);
  const query = new CostQueryService(costs);
  const commands = new CommandService({
    costs: query,
    forecast: new ForecastService(query),
    clock,
    status: async () => ({ store: 'memory', dataRange: null, imports: [], notes: [] }),
  });
  return new TurnHandler(commands, silentLogger);
}

async function serve(deps: ChatCoreDeps): Promise<string> {
  const adapter = createSlackAdapter(
    { botToken: 'xoxb-test', signingSecret: SECRET, apiUrl: fake.url, retries: 0 },
    { core: new ChatCore(deps), logger: deps.logger },
  );
  if (!adapter.requestListener) throw new Error('expected HTTP mode');
  const server = createServer(adapter.requestListener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

const send = (request: SlackRequest, url = endpoint) => postSigned(url, { ...request, secret: SECRET });
const responseTo = (id: string) => fake.waitFor('response', (c) => c.path === `/response/${id}`);
/** The "Already done." answer a repeated delivery of a click gets, once the first one was handled. */
const alreadyDone = (id: string) =>
  fake.waitFor('response', (c) => c.path === `/response/${id}` && JSON.stringify(c.body).includes('Already done'));
const payloadText = (call: SlackCall) => JSON.stringify(call.body);
const actionIds = (call: SlackCall) =>
  ((call.body.blocks ?? []) as { type: string; elements?: { action_id?: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id));

const click = (actionId: string, id: string, fields: Partial<Parameters<typeof blockActions>[0]> = {}) =>
  blockActions({
    actionId,
    value: ec2.id,
    user: 'U0ALICE',
    userName: 'ally',
    channel: CHANNEL,
    messageTs: '1731000000.000100',
    responseUrl: fake.responseUrl(id),
    ...fields,
  });

beforeAll(async () => {
  fake = await startSlackFake();
  const turnHandler = await costTurns();
  const base = {
    handleTurn: (turn: Turn, hooks?: Parameters<TurnHandler['handle']>[1]) => {
      turns.push(turn);
      return turnHandler.handle(turn, hooks);
    },
    charts: null,
    logger: silentLogger,
    progressAfterMs: 2000,
  };
  repo = new MemoryAlertRepository();
  const enqueued: Delivery[] = [];
  alerts = new AlertService({
    messages: alertMessages,
    anomalies: async () => detected,
    trend: async () => undefined,
    repo,
    notify: { enqueue: async (d) => void enqueued.push(d) },
    policy: {
      routes: [{ platform: 'slack', channel: CHANNEL, minSeverity: 'low' }],
      onCall: [],
      anomalies: { minImpact: 50, minRelative: 0.3 },
    },
    people: { ...defaultApprovalPolicy(), people: [{ key: 'alice', name: 'Alice Ng', slack: 'U0ALICE' }] },
    clock,
    logger: silentLogger,
  });
  endpoint = await serve({ ...base, dedupe: new MemoryDedupeStore(), alerts });
  unconfigured = await serve({ ...base, dedupe: new MemoryDedupeStore() });
  detected.push(ec2);
  expect((await alerts.scanAndAlert()).alerted).toBe(1);
  expect(enqueued.map((d) => d.to)).toEqual([`slack/${CHANNEL}`]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  turns.length = 0;
});

describe('Acknowledge', () => {
  it('updates the alert message in place and answers the clicker alone; a second click says who was first', async () => {
    const res = await send(click(ACTIONS.ALERT_ACK, 'ack-1'));
    expect(res.status).toBe(200);
    const update = await fake.waitFor('chat.update');
    const response = await responseTo('ack-1');
    expect(update.body).toMatchObject({ channel: CHANNEL, ts: '1731000000.000100' });
    expect(payloadText(update)).toContain('Acknowledged by Alice Ng');
    expect(payloadText(update)).toContain('Amazon EC2');
    expect(actionIds(update)).toEqual([ACTIONS.ALERT_INVESTIGATE, ACTIONS.ALERT_MUTE, ACTIONS.ALERT_SNOOZE]);
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(payloadText(response)).toContain('Alert acknowledged');

    await send(click(ACTIONS.ALERT_ACK, 'ack-2', { user: 'U0BOB', userName: 'bob' }));
    const again = await responseTo('ack-2');
    expect(payloadText(again)).toContain('Already acknowledged by Alice Ng');
    expect(await repo.get(ec2.id)).toMatchObject({ acknowledgedBy: 'Alice Ng' });
  });

  it('handles a click delivered twice (same trigger_id) once', async () => {
    const twice = click(ACTIONS.ALERT_ACK, 'ack-twice', { triggerId: 'trigger-ack-twice' });
    await send(twice);
    await responseTo('ack-twice');
    await send(twice);
    await alreadyDone('ack-twice');
    expect(fake.responses).toHaveLength(2);
    expect(fake.callsTo('chat.update')).toHaveLength(1);
  });

  it('says alerts are not configured when the adapter has none', async () => {
    expect((await send(click(ACTIONS.ALERT_ACK, 'none'), unconfigured)).status).toBe(200);
    const response = await responseTo('none');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(response.body.text)).toMatch(/not set up/i);
    expect(fake.callsTo('chat.update')).toEqual([]);
  });
});

describe('Snooze 1 day (before any mute of the series)', () => {
  it('mutes the series until the same time tomorrow, answers the clicker and notes it in the thread', async () => {
    await send(click(ACTIONS.ALERT_SNOOZE, 'snooze-1', { user: 'U0CAROL', userName: 'carol' }));
    const response = await responseTo('snooze-1');
    const note = await fake.waitFor('chat.postMessage');
    const tomorrow = new Date(clock.now().getTime() + 86_400_000).toISOString();
    expect(payloadText(response)).toContain(`${tomorrow.slice(0, 16).replace('T', ' ')} UTC`);
    expect(note.body).toMatchObject({ channel: CHANNEL, thread_ts: '1731000000.000100' });
    expect(payloadText(note)).toContain('For 1 day');
    expect(await repo.mutedUntil('service|Amazon EC2|USD', clock.now())).toBe(tomorrow);
  });
});

describe('Mute 7 days', () => {
  it('mutes the series, answers the clicker and notes it in the alert thread', async () => {
    await send(click(ACTIONS.ALERT_MUTE, 'mute-1', { user: 'U0CAROL', userName: 'carol' }));
    const response = await responseTo('mute-1');
    const note = await fake.waitFor('chat.postMessage');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(payloadText(response)).toContain('2026-05-24 06:00 UTC');
    expect(note.body).toMatchObject({ channel: CHANNEL, thread_ts: '1731000000.000100' });
    expect(payloadText(note)).toContain('carol muted alerts for service Amazon EC2');
    expect(await repo.mutedUntil('service|Amazon EC2|USD', new Date('2026-05-23T00:00:00.000Z'))).toBe(
      '2026-05-24T06:00:00.000Z',
    );
  });
});

describe('Investigate', () => {
  it('runs the comparison as the clicker in the alert thread and posts the answer there', async () => {
    await send(click(ACTIONS.ALERT_INVESTIGATE, 'inv-1'));
    const post = await fake.waitFor('chat.postMessage');
    expect(turns).toEqual([
      {
        user: { id: 'U0ALICE', name: 'ally' },
        location: { platform: 'slack', workspace: 'T0001', channel: CHANNEL, thread: '1731000000.000100' },
        text: 'compare 2026-05-14 vs 2026-05-07 by account for service "Amazon EC2"',
      },
    ]);
    expect(post.body).toMatchObject({ channel: CHANNEL, thread_ts: '1731000000.000100' });
    const text = payloadText(post);
    // EC2 only (S3's 300.00 left out): 1,400.00 + 518.21 on the day against 500.00 + 184.00 a week before.
    expect(text).toContain('1,918.21 USD vs 684.00 USD: +1,234.21 USD');
    expect(text).toContain('payments');
    expect(text).toContain('search');
    expect(text).not.toContain('2,218.21');
  });

  it('tells the clicker alone when there is no such alert', async () => {
    await send(click(ACTIONS.ALERT_INVESTIGATE, 'inv-unknown', { value: 'no-such-anomaly' }));
    const response = await responseTo('inv-unknown');
    expect(response.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(payloadText(response)).toContain('Alert not found');
    expect(turns).toEqual([]);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
