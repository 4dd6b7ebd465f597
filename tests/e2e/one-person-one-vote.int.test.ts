import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Approval } from '../../src/approvals/approval.types.js';
import { type ApprovalWorld, createApprovalWorld, dropDedupeKeys, waitUntil } from '../support/approval-processes.js';
import { type BotConnectorFake, type ConnectorCall, startBotConnectorFake } from '../support/bot-connector-fake.js';
import { instanceState, runInstance } from '../support/moto.js';
import { awsEndpoint, uniqueName } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { postSigned, slashCommand } from '../support/slack-requests.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';
import {
  type ActivityOptions,
  channelMessage,
  conversationUpdate,
  personalMessage,
} from '../support/teams-activities.js';

// Issue 13, item 2 end to end: one `tally start` process with Slack (the Slack fake) and Teams (anonymous, the Bot
// Connector fake), on Redis, FerretDB and moto. Votes arrive from both platforms; each quorum case ends without
// execution: a raw approver id voting from both platforms, an approver who asked from an identity the policy does
// not know, one finops member after an escalation, and a second proposal of the same action on the same instance.
// "Without execution" is read once the last vote's answer has arrived (a vote decides synchronously): the approval
// is PENDING, no `execute-<id>` job exists and the instance still runs.
const REGION = 'ap-south-1';
const SECRET = 'test-signing-secret';
const SLACK_CHANNEL = 'C0OPS';
const ALICE_AAD = 'a11ce000-0000-4000-8000-0000000000a1';
/** Alice in Teams, known to the policy by her AAD object id. */
const ALICE = { id: '29:1user-alice', name: 'Alice', aadObjectId: ALICE_AAD };
/** Carol in Teams: the policy knows her Slack id only. */
const CAROL = { id: '29:1user-carol', name: 'Carol', aadObjectId: 'c0c0c0c0-0000-4000-8000-0000000000c0' };
/** Someone in Teams whose AAD object id happens to read like the raw Slack approver id U0ZED. */
const ZED_LOOKALIKE = { id: '29:1user-zed', name: 'Zed', aadObjectId: 'U0ZED' };
// The comment after `approvals:` keeps createApprovalWorld from adding its Slack-only people.
const POLICY = `approvals: # people of this test
  people:
    rita: { name: Rita, slack: U0RITA }
    alice: { name: Alice, slack: U0ALICE, teams: ${ALICE_AAD} }
    bob: { name: Bob, slack: U0BOB }
    carol: { name: Carol, slack: U0CAROL }
    dave: { name: Dave, slack: U0DAVE }
  risk:
    medium:
      tiers:
        - { approvers: [alice, bob, carol, U0ZED], quorum: 2 }
        - { approvers: [dave], quorum: 1 }
      remindAfter: 1h
      escalateAfter: 2h
      expireAfter: 1d
guardrails:
  dailyLimitPerAccount: 1000
`;
const QUORUM = 2;
const RUN = uniqueName('opov');
let seq = 0;
const nextId = (kind: string) => `${RUN}.${kind}${++seq}`;

let world: ApprovalWorld;
let slack: SlackFake;
let connector: BotConnectorFake;
let tally: TallyProcess;
let redis: Redis;
let timers: Queue;
let executions: Queue;

beforeAll(async () => {
  world = await createApprovalWorld({ region: REGION, policy: POLICY });
  [slack, connector] = await Promise.all([startSlackFake(), startBotConnectorFake()]);
  redis = new Redis(world.env().REDIS_URL!, { maxRetriesPerRequest: null });
  timers = new Queue('approval-timer', { connection: redis, prefix: world.name });
  executions = new Queue('execute', { connection: redis, prefix: world.name });
  tally = await startTally(
    world.env({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      TALLY_TEAMS_ANONYMOUS: 'true',
    }),
  );
  // Tally is installed in the Teams channel (its reference is stored for the approval messages).
  await activity(conversationUpdate({ ...opts(), conversationType: 'channel' }));
});

afterAll(async () => {
  await tally?.stop();
  await Promise.all([timers?.close(), executions?.close()]);
  redis?.disconnect();
  await Promise.all([slack?.close(), connector?.close()]);
  await world?.close();
  await dropDedupeKeys(RUN);
});

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

const slackText = (call: SlackCall) => JSON.stringify(call.body.blocks ?? '') + String(call.body.text ?? '');
const teamsText = (call: ConnectorCall) => JSON.stringify(call.body).replace(/\\\\([\\`*_{}[\]()#+\-.!~|>])/g, '$1');

/** `/cost <text>` in the ops channel as the Slack user `user`; resolves with the text of the answer. */
async function slash(text: string, user: string): Promise<string> {
  const responseId = nextId('r');
  const res = await postSigned(`${tally.url}/slack/events`, {
    ...slashCommand({
      text,
      channel_id: SLACK_CHANNEL,
      user_id: user,
      user_name: user.toLowerCase(),
      trigger_id: nextId('t'),
      response_url: slack.responseUrl(responseId),
    }),
    secret: SECRET,
  });
  expect(res.status, res.text).toBe(200);
  const answer = await slack.waitFor(
    'response',
    (c) => c.path === `/response/${encodeURIComponent(responseId)}` && !slackText(c).includes('orking on it'),
    20_000,
  );
  return slackText(answer);
}

/** A message to Tally from `from` in Teams (a personal chat, or the channel); resolves with the text of the answer. */
async function teams(text: string, from: ActivityOptions['from'], where: 'personal' | 'channel' = 'personal') {
  const message =
    where === 'personal'
      ? personalMessage({ ...opts(from), text, conversationId: `a:1personal-${from?.id ?? 'ada'}` })
      : channelMessage({ ...opts(from), text });
  await activity(message);
  const reply = await connector.waitFor(
    'reply',
    (c) => c.activityId === message.id && c.body.type === 'message' && !teamsText(c).includes('orking on it'),
    20_000,
  );
  return teamsText(reply);
}

/** The pending approval of `instance` (there must be exactly one). */
async function pendingOf(instance: string): Promise<Approval> {
  return waitUntil(async () => {
    const pending = (await world.approvals.list({ states: ['PENDING'] })).filter(
      (a) => a.action.target.resourceId === instance,
    );
    expect(pending.length).toBeLessThanOrEqual(1);
    return pending[0] ?? null;
  }, `the pending approval of ${instance}`);
}

const propose = (instance: string) => `propose stop ${instance} in ${REGION} because idle`;

/** The approval is still pending with these voters, nothing was enqueued to run it, and the instance runs. */
async function expectNotExecuted(id: string, voters: string[]) {
  const approval = await world.approvals.get(id);
  expect(approval?.state).toBe('PENDING');
  expect(approval?.votes.map((v) => v.voter.person)).toEqual(voters);
  expect(await executions.getJob(`execute-${id}`)).toBeUndefined();
  expect(await instanceState(awsEndpoint(), REGION, approval!.action.target.resourceId)).toBe('running');
}

describe('one person, one vote, with votes from Slack and Teams (tally start)', () => {
  it('a raw approver id counts on its own platform only: the same id from Teams does not reach the quorum', async () => {
    const instance = world.track(await runInstance(awsEndpoint(), REGION));
    await slash(propose(instance), 'U0RITA');
    const { id } = await pendingOf(instance);

    expect(await slash(`approve ${id}`, 'U0ZED')).toContain(`1 of ${QUORUM}`);
    const refused = await teams(`approve ${id}`, ZED_LOOKALIKE);
    expect(refused).toContain('Vote not counted');
    await expectNotExecuted(id, ['slack:U0ZED']);
  });

  it('an approver who asked from a Teams identity the policy does not know cannot carry their own request', async () => {
    const instance = world.track(await runInstance(awsEndpoint(), REGION));
    const asked = await teams(propose(instance), CAROL, 'channel');
    const { id, requester, rule } = await pendingOf(instance);
    expect(requester.person).toBe(`teams:${CAROL.aadObjectId}`);
    // One approval more than the policy's quorum, and Carol is told why.
    expect(rule.tiers.map((t) => t.quorum)).toEqual([QUORUM + 1, QUORUM + 1]);
    expect(asked).toContain(`needs ${QUORUM + 1} approvals`);

    // Carol approves from Slack, where the policy knows her, and Alice from Teams: two of three.
    expect(await slash(`approve ${id}`, 'U0CAROL')).toContain(`1 of ${QUORUM + 1}`);
    expect(await teams(`approve ${id}`, ALICE)).toContain(`2 of ${QUORUM + 1}`);
    // The identity that asked is refused outright.
    expect(await teams(`approve ${id}`, CAROL)).toContain('Vote not counted');
    await expectNotExecuted(id, ['carol', 'alice']);
  });

  it("escalation adds Dave but keeps the first tier's quorum: Alice alone does not approve", async () => {
    const instance = world.track(await runInstance(awsEndpoint(), REGION));
    await slash(propose(instance), 'U0RITA');
    const { id } = await pendingOf(instance);
    // The escalation timer made due now, as its delay would (the job id is derived: kind, approval, tier).
    const escalate = await timers.getJob(`escalate-${id}-t0`);
    expect(await escalate?.getState()).toBe('delayed');
    await escalate!.promote();
    await vi.waitFor(async () => expect(await escalate!.getState()).toBe('completed'), {
      timeout: 20_000,
      interval: 50,
    });
    expect((await world.approvals.get(id))?.tier).toBe(1);

    expect(await teams(`approve ${id}`, ALICE)).toContain(`1 of ${QUORUM}`);
    await expectNotExecuted(id, ['alice']);
  });

  it('a second proposal of the same action on the same instance answers with the pending one', async () => {
    const instance = world.track(await runInstance(awsEndpoint(), REGION));
    await slash(propose(instance), 'U0RITA');
    const { id } = await pendingOf(instance);
    expect(await slash(propose(instance), 'U0BOB')).toContain(id);
    expect(await teams(propose(instance), ALICE, 'channel')).toContain(id);
    const all = (await world.approvals.list({})).filter((a) => a.action.target.resourceId === instance);
    expect(all.map((a) => a.id)).toEqual([id]);
    await expectNotExecuted(id, []);
  });
});
