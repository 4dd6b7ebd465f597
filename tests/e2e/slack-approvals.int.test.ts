import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REJECT_REASON_FIELD as REASON_ACTION,
  REJECT_REASON_FIELD as REASON_BLOCK,
} from '../../src/conversation/forms/reject-reason.form.js';
import { ACTIONS, REJECT_REASON_VIEW } from '../../src/shared/action-ids.js';
import {
  type ApprovalWorld,
  createApprovalWorld,
  dropDedupeKeys,
  seedIdleInstance,
  waitUntil,
} from '../support/approval-processes.js';
import { SLACK_IDS } from '../support/approval-runtime.js';
import { instanceState, runInstance } from '../support/moto.js';
import { awsEndpoint, uniqueName } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { blockActions, postSigned, slashCommand, viewSubmission } from '../support/slack-requests.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

// Approvals through Slack end to end: `tally start` as a real process (web server and job workers) against the Slack
// fake, with Redis, FerretDB and moto. The test reads the state and the audit log from the same database.
const REGION = 'sa-east-1';
const SECRET = 'test-signing-secret';
const CHANNEL = 'C0OPS';
const POLICY = `approvals:
  risk:
    medium: { approvers: [alice, bob, carol], quorum: 2, remindAfter: 1h, escalateAfter: 2h, expireAfter: 1d }
guardrails:
  dailyLimitPerAccount: 1000
`;

type Person = keyof typeof SLACK_IDS;
/** Every trigger and view id of this file carries it, so its dedupe keys in Redis can be found and removed. */
const RUN = uniqueName('slk_apr');
let seq = 0;
const nextId = (kind: string) => `${RUN}.${kind}${++seq}`;

let world: ApprovalWorld;
let slack: SlackFake;
let tally: TallyProcess;

beforeAll(async () => {
  world = await createApprovalWorld({ region: REGION, policy: POLICY });
  slack = await startSlackFake();
  tally = await startTally(
    world.env({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url }),
  );
});

afterAll(async () => {
  await tally?.stop();
  await slack?.close();
  await world?.close();
  await dropDedupeKeys(RUN);
});

const send = async (req: { body: string; contentType: string }) => {
  const res = await postSigned(`${tally.url}/slack/events`, { ...req, secret: SECRET });
  expect(res.status, res.text).toBe(200);
  return res;
};
const textOf = (call: SlackCall) => JSON.stringify(call.body.blocks ?? '') + String(call.body.text ?? '');
/** The `ts` of a posted message (from the reply) or of an updated one (from the request). */
const tsOf = (call: SlackCall) =>
  String(call.method === 'chat.update' ? call.body.ts : (call.reply as Record<string, unknown>).ts);

/** Every button in a message's blocks (sections' accessories and actions blocks). */
function buttonsOf(call: SlackCall): { action_id: string; value: string }[] {
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

/** Clicks a button as `who`; resolves with the ephemeral answer posted to the click's `response_url`. */
async function click(actionId: string, value: string, who: Person, messageTs: string, triggerId = nextId('t')) {
  const responseId = nextId('r');
  await send(
    blockActions({
      actionId,
      value,
      user: SLACK_IDS[who],
      userName: who,
      channel: CHANNEL,
      messageTs,
      triggerId,
      responseUrl: slack.responseUrl(responseId),
    }),
  );
  return slack.waitFor('response', (c) => c.path === `/response/${encodeURIComponent(responseId)}`, 15_000);
}

/** `/cost <text>` in the ops channel as `who`. */
const slash = (text: string, who: Person) =>
  send(
    slashCommand({
      text,
      channel_id: CHANNEL,
      user_id: SLACK_IDS[who],
      user_name: who,
      trigger_id: nextId('t'),
      response_url: slack.responseUrl(nextId('r')),
    }),
  );

/**
 * The approval message about `instance`: its id (the buttons' value) and `ts`. Resolves once Tally has stored where
 * the message is (right after posting it), as a person could not click before that either.
 */
async function approvalMessage(instance: string) {
  const post = await waitUntil(
    () =>
      slack
        .callsTo('chat.postMessage')
        .find(
          (c) =>
            c.body.channel === CHANNEL &&
            textOf(c).includes(instance) &&
            buttonsOf(c).some((b) => b.action_id === ACTIONS.APPROVE),
        ),
    `the approval message about ${instance}`,
  );
  const id = buttonsOf(post).find((b) => b.action_id === ACTIONS.APPROVE)!.value;
  const ts = tsOf(post);
  await waitUntil(
    async () => (await world.approvals.get(id))?.messages.some((m) => m.messageId === ts),
    `approval ${id} to record its message`,
  );
  return { post, id, ts };
}

/**
 * Waits for the DM that tells the requester how approval `id` ended: Tally's last step after a decision or an
 * execution, so by then every update and thread entry about it has been sent.
 */
const requesterTold = (id: string) =>
  waitUntil(
    () =>
      slack.callsTo('chat.postMessage').find((c) => c.body.channel === `D${SLACK_IDS.rita}` && textOf(c).includes(id)),
    `the outcome of ${id} in a DM to the requester`,
  );
const updatesOf = (ts: string) => slack.callsTo('chat.update').filter((c) => c.body.ts === ts);
const threadOf = (ts: string) => slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === ts);

/** Reject through the modal: the Reject click opens it, its submission with `reason` votes. Returns the view. */
async function openRejectModal(id: string, ts: string, who: Person) {
  const triggerId = nextId('t');
  const responseId = nextId('r');
  await send(
    blockActions({
      actionId: ACTIONS.REJECT,
      value: id,
      user: SLACK_IDS[who],
      userName: who,
      channel: CHANNEL,
      messageTs: ts,
      triggerId,
      responseUrl: slack.responseUrl(responseId),
    }),
  );
  const opened = await slack.waitFor('views.open', (c) => c.body.trigger_id === triggerId, 15_000);
  return opened.body.view as { callback_id: string; private_metadata: string };
}

const submitReason = (who: Person, privateMetadata: string, reason: string) =>
  send(
    viewSubmission({
      callbackId: REJECT_REASON_VIEW,
      user: SLACK_IDS[who],
      userName: who,
      viewId: nextId('V'),
      privateMetadata,
      values: { [REASON_BLOCK]: { [REASON_ACTION]: { type: 'plain_text_input', value: reason } } },
    }),
  );

describe('Slack approvals with tally start', () => {
  it('recommendation → Request approval → two approvers approve → the worker stops the instance', async () => {
    const instance = world.track(await seedIdleInstance(awsEndpoint(), REGION, { instanceType: 'm5.xlarge' }));

    await slash(`recommendations in ${REGION}`, 'rita');
    // A slow answer is posted as "working on it" and updated in place, so the recommendation may come either way.
    const recs = await waitUntil(
      () =>
        slack.calls.find(
          (c) =>
            (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
            buttonsOf(c).some((b) => b.action_id === ACTIONS.REQUEST_APPROVAL && b.value.includes(instance)),
        ),
      'the recommendations message',
      30_000,
    );
    const command = buttonsOf(recs).find(
      (b) => b.action_id === ACTIONS.REQUEST_APPROVAL && b.value.includes(instance),
    )!;
    expect(command.value).toMatch(new RegExp(`^propose stop ${instance} in ${REGION} account \\d{12} because \\S`));

    await click(ACTIONS.REQUEST_APPROVAL, command.value, 'rita', tsOf(recs));
    const { post, id, ts } = await approvalMessage(instance);
    // Top level in the channel, not in the recommendations' thread, so that the approvers see it.
    expect(post.body.thread_ts).toBeUndefined();
    expect(buttonsOf(post)).toEqual([
      { action_id: ACTIONS.APPROVE, value: id },
      { action_id: ACTIONS.REJECT, value: id },
      { action_id: ACTIONS.DETAILS, value: id },
    ]);
    expect(await world.approvals.get(id)).toMatchObject({
      state: 'PENDING',
      requester: { person: 'rita' },
      action: { kind: 'stop_instance', target: { resourceId: instance, region: REGION } },
    });

    const first = await click(ACTIONS.APPROVE, id, 'alice', ts);
    expect(first.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(updatesOf(ts).at(-1)!)).toContain('1 of 2');

    // The requester's click and alice's five further clicks change nothing: no update, no thread entry, one vote.
    const [updates, thread] = [updatesOf(ts).length, threadOf(ts).length];
    const refused = await click(ACTIONS.APPROVE, id, 'rita', ts);
    expect(refused.body.response_type).toBe('ephemeral');
    const again = await Promise.all(Array.from({ length: 5 }, () => click(ACTIONS.APPROVE, id, 'alice', ts)));
    for (const r of again) expect(r.body.response_type).toBe('ephemeral');
    expect(updatesOf(ts)).toHaveLength(updates);
    expect(threadOf(ts)).toHaveLength(thread);
    expect((await world.approvals.get(id))?.votes.map((v) => v.voter.person)).toEqual(['alice']);

    await click(ACTIONS.APPROVE, id, 'bob', ts);
    const done = await world.waitForState(id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.votes.map((v) => v.voter.person)).toEqual(['alice', 'bob']);
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');
    await requesterTold(id);
    const last = updatesOf(ts).at(-1)!;
    expect(textOf(last)).toContain('SUCCEEDED');
    // A finished stop offers Undo (it runs `undo <id>` as the clicker) beside Details.
    expect(buttonsOf(last)).toEqual([
      { action_id: ACTIONS.RUN_COMMAND, value: `undo ${id}` },
      { action_id: ACTIONS.DETAILS, value: id },
    ]);

    // The DM is sent before its audit entry is written: wait for the entry, the last one of the run.
    const trail = await waitUntil(async () => {
      const entries = await world.audit.list({ approvalId: id });
      return entries.some((e) => e.event === 'message.direct') && entries;
    }, 'the audit entry of the DM to the requester');
    const events = trail.map((e) => e.event);
    for (const e of [
      'proposal.created',
      'message.posted',
      'decision.approved',
      'timer.cancelled',
      'execution.enqueued',
      'execution.started',
      'execution.succeeded',
      'message.updated',
      'message.thread',
      'message.direct',
    ])
      expect(events, e).toContain(e);
    expect(trail.filter((e) => e.event === 'vote.approve').map((e) => e.actor)).toEqual(['alice', 'bob']);
    expect(trail.filter((e) => e.event === 'execution.step').map((e) => e.what)).toEqual([
      'dry run permitted',
      'stopped',
    ]);
    expect(events[0]).toBe('proposal.created');
    expect(events.indexOf('execution.succeeded')).toBeGreaterThan(events.indexOf('decision.approved'));

    // Details shows the approval and its state to the clicker alone.
    const details = await click(ACTIONS.DETAILS, id, 'carol', ts);
    expect(details.body.response_type).toBe('ephemeral');
    expect(textOf(details)).toContain(instance);
  });

  it('Reject opens the modal; a blank reason keeps it open; a reason rejects and the instance is untouched', async () => {
    const instance = world.track(await runInstance(awsEndpoint(), REGION));
    await slash(`propose stop ${instance} in ${REGION} because nightly test box`, 'rita');
    const { id, ts } = await approvalMessage(instance);

    const view = await openRejectModal(id, ts, 'alice');
    expect(view.callback_id).toBe(REJECT_REASON_VIEW);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ approvalId: id, channel: CHANNEL, messageTs: ts });

    const blank = await submitReason('alice', view.private_metadata, '   ');
    const errors = JSON.parse(blank.text) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe('errors');
    expect(Object.keys(errors.errors)).toEqual([REASON_BLOCK]);
    expect(await world.approvals.get(id)).toMatchObject({ state: 'PENDING', votes: [] });

    const reason = 'runs the month-end batch';
    await submitReason('alice', view.private_metadata, reason);
    const rejected = await world.waitForState(id, ['REJECTED']);
    expect(rejected.decision).toEqual({ by: 'alice', reason });
    expect(rejected.votes).toMatchObject([{ voter: { person: 'alice' }, decision: 'reject', reason }]);
    expect(rejected.execution).toBeUndefined();

    await requesterTold(id);
    const last = updatesOf(ts).at(-1)!;
    expect(textOf(last)).toContain(reason);
    expect(buttonsOf(last)).toEqual([{ action_id: ACTIONS.DETAILS, value: id }]);
    expect(threadOf(ts).some((c) => textOf(c).includes(reason))).toBe(true);
    await waitUntil(
      () =>
        slack.callsTo('chat.postEphemeral').find((c) => c.body.user === SLACK_IDS.alice && c.body.channel === CHANNEL),
      "the voter's private answer",
    );
    const trail = await world.audit.list({ approvalId: id });
    expect(trail.find((e) => e.event === 'vote.reject')).toMatchObject({ actor: 'alice', why: reason });
    expect(trail.find((e) => e.event === 'decision.rejected')).toMatchObject({ actor: 'alice', why: reason });
    expect(trail.map((e) => e.event)).not.toContain('execution.enqueued');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
  });

  it('clicks on a finished approval change nothing and are explained to the clicker alone', async () => {
    const instance = world.track(await runInstance(awsEndpoint(), REGION));
    await slash(`propose stop ${instance} in ${REGION} because spare capacity`, 'rita');
    const { id, ts } = await approvalMessage(instance);
    const view = await openRejectModal(id, ts, 'bob');
    await submitReason('bob', view.private_metadata, 'still needed');
    const rejected = await world.waitForState(id, ['REJECTED']);
    await requesterTold(id);

    const [updates, thread, opened] = [updatesOf(ts).length, threadOf(ts).length, slack.callsTo('views.open').length];
    const answers = [
      await click(ACTIONS.APPROVE, id, 'alice', ts),
      await click(ACTIONS.APPROVE, id, 'carol', ts),
      await click(ACTIONS.REJECT, id, 'carol', ts),
    ];
    for (const a of answers) expect(a.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(slack.callsTo('views.open')).toHaveLength(opened);
    expect(updatesOf(ts)).toHaveLength(updates);
    expect(threadOf(ts)).toHaveLength(thread);
    expect(await world.approvals.get(id)).toEqual(rejected);
    expect((await world.audit.list({ approvalId: id })).filter((e) => e.event.startsWith('vote.'))).toHaveLength(1);
  });
});
