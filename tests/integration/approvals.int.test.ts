import { CreateTagsCommand, EC2Client, ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Approval } from '../../src/approvals/approval.types.js';
import { testClock } from '../support/approval-fakes.js';
import { createTestRuntime, dropPrefix, SLACK_IDS, type TestRuntime } from '../support/approval-runtime.js';
import { type AwsProxy, startAwsProxy } from '../support/aws-proxy.js';
import { instanceState, instanceType, runInstance } from '../support/moto.js';
import { awsEndpoint } from '../support/services.js';

// The approval core end to end in one process: real BullMQ on Redis, EC2 in moto (through a counting proxy), the
// in-process stores, and a recording chat platform. Region of its own, so other files using moto are not disturbed.
const REGION = 'ap-southeast-2';

const POLICY = `approvals:
  risk:
    medium: { approvers: [alice, bob, carol], quorum: 2, remindAfter: 1h, escalateAfter: 2h, expireAfter: 1d }
guardrails:
  dailyLimitPerAccount: 1000
`;

let proxy: AwsProxy;
const open: TestRuntime[] = [];

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  proxy = await startAwsProxy(awsEndpoint());
});

afterEach(async () => {
  for (const t of open.splice(0)) {
    await t.close();
    await dropPrefix(t.prefix);
  }
});

afterAll(async () => {
  await proxy?.close();
});

async function runtime(policy = POLICY, extra: Partial<Parameters<typeof createTestRuntime>[0]> = {}) {
  const t = await createTestRuntime({ awsEndpoint: proxy.url, region: REGION, policy, ...extra });
  open.push(t);
  return t;
}

const stop = (id: string) => `propose stop ${id} in ${REGION} because idle for two weeks`;
const stopCalls = (id: string) =>
  proxy.requests.filter((r) => r.action === 'StopInstances' && r.body.includes(id) && !r.body.includes('DryRun=true'))
    .length;
const events = async (t: TestRuntime, id: string) => (await t.audit.list({ approvalId: id })).map((e) => e.event);

describe('propose → vote → execute', () => {
  it('stops the instance once 2 of 3 approvers approve, updates the message and audits every step', async () => {
    const t = await runtime();
    await t.startWorkers();
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large', tags: { Name: 'web-1' } });
    const id = await t.propose(stop(instance));

    const posted = t.messenger.sent.find((m) => m.op === 'post' && !m.thread);
    expect(posted?.channel).toBe('C0OPS');
    expect(posted?.reply.buttons?.map((b) => b.label)).toEqual(['Approve', 'Reject', 'Details']);
    expect(posted?.reply.fields?.find((f) => f.label === 'Requested by')?.value).toBe('Rita Requester');

    expect((await t.vote(id, 'alice')).data).toMatchObject({ counted: true, approvals: 1, quorum: 2 });
    expect((await t.approvals.get(id))?.state).toBe('PENDING');
    expect((await t.vote(id, 'bob')).data).toMatchObject({ counted: true, state: 'APPROVED' });

    const done = await t.waitForState(id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');
    expect(stopCalls(instance)).toBe(1);
    expect(done.execution?.rollback?.note).toContain(instance);

    // The message was updated in place to the final state; every vote got a thread entry.
    await vi.waitFor(() => expect(t.messenger.latest(posted!.messageId)?.text).toMatch(/^SUCCEEDED/));
    const thread = t.messenger.sent.filter((m) => m.thread === posted!.messageId).map((m) => m.reply.title);
    expect(thread.filter((title) => /approved/i.test(title))).toHaveLength(2 + 1);
    // The requester is told the outcome.
    await vi.waitFor(() => expect(t.messenger.directTo(SLACK_IDS.rita).at(-1)?.reply.text).toMatch(/^SUCCEEDED/));

    const trail = await events(t, id);
    for (const e of [
      'proposal.created',
      'message.posted',
      'vote.approve',
      'decision.approved',
      'timer.cancelled',
      'execution.enqueued',
      'execution.started',
      'execution.step',
      'execution.succeeded',
      'message.updated',
      'message.direct',
    ])
      expect(trail, e).toContain(e);
    expect(trail.filter((e) => e === 'vote.approve')).toHaveLength(2);
  });

  it('a job that runs again for a finished approval acts no more', async () => {
    const t = await runtime();
    await t.startWorkers();
    const instance = await runInstance(awsEndpoint(), REGION);
    const id = await t.propose(stop(instance));
    await t.vote(id, 'alice');
    await t.vote(id, 'carol');
    await t.waitForState(id, ['SUCCEEDED']);
    // A second job for the same approval under another id (the derived id would be refused as a duplicate).
    const job = await t.queue('execute').add('execute', { approvalId: id }, { jobId: `again-${id}` });
    await vi.waitFor(async () => expect(await job.getState()).toBe('completed'));
    expect(
      await t
        .queue('execute')
        .getJob(`again-${id}`)
        .then((j) => j?.returnvalue),
    ).toBe('NOOP');
    expect(stopCalls(instance)).toBe(1);
  });
});

describe('votes', () => {
  it('a reject ends it with the reason, and later clicks change nothing', async () => {
    const t = await runtime();
    await t.startWorkers();
    const instance = await runInstance(awsEndpoint(), REGION);
    const id = await t.propose(stop(instance));
    expect((await t.vote(id, 'alice', 'reject')).data).toMatchObject({ counted: false, reason: 'REASON_REQUIRED' });
    expect((await t.vote(id, 'alice', 'reject', 'release freeze')).data).toMatchObject({ state: 'REJECTED' });
    expect((await t.vote(id, 'bob')).data).toMatchObject({ counted: false, reason: 'NOT_PENDING' });
    const a = (await t.approvals.get(id)) as Approval;
    expect(a.state).toBe('REJECTED');
    expect(a.decision).toEqual({ by: 'alice', reason: 'release freeze' });
    expect(a.votes).toHaveLength(1);
    expect(await t.queue('execute').getJob(`execute-${id}`)).toBeUndefined();
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
  });

  it('the requester and non-approvers cannot vote; five clicks by one person count once', async () => {
    const t = await runtime();
    const instance = await runInstance(awsEndpoint(), REGION);
    const id = await t.propose(stop(instance));
    expect((await t.vote(id, 'rita')).data).toMatchObject({ counted: false, reason: 'REQUESTER' });
    expect((await t.vote(id, 'mallory')).data).toMatchObject({ counted: false, reason: 'NOT_APPROVER' });
    const clicks = await Promise.all(Array.from({ length: 5 }, () => t.vote(id, 'alice')));
    expect(clicks.filter((r) => (r.data as { counted: boolean }).counted)).toHaveLength(1);
    expect(clicks.filter((r) => (r.data as { reason?: string }).reason === 'ALREADY_VOTED')).toHaveLength(4);
    const a = (await t.approvals.get(id)) as Approval;
    expect(a.votes.map((v) => v.voter.person)).toEqual(['alice']);
    expect(a.state).toBe('PENDING');
  });

  it('a click on an unknown or expired approval changes nothing', async () => {
    const clock = testClock(new Date('2026-03-02T09:00:00.000Z'));
    const t = await runtime(POLICY, { clock });
    const instance = await runInstance(awsEndpoint(), REGION);
    const id = await t.propose(stop(instance));
    // Past expiry by the core's clock; no worker runs, so only the clock says so.
    clock.set(new Date((await t.approvals.get(id))!.expiresAt));
    expect((await t.vote(id, 'alice')).data).toMatchObject({ counted: false, reason: 'EXPIRED' });
    expect((await t.vote('apr_00000000', 'alice')).data).toMatchObject({ counted: false, reason: 'NOT_FOUND' });
    expect((await t.approvals.get(id))?.votes).toEqual([]);
  });

  it('50 approvals with 3 approvers clicking at once: 50 execution jobs, 50 stops, two votes each', async () => {
    const t = await runtime();
    await t.startWorkers();
    const instances = await Promise.all(Array.from({ length: 50 }, () => runInstance(awsEndpoint(), REGION)));
    const ids = await Promise.all(instances.map((i) => t.propose(stop(i))));
    const replies = await Promise.all(
      ids.flatMap((id) => (['alice', 'bob', 'carol'] as const).map((who) => t.vote(id, who))),
    );
    const counted = replies.filter((r) => (r.data as { counted: boolean }).counted).length;
    expect(counted).toBe(100);
    const finished = await Promise.all(ids.map((id) => t.waitForState(id, ['SUCCEEDED', 'FAILED'], 60_000)));
    expect(finished.map((a) => a.state)).toEqual(ids.map(() => 'SUCCEEDED'));
    for (const a of finished) expect(a.votes).toHaveLength(2);
    const counts = await t.queue('execute').getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
    expect(counts).toEqual({ completed: 50, failed: 0, active: 0, waiting: 0, delayed: 0 });
    for (const i of instances) expect(stopCalls(i)).toBe(1);
    const states = await Promise.all(instances.map((i) => instanceState(awsEndpoint(), REGION, i)));
    expect(new Set(states)).toEqual(new Set(['stopped']));
  });
});

describe('guardrails at execution', () => {
  const approveAll = async (t: TestRuntime, id: string) => {
    await t.vote(id, 'alice');
    await t.vote(id, 'bob');
    return t.waitForState(id, ['SUCCEEDED', 'FAILED']);
  };

  it('does not touch an instance whose type changed since the proposal, and says why', async () => {
    const t = await runtime();
    await t.startWorkers();
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large' });
    const id = await t.propose(stop(instance));
    const ec2 = new EC2Client({
      region: REGION,
      endpoint: awsEndpoint(),
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // moto lets a running instance change type: someone resized it meanwhile.
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance, InstanceType: { Value: 't3.xlarge' } }));
    const done = await approveAll(t, id);
    expect(done.state).toBe('FAILED');
    expect(done.execution?.reason).toMatch(/changed type.*t3\.large.*t3\.xlarge/);
    expect(stopCalls(instance)).toBe(0);
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
    await vi.waitFor(() =>
      expect(t.messenger.sent.filter((m) => m.op === 'update').at(-1)?.reply.text).toMatch(/^FAILED.*changed type/),
    );
  });

  it('does not touch an instance that got a protected tag after the proposal', async () => {
    const t = await runtime();
    await t.startWorkers();
    const instance = await runInstance(awsEndpoint(), REGION);
    const id = await t.propose(stop(instance));
    const ec2 = new EC2Client({
      region: REGION,
      endpoint: awsEndpoint(),
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await ec2.send(new CreateTagsCommand({ Resources: [instance], Tags: [{ Key: 'tally:protected', Value: 'yes' }] }));
    const done = await approveAll(t, id);
    expect(done.execution?.reason).toMatch(/protected tag tally:protected/);
    expect(stopCalls(instance)).toBe(0);
  });

  it('refuses to propose on a resource that is already protected', async () => {
    const t = await runtime();
    const instance = await runInstance(awsEndpoint(), REGION, { tags: { 'tally:protected': 'true' } });
    const reply = await t.run(stop(instance), 'rita');
    expect(reply.title).toBe('Protected');
    expect(await t.approvals.list({})).toEqual([]);
  });

  it('outside the change window: scheduled (a delayed job), delayed again if run outside it, then executed once in it', async () => {
    // Monday 2 March 2026, 09:00 UTC, by the core's clock; the only window is Wednesdays 10:00–12:00 UTC.
    const clock = testClock(new Date('2026-03-02T09:00:00.000Z'));
    const wednesday = new Date('2026-03-04T10:00:00.000Z');
    const t = await runtime(
      POLICY.replace(
        'dailyLimitPerAccount: 1000',
        "changeWindows: [{ days: [wed], from: '10:00', to: '12:00', tz: UTC }]",
      ),
      { clock },
    );
    await t.startWorkers();
    const instance = await runInstance(awsEndpoint(), REGION);
    const id = await t.propose(stop(instance));
    await t.vote(id, 'alice');
    await t.vote(id, 'bob');
    expect(await t.approvals.get(id)).toMatchObject({ state: 'APPROVED', scheduledFor: wednesday.toISOString() });
    const queue = t.queue('execute');
    const job = (await queue.getJob(`execute-${id}`))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.opts.delay).toBe(wednesday.getTime() - clock.now().getTime());

    // Due early (Wednesday 09:59 by the clock): the same job goes back to delayed, due in a minute; nothing done.
    clock.set(new Date(wednesday.getTime() - 60_000));
    await job.promote();
    await vi.waitFor(async () => expect(await queue.getDelayed()).toHaveLength(1), { timeout: 20_000, interval: 20 });
    const again = (await queue.getJob(`execute-${id}`))!;
    // Due when the window opens: a minute by the core's clock (BullMQ counts from its own Date.now(), a moment later).
    expect(again.delay).toBeGreaterThan(0);
    expect(again.delay).toBeLessThanOrEqual(60_000);
    expect((await t.approvals.get(id))?.state).toBe('APPROVED');
    expect(stopCalls(instance)).toBe(0);

    // In the window it runs, once.
    clock.set(wednesday);
    await again.promote();
    expect((await t.waitForState(id, ['SUCCEEDED', 'FAILED'])).state).toBe('SUCCEEDED');
    expect(stopCalls(instance)).toBe(1);
    expect((await events(t, id)).filter((e) => e === 'execution.started')).toHaveLength(1);
  });

  it('stops at the daily limit of actions per account', async () => {
    const t = await runtime(POLICY.replace('dailyLimitPerAccount: 1000', 'dailyLimitPerAccount: 1'));
    await t.startWorkers();
    const [first, second] = [await runInstance(awsEndpoint(), REGION), await runInstance(awsEndpoint(), REGION)];
    expect((await approveAll(t, await t.propose(stop(first)))).state).toBe('SUCCEEDED');
    const done = await approveAll(t, await t.propose(stop(second)));
    expect(done.execution?.reason).toMatch(/daily limit of 1/);
    expect(await instanceState(awsEndpoint(), REGION, second)).toBe('running');
  });

  it('resizes with stop, modify, start and records the previous type', async () => {
    const t = await runtime();
    await t.startWorkers();
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 'm5.xlarge' });
    const id = await t.propose(`propose resize ${instance} to m5.large in ${REGION} because CPU peaks at 12%`);
    const done = await approveAll(t, id);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.execution?.steps).toEqual(['dry run permitted', 'stopped', 'modified to m5.large', 'started']);
    expect(done.execution?.rollback?.previousInstanceType).toBe('m5.xlarge');
    expect(await instanceType(awsEndpoint(), REGION, instance)).toBe('m5.large');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
  });
});
