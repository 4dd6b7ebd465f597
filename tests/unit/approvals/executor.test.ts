// The executor (docs/architecture.md#execution) in process: each action kind's steps against a fake cloud, the
// refusals before acting, throttling, and resuming after a crash. An approved approval is built the way users build
// one (propose, then votes), and `execute` is called as the `execute` job calls it.
import { describe, expect, it } from 'vitest';
import type { ActionKind, ResourceFacts } from '../../../src/actions/action.types.js';
import { TallyError } from '../../../src/shared/errors.js';
import {
  type ApprovalCore,
  createApprovalCore,
  policy,
  resources,
  rule,
  slackUser,
  T0,
} from '../../support/approval-core.js';

const APPROVAL_TAG = 'tally:approval';

/** A core and an approved approval of `kind` on `facts`. */
async function approved(
  kind: ActionKind,
  facts: ResourceFacts,
  options: { instanceType?: string; core?: ApprovalCore } = {},
) {
  const core = options.core ?? createApprovalCore();
  const id = await core.propose(kind, facts, options.instanceType ? { instanceType: options.instanceType } : {});
  await core.vote(id, slackUser('alice'));
  await core.vote(id, slackUser('bob'));
  expect(core.execution.calls).toEqual([id]);
  return { core, id };
}

/** The `execute` job's first attempt (throttling may be retried). */
const run = (core: ApprovalCore, id: string, finalAttempt = false) => core.executor.execute(id, { finalAttempt });

describe('each action kind', () => {
  it('stop_instance: dry run, stop; rollback says how to start it again', async () => {
    const instance = 'i-0bbbbbbbbbbbbbb01';
    const { core, id } = await approved('stop_instance', resources.instance(instance));
    expect(await run(core, id)).toBe('SUCCEEDED');

    const done = await core.get(id);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.execution?.steps).toEqual(['dry run permitted', 'stopped']);
    expect(done.execution?.rollback?.note).toContain(`start-instances --instance-ids ${instance}`);
    expect(core.cloud.changes()).toEqual([`stopInstance ${instance}`]);
    expect(core.cloud.peek(instance)).toMatchObject({ state: 'stopped' });
    expect(core.cloud.calls.filter((c) => c.op === 'dryRun').map((c) => c.detail)).toEqual(['stop_instance']);
  });

  it('resize_instance of a running instance: stop, modify, start; rollback keeps the previous type', async () => {
    const instance = 'i-0bbbbbbbbbbbbbb02';
    const { core, id } = await approved('resize_instance', resources.instance(instance, 'm5.xlarge'), {
      instanceType: 'm5.large',
    });
    expect(await run(core, id)).toBe('SUCCEEDED');

    const done = await core.get(id);
    expect(done.execution?.steps).toEqual(['dry run permitted', 'stopped', 'modified to m5.large', 'started']);
    expect(done.execution?.rollback?.previousInstanceType).toBe('m5.xlarge');
    expect(core.cloud.changes()).toEqual([
      `stopInstance ${instance}`,
      `modifyInstanceType ${instance} m5.large`,
      `startInstance ${instance}`,
    ]);
    expect(core.cloud.peek(instance)).toMatchObject({ instanceType: 'm5.large', state: 'running' });
  });

  it('resize_instance of a stopped instance: modify only, and it stays stopped', async () => {
    const instance = 'i-0bbbbbbbbbbbbbb03';
    const { core, id } = await approved('resize_instance', resources.instance(instance, 'm5.xlarge', 'stopped'), {
      instanceType: 'm5.large',
    });
    expect(await run(core, id)).toBe('SUCCEEDED');
    expect((await core.get(id)).execution?.steps).toEqual(['dry run permitted', 'modified to m5.large']);
    expect(core.cloud.changes()).toEqual([`modifyInstanceType ${instance} m5.large`]);
    expect(core.cloud.peek(instance)).toMatchObject({ instanceType: 'm5.large', state: 'stopped' });
  });

  it('delete_volume: a snapshot tagged with the approval, then the delete; rollback names the snapshot', async () => {
    const volume = 'vol-0bbbbbbbbbbbbbb04';
    const { core, id } = await approved('delete_volume', resources.volume(volume));
    expect(await run(core, id)).toBe('SUCCEEDED');

    const [snapshot, ...more] = core.cloud.snapshots;
    expect(more).toEqual([]);
    expect(snapshot).toMatchObject({ volumeId: volume, tags: [{ key: APPROVAL_TAG, value: id }] });
    const done = await core.get(id);
    expect(done.execution?.steps).toEqual(['dry run permitted', `snapshot ${snapshot?.id}`, 'volume deleted']);
    expect(done.execution?.rollback?.snapshotId).toBe(snapshot?.id);
    expect(core.cloud.changes()).toEqual([`createSnapshot ${volume}`, `deleteVolume ${volume}`]);
    expect(core.cloud.peek(volume)).toBeUndefined();
  });

  it('release_address: dry run, release; rollback records the IP that is gone', async () => {
    const allocation = 'eipalloc-0bbbbbbbbbbbbbb05';
    const { core, id } = await approved('release_address', resources.address(allocation, '198.51.100.7'));
    expect(await run(core, id)).toBe('SUCCEEDED');
    const done = await core.get(id);
    expect(done.execution?.steps).toEqual(['dry run permitted', 'released']);
    expect(done.execution?.rollback?.publicIp).toBe('198.51.100.7');
    expect(core.cloud.changes()).toEqual([`releaseAddress ${allocation}`]);
  });

  it('records the outcome: the message shows it, the requester is told, the trail has every step', async () => {
    const { core, id } = await approved('stop_instance', resources.instance('i-0bbbbbbbbbbbbbb06'));
    await run(core, id);
    const message = core.approvalMessage();
    expect(core.messenger.latest(message.messageId)?.data).toMatchObject({ state: 'SUCCEEDED' });
    expect(core.dmsTo('rita').map((m) => (m.reply.data as { state: string }).state)).toEqual(['SUCCEEDED']);
    const events = await core.events(id);
    const execution = events.filter((e) => e.startsWith('execution.'));
    expect(execution).toEqual([
      'execution.enqueued',
      'execution.started',
      'execution.step',
      'execution.intent',
      'execution.step',
      'execution.succeeded',
    ]);
  });
});

describe('before acting', () => {
  it('a denied dry run fails the execution without touching the resource', async () => {
    const instance = 'i-0bbbbbbbbbbbbbb07';
    const { core, id } = await approved('stop_instance', resources.instance(instance));
    core.cloud.dryRunOutcome = { ok: false, reason: 'UNAUTHORIZED', message: 'not allowed to StopInstances' };
    expect(await run(core, id)).toBe('FAILED');
    const failed = await core.get(id);
    expect(failed.execution?.reason).toBe('Not touched: DryRun UNAUTHORIZED: not allowed to StopInstances');
    expect(failed.execution?.steps).toEqual([]);
    expect(core.cloud.changes()).toEqual([]);
  });

  it('a resource changed since the proposal, or protected since, is not touched', async () => {
    const resized = 'i-0bbbbbbbbbbbbbb08';
    const tagged = 'i-0bbbbbbbbbbbbbb09';
    const core = createApprovalCore({
      policy: policy(rule(), { guardrails: { protectedTags: [{ key: 'tally:protected' }] } }),
    });
    const a = await approved('stop_instance', resources.instance(resized, 't3.large'), { core });
    core.cloud.put(resources.instance(resized, 't3.xlarge'));
    core.execution.calls.length = 0;
    const b = await approved('stop_instance', resources.instance(tagged), { core });
    core.cloud.put({ ...resources.instance(tagged), tags: [{ key: 'tally:protected', value: 'yes' }] });

    expect(await run(core, a.id)).toBe('FAILED');
    expect((await core.get(a.id)).execution?.reason).toMatch(/changed type .*t3\.large → t3\.xlarge/);
    expect(await run(core, b.id)).toBe('FAILED');
    expect((await core.get(b.id)).execution?.reason).toMatch(/protected tag tally:protected/);
    expect(core.cloud.changes()).toEqual([]);
  });

  it('stops at the daily limit of executions per account (by the UTC day of the clock)', async () => {
    const core = createApprovalCore({ policy: policy(rule(), { guardrails: { dailyLimitPerAccount: 1 } }) });
    const first = await approved('stop_instance', resources.instance('i-0bbbbbbbbbbbbbb10'), { core });
    core.execution.calls.length = 0;
    const second = await approved('stop_instance', resources.instance('i-0bbbbbbbbbbbbbb11'), { core });
    expect(await run(core, first.id)).toBe('SUCCEEDED');
    expect(await run(core, second.id)).toBe('FAILED');
    expect((await core.get(second.id)).execution?.reason).toMatch(/daily limit of 1/);
    // The next UTC day, the limit starts again.
    core.execution.calls.length = 0;
    const third = await approved('stop_instance', resources.instance('i-0bbbbbbbbbbbbbb12'), { core });
    core.clock.set(new Date(T0.getTime() + 86_400_000));
    expect(await run(core, third.id)).toBe('SUCCEEDED');
  });

  it('an approval that is not APPROVED is not executed', async () => {
    const core = createApprovalCore();
    const id = await core.propose('stop_instance', resources.instance('i-0bbbbbbbbbbbbbb13'));
    expect(await run(core, id)).toBe('NOOP');
    expect((await core.get(id)).state).toBe('PENDING');
    expect(core.cloud.changes()).toEqual([]);
    expect(await core.events(id)).toContain('execution.skipped');
  });
});

describe('throttling', () => {
  it('is thrown for the job to retry, leaving the approval EXECUTING; the retry finishes the work once', async () => {
    const instance = 'i-0bbbbbbbbbbbbbb14';
    const { core, id } = await approved('stop_instance', resources.instance(instance));
    core.cloud.failNext('stopInstance', new TallyError('CLOUD_THROTTLED', 'Rate exceeded'));
    const thrown = await run(core, id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(TallyError);
    expect((thrown as TallyError).code).toBe('CLOUD_THROTTLED');
    expect((await core.get(id)).state).toBe('EXECUTING');

    expect(await run(core, id)).toBe('SUCCEEDED');
    expect(core.cloud.applied('stopInstance')).toHaveLength(1);
    expect((await core.get(id)).execution?.attempts).toBe(2);
  });

  it('on the final attempt it fails the execution instead', async () => {
    const { core, id } = await approved('stop_instance', resources.instance('i-0bbbbbbbbbbbbbb15'));
    core.cloud.failNext('stopInstance', new TallyError('CLOUD_THROTTLED', 'Rate exceeded'));
    expect(await run(core, id, true)).toBe('FAILED');
    expect((await core.get(id)).execution?.reason).toMatch(/^CLOUD_THROTTLED: /);
  });
});

describe('resuming after a crash', () => {
  /**
   * Starts the job and lets it die in the given cloud call (the call never returns, as with a killed worker), before or
   * after the call's effect is in the cloud; then a second run of the job takes over, as BullMQ's recovery does.
   */
  async function crashThenResume(
    core: ApprovalCore,
    id: string,
    op: Parameters<typeof core.cloud.crashNext>[0],
    when: 'before' | 'after',
  ) {
    const crashed = core.cloud.crashNext(op, when);
    let settled = false;
    void run(core, id).finally(() => {
      settled = true;
    });
    await crashed;
    expect(settled).toBe(false);
    expect(core.cloud.calls.filter((c) => c.op === op).map((c) => c.applied)).toEqual([when === 'after']);
    const stepsAtCrash = (await core.get(id)).execution?.steps ?? [];
    const result = await run(core, id);
    return { result, stepsAtCrash };
  }

  it('resize: died after the stop took effect, before recording it; no second stop, no second dry run', async () => {
    const instance = 'i-0bbbbbbbbbbbbbb16';
    const { core, id } = await approved('resize_instance', resources.instance(instance, 'm5.xlarge'), {
      instanceType: 'm5.large',
    });
    const { result, stepsAtCrash } = await crashThenResume(core, id, 'stopInstance', 'after');
    expect(stepsAtCrash).toEqual(['dry run permitted']);
    expect(result).toBe('SUCCEEDED');

    const done = await core.get(id);
    expect(done.execution?.attempts).toBe(2);
    expect(done.execution?.steps).toEqual(['dry run permitted', 'modified to m5.large', 'started']);
    expect(core.cloud.changes()).toEqual([
      `stopInstance ${instance}`,
      `modifyInstanceType ${instance} m5.large`,
      `startInstance ${instance}`,
    ]);
    // The dry run was recorded before the crash, so it is not repeated either.
    expect(core.cloud.calls.filter((c) => c.op === 'dryRun')).toHaveLength(1);
    expect(await core.events(id)).toContain('execution.resumed');
  });

  it('resize: died in the start after stop and modify were recorded; only the start runs again', async () => {
    const instance = 'i-0bbbbbbbbbbbbbb17';
    const { core, id } = await approved('resize_instance', resources.instance(instance, 'm5.xlarge'), {
      instanceType: 'm5.large',
    });
    const { result, stepsAtCrash } = await crashThenResume(core, id, 'startInstance', 'before');
    expect(stepsAtCrash).toEqual(['dry run permitted', 'stopped', 'modified to m5.large']);
    expect(result).toBe('SUCCEEDED');
    expect(core.cloud.applied('stopInstance')).toHaveLength(1);
    expect(core.cloud.applied('modifyInstanceType')).toHaveLength(1);
    expect(core.cloud.applied('startInstance')).toHaveLength(1);
    expect(core.cloud.peek(instance)).toMatchObject({ instanceType: 'm5.large', state: 'running' });
    expect((await core.get(id)).execution?.steps).toEqual([...stepsAtCrash, 'started']);
  });

  it('delete_volume: died after the snapshot was taken, before recording it; the retry finds it by tag', async () => {
    const volume = 'vol-0bbbbbbbbbbbbbb18';
    const { core, id } = await approved('delete_volume', resources.volume(volume));
    const { result, stepsAtCrash } = await crashThenResume(core, id, 'createSnapshot', 'after');
    expect(stepsAtCrash).toEqual(['dry run permitted']);
    expect(result).toBe('SUCCEEDED');
    expect(core.cloud.snapshots).toHaveLength(1);
    const done = await core.get(id);
    expect(done.execution?.rollback?.snapshotId).toBe(core.cloud.snapshots[0]?.id);
    expect(core.cloud.changes()).toEqual([`createSnapshot ${volume}`, `deleteVolume ${volume}`]);
  });

  it('delete_volume: died after the delete; the retry accepts the volume is gone, no second snapshot', async () => {
    const volume = 'vol-0bbbbbbbbbbbbbb19';
    const { core, id } = await approved('delete_volume', resources.volume(volume));
    const { result, stepsAtCrash } = await crashThenResume(core, id, 'deleteVolume', 'after');
    expect(stepsAtCrash).toEqual(['dry run permitted', `snapshot ${core.cloud.snapshots[0]?.id}`]);
    expect(result).toBe('SUCCEEDED');
    expect(core.cloud.changes()).toEqual([`createSnapshot ${volume}`, `deleteVolume ${volume}`]);
    expect((await core.get(id)).execution?.rollback?.snapshotId).toBe(core.cloud.snapshots[0]?.id);
  });

  it('release_address: died after the release; the retry accepts the address being gone', async () => {
    const allocation = 'eipalloc-0bbbbbbbbbbbbbb20';
    const { core, id } = await approved('release_address', resources.address(allocation));
    const { result } = await crashThenResume(core, id, 'releaseAddress', 'after');
    expect(result).toBe('SUCCEEDED');
    expect(core.cloud.changes()).toEqual([`releaseAddress ${allocation}`]);
  });

  it('a job that runs again after success does nothing', async () => {
    const { core, id } = await approved('stop_instance', resources.instance('i-0bbbbbbbbbbbbbb21'));
    expect(await run(core, id)).toBe('SUCCEEDED');
    const calls = core.cloud.calls.length;
    expect(await run(core, id)).toBe('NOOP');
    expect(core.cloud.calls).toHaveLength(calls);
    expect((await core.get(id)).state).toBe('SUCCEEDED');
  });
});
