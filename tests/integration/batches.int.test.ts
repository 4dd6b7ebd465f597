import { CreateTagsCommand, DescribeInstancesCommand, EC2Client, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SLACK_IDS, type TestRuntime } from '../support/approval-runtime.js';
import { instanceState, MOTO_ACCOUNT_ID, putCpu, runInstance } from '../support/moto.js';
import { motoRuntimes, ONE_VOTE_POLICY } from '../support/moto-runtimes.js';
import { awsEndpoint } from '../support/services.js';

// Batches (issue 17, item 5) end to end in one process: real BullMQ on Redis, EC2 and CloudWatch in moto behind the
// fault proxy, the in-process stores and a recording chat platform. Regions of their own: the recommendations list
// every instance of a region.
const REGION = 'ap-southeast-3';
const LIMIT_REGION = 'ap-east-1';
const WINDOW_REGION = 'ap-south-2';
const DAY = 86_400_000;
const HOUR = 3_600_000;

const main = motoRuntimes(REGION);
const limits = motoRuntimes(LIMIT_REGION);
const windowed = motoRuntimes(WINDOW_REGION);
const idle: string[] = [];
const idleElsewhere: string[] = [];
const idleInWindow: string[] = [];
let busy = '';

/** 14 days of hourly CPU at `value` %, ending now: 1 % is idle, 50 % is not. */
const cpu = (value: number) =>
  Array.from({ length: 14 * 24 }, (_, h) => ({ at: new Date(Date.now() - (h + 1) * HOUR), value }));

const ec2 = (region: string) =>
  new EC2Client({
    region,
    endpoint: awsEndpoint(),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

/** Terminates what an earlier run of this file left in its regions (moto outlives a run; no other file uses them). */
async function clearRegion(region: string) {
  const out = await ec2(region).send(new DescribeInstancesCommand({}));
  const ids = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId!);
  if (ids.length) await ec2(region).send(new TerminateInstancesCommand({ InstanceIds: ids }));
}

async function launchIdle(region: string, count: number, into: string[]) {
  for (let i = 0; i < count; i++) {
    const id = await runInstance(awsEndpoint(), region, { instanceType: 't3.large', tags: { Name: `idle-${i}` } });
    await putCpu(awsEndpoint(), region, id, cpu(1));
    into.push(id);
  }
}

beforeAll(async () => {
  await clearRegion(REGION);
  await clearRegion(LIMIT_REGION);
  await clearRegion(WINDOW_REGION);
  await launchIdle(REGION, 12, idle);
  busy = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large', tags: { Name: 'busy' } });
  await putCpu(awsEndpoint(), REGION, busy, cpu(50));
  await launchIdle(LIMIT_REGION, 5, idleElsewhere);
  await launchIdle(WINDOW_REGION, 3, idleInWindow);
}, 120_000);

const proposeAll = (t: TestRuntime, region?: string) =>
  t.run(
    `propose stop all idle instances${region ? ` in ${region}` : ''} in account ${MOTO_ACCOUNT_ID} because idle for two weeks`,
    'rita',
  );

async function protect(id: string) {
  await ec2(REGION).send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'tally:protected', Value: 'yes' }] }));
}

describe('batches', () => {
  it('a batch over guardrails.maxBatch is refused with the limit named; the daily limit counts each item', async () => {
    const { t: limited } = await limits.runtime(`${ONE_VOTE_POLICY.replace('1000', '3')}  maxBatch: 4\n`);
    const refused = await proposeAll(limited);
    expect(refused.title).toBe('Too many for one batch');
    expect(refused.text).toContain(
      `${idleElsewhere.length} idle instances in account ${MOTO_ACCOUNT_ID}: a batch holds at most 4 actions (guardrails.maxBatch`,
    );
    expect(refused.data).toMatchObject({ count: idleElsewhere.length, maxBatch: 4 });
    expect(await limited.approvals.list({})).toEqual([]);

    // Within maxBatch, a daily limit of 3 per account: 3 items run, the others are skipped for the limit.
    const { t } = await limits.runtime(ONE_VOTE_POLICY.replace('1000', '3'));
    const id = (await proposeAll(t)).data?.id as string;
    await t.vote(id, 'alice');
    const batch = await t.waitForState(id, ['SUCCEEDED', 'FAILED']);
    const outcomes = batch.batch?.results?.map((r) => r.outcome);
    expect(outcomes).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SKIPPED', 'SKIPPED']);
    expect(batch.batch?.results?.[3]?.reason).toContain(`the daily limit of 3 actions for account ${MOTO_ACCOUNT_ID}`);
    expect(batch.batch?.summary).toBe('3 succeeded, 0 failed, 2 skipped');
  });

  it('a batch of 12 stops: one approval, 12 actions, per-item results; a failure in one does not stop the others', async () => {
    const { t } = await main.runtime();
    const proxy = main.proxy();
    const reply = await proposeAll(t, REGION);
    const id = reply.data?.id as string;
    expect(id).toMatch(/^apr_/);
    // One approval, listing the 12 idle instances (not the busy one), voted as one.
    const all = await t.approvals.list({});
    expect(all.map((a) => a.id)).toEqual([id]);
    const items = all[0]!.batch!.items.map((i) => i.target.resourceId);
    expect([...items].sort()).toEqual([...idle].sort());
    expect(items).not.toContain(busy);
    expect(all[0]!.action.summary).toBe(`Stop 12 idle instances in account ${MOTO_ACCOUNT_ID} (${REGION})`);
    const posted = t.messenger.sent.filter((m) => m.op === 'post' && !m.thread);
    expect(posted).toHaveLength(1);

    // Before the vote, one instance gets the protected tag; the real StopInstances of another fails.
    const [guarded, failing] = [items[4]!, items[7]!];
    await protect(guarded);
    proxy.beforeAnswer(async (request) => {
      if (request.action === 'StopInstances' && request.body.includes('DryRun=true') && request.body.includes(failing))
        proxy.failNext('StopInstances', { status: 400, type: 'IncorrectInstanceState', message: 'simulated failure' });
    });
    await t.vote(id, 'alice');
    const done = await t.waitForState(id, ['SUCCEEDED', 'FAILED'], 60_000);

    // 12 actions, each an approval of its own executed one by one; a result per item, in order.
    const results = done.batch?.results ?? [];
    expect(results.map((r) => r.resourceId)).toEqual(items);
    expect(results.map((r) => r.approvalId)).toEqual(items.map((_, i) => `${id}-${i + 1}`));
    const expected = items.map((r) => (r === guarded ? 'SKIPPED' : r === failing ? 'FAILED' : 'SUCCEEDED'));
    expect(results.map((r) => r.outcome)).toEqual(expected);
    expect(results.find((r) => r.resourceId === failing)?.reason).toMatch(/simulated failure/);
    expect(results.find((r) => r.resourceId === guarded)?.reason).toBe(
      `${guarded} now carries the protected tag tally:protected`,
    );
    expect(done.state).toBe('SUCCEEDED');
    expect(done.batch?.summary).toBe('10 succeeded, 1 failed, 1 skipped');
    for (const item of items)
      expect(await instanceState(awsEndpoint(), REGION, item)).toBe(
        item === guarded || item === failing ? 'running' : 'stopped',
      );
    expect(await instanceState(awsEndpoint(), REGION, busy)).toBe('running');
    const itemApprovals = (await t.approvals.list({})).filter((a) => a.batchOf === id);
    expect(itemApprovals).toHaveLength(12);

    // The summary in the thread, and one message to the requester (not one per item).
    const thread = t.messenger.sent.filter((m) => m.op === 'post' && m.thread === posted[0]!.messageId);
    const summary = thread.find((m) => m.reply.title.startsWith('Batch done'))?.reply.title;
    expect(summary).toBe(
      [
        'Batch done: 10 succeeded, 1 failed, 1 skipped.',
        // In item order: the guarded one is item 5, the failing one item 8.
        `Skipped ${guarded}: ${guarded} now carries the protected tag tally:protected`,
        `Failed ${failing}: CLOUD_FAILED: AWS StopInstances failed (IncorrectInstanceState): simulated failure`,
      ].join('\n'),
    );
    expect(t.messenger.directTo(SLACK_IDS.rita).filter((m) => m.reply.title.includes(id))).toHaveLength(1);
    const steps = (await t.audit.list({ approvalId: id })).filter((e) => e.event === 'execution.step');
    expect(steps).toHaveLength(12);

    // Undo of one item: the instance runs again, the batch marks it, the others stay stopped.
    const first = items[0]!;
    await vi.waitFor(() =>
      expect(t.messenger.latest(posted[0]!.messageId)?.buttons?.map((b) => b.value)).toContain(`undo ${id} ${first}`),
    );
    expect((await t.run(`undo ${id}`, 'rita')).title).toBe('Say which item');
    const undone = await t.run(`undo ${id} ${first}`, 'rita');
    expect(undone.data).toMatchObject({ id: `${id}-1`, undone: true });
    expect(await instanceState(awsEndpoint(), REGION, first)).toBe('running');
    expect(await instanceState(awsEndpoint(), REGION, items[1]!)).toBe('stopped');
    expect((await t.approvals.get(id))?.batch?.results?.[0]).toMatchObject({ undone: true });
    await vi.waitFor(() =>
      expect(t.messenger.latest(posted[0]!.messageId)?.buttons?.map((b) => b.value)).not.toContain(
        `undo ${id} ${first}`,
      ),
    );
  }, 90_000);

  it('outside the change window: scheduled as one; in it, a throttled item resumes the batch without repeating an item', async () => {
    // The only window is the whole of the day after tomorrow (UTC), so now is outside it.
    const opens = new Date(Math.floor(Date.now() / DAY) * DAY + 2 * DAY);
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][opens.getUTCDay()];
    const policy = ONE_VOTE_POLICY.replace(
      'dailyLimitPerAccount: 1000',
      `dailyLimitPerAccount: 1000\n  changeWindows: [{ days: [${day}], from: '00:00', to: '24:00', tz: UTC }]`,
    );
    const { t, clock } = await windowed.runtime(policy);
    const proxy = windowed.proxy();
    const id = (await proposeAll(t)).data?.id as string;
    await t.vote(id, 'alice');
    expect(await t.approvals.get(id)).toMatchObject({ state: 'APPROVED', scheduledFor: opens.toISOString() });
    const queue = t.queue('execute');
    const job = (await queue.getJob(`execute-${id}`))!;
    expect(await job.getState()).toBe('delayed');
    // Nothing runs before the window: no item has an approval of its own yet.
    expect((await t.approvals.list({})).filter((a) => a.batchOf)).toEqual([]);

    // In the window: the second item's StopInstances is throttled past the SDK's retries, so the job fails and is
    // retried; the retry skips the first item (done) and resumes the second.
    const items = (await t.approvals.get(id))!.batch!.items.map((i) => i.target.resourceId);
    proxy.beforeAnswer(async (request) => {
      if (
        request.action === 'StopInstances' &&
        request.body.includes('DryRun=true') &&
        request.body.includes(items[1]!)
      )
        for (let n = 0; n < 3; n++) proxy.failNext('StopInstances', { status: 400, type: 'RequestLimitExceeded' });
    });
    clock.set(opens);
    await job.promote();
    const done = await t.waitForState(id, ['SUCCEEDED', 'FAILED'], 60_000);
    expect(done.batch?.summary).toBe('3 succeeded, 0 failed, 0 skipped');
    const events = (await t.audit.list({ approvalId: id })).map((e) => e.event);
    expect(events.filter((e) => e === 'execution.started')).toHaveLength(1);
    expect(events.filter((e) => e === 'execution.resumed')).toHaveLength(1);
    const itemEvents = (await t.audit.list({ approvalId: `${id}-2` })).map((e) => e.event);
    expect(itemEvents).toContain('execution.throttled');
    // Each instance was stopped by exactly one StopInstances that reached moto.
    const stops = (instance: string) =>
      proxy.requests.filter(
        (r) => r.action === 'StopInstances' && r.body.includes(instance) && !r.body.includes('DryRun=true') && !r.fault,
      ).length;
    expect(items.map(stops)).toEqual([1, 1, 1]);
    for (const item of items) expect(await instanceState(awsEndpoint(), WINDOW_REGION, item)).toBe('stopped');
  }, 90_000);
});
