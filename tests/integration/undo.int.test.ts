import { CreateVolumeCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it, vi } from 'vitest';
import type { TestRuntime } from '../support/approval-runtime.js';
import { instanceState, instanceType, runInstance, stopInstanceNow, volumeExists } from '../support/moto.js';
import { executed, motoRuntimes, ONE_VOTE_POLICY } from '../support/moto-runtimes.js';
import { awsEndpoint } from '../support/services.js';

// Undo (issue 17, item 2) end to end in one process: real BullMQ on Redis, EC2 in moto behind the fault proxy, the
// in-process stores and a recording chat platform. A region of its own, so other files using moto are not disturbed.
const REGION = 'ap-northeast-3';
const DAY = 86_400_000;

const { proxy, runtime } = motoRuntimes(REGION);
const ec2 = () =>
  new EC2Client({
    region: REGION,
    endpoint: awsEndpoint(),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

const undoEvents = async (t: TestRuntime, id: string) =>
  (await t.audit.list({ approvalId: id })).filter((e) => e.event.startsWith('undo.'));

describe('undo', () => {
  it('Stop → Undo: the instance runs again; the button is on the message; each step is audited', async () => {
    const { t } = await runtime();
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large' });
    const { id, approval } = await executed(t, `propose stop ${instance} in ${REGION}`);
    expect(approval.state).toBe('SUCCEEDED');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');
    expect(approval.undo?.plan).toEqual({ kind: 'start_instance' });

    // The executed action's message offers Undo, which runs `undo <id>` as the clicker.
    const posted = t.messenger.sent.find((m) => m.op === 'post' && !m.thread)!;
    await vi.waitFor(() => expect(t.messenger.latest(posted.messageId)?.text).toMatch(/^SUCCEEDED/));
    const undoButton = t.messenger.latest(posted.messageId)?.buttons?.find((b) => b.label === 'Undo');
    expect(undoButton?.value).toBe(`undo ${id}`);

    const reply = await t.run(undoButton!.value, 'rita');
    expect(reply.data).toMatchObject({ id, undone: true });
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
    expect((await t.approvals.get(id))?.undo).toMatchObject({ state: 'UNDONE', steps: [`started ${instance}`] });
    const trail = await undoEvents(t, id);
    expect(trail.map((e) => e.event)).toEqual([
      'undo.recorded',
      'undo.started',
      'undo.intent',
      'undo.step',
      'undo.succeeded',
    ]);
    expect(trail.find((e) => e.event === 'undo.started')?.actor).toBe('rita');
    // Once undone, the message has no Undo button any more, and a second undo is refused.
    await vi.waitFor(() =>
      expect(t.messenger.latest(posted.messageId)?.buttons?.map((b) => b.label)).toEqual(['Details']),
    );
    expect((await t.run(`undo ${id}`, 'alice')).data).toMatchObject({ undone: false });
  });

  it('resize → Undo: the old type, and a stopped instance stays stopped', async () => {
    const { t } = await runtime();
    const running = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large' });
    const stopped = await runInstance(awsEndpoint(), REGION, { instanceType: 'm5.xlarge' });
    await stopInstanceNow(awsEndpoint(), REGION, stopped);

    const a = await executed(t, `propose resize ${running} to t3.medium in ${REGION}`);
    const b = await executed(t, `propose resize ${stopped} to m5.large in ${REGION}`);
    expect([a.approval.state, b.approval.state]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(await instanceType(awsEndpoint(), REGION, running)).toBe('t3.medium');

    // An approver undoes one, the requester the other.
    expect((await t.run(`undo ${a.id}`, 'bob')).data).toMatchObject({ undone: true });
    expect((await t.run(`undo ${b.id}`, 'rita')).data).toMatchObject({ undone: true });
    expect(await instanceType(awsEndpoint(), REGION, running)).toBe('t3.large');
    expect(await instanceState(awsEndpoint(), REGION, running)).toBe('running');
    expect(await instanceType(awsEndpoint(), REGION, stopped)).toBe('m5.xlarge');
    expect(await instanceState(awsEndpoint(), REGION, stopped)).toBe('stopped');
    expect((await undoEvents(t, a.id)).filter((e) => e.event === 'undo.step').map((e) => e.what)).toEqual([
      `stopped ${running}`,
      'modified back to t3.large',
      `started ${running}`,
    ]);
  });

  it('delete volume → Undo: a new volume from the snapshot in the same zone with the old tags', async () => {
    const { t } = await runtime();
    const zone = `${REGION}b`;
    const created = await ec2().send(
      new CreateVolumeCommand({
        AvailabilityZone: zone,
        Size: 40,
        VolumeType: 'gp3',
        TagSpecifications: [
          {
            ResourceType: 'volume',
            Tags: [
              { Key: 'Name', Value: 'scratch-7' },
              { Key: 'team', Value: 'data' },
            ],
          },
        ],
      }),
    );
    const volume = created.VolumeId!;
    const { id, approval } = await executed(t, `propose delete ${volume} in ${REGION}`);
    expect(approval.state).toBe('SUCCEEDED');
    expect(await volumeExists(awsEndpoint(), REGION, volume)).toBe(false);
    const snapshotId = approval.execution?.rollback?.snapshotId;
    expect(snapshotId).toMatch(/^snap-/);

    const reply = await t.run(`undo ${id}`, 'rita');
    const restored = (reply.data as { created?: string }).created;
    expect(restored).toMatch(/^vol-/);
    const out = await ec2().send(new DescribeVolumesCommand({ VolumeIds: [restored!] }));
    const v = out.Volumes?.[0];
    expect(v).toMatchObject({ SnapshotId: snapshotId, AvailabilityZone: zone, Size: 40, VolumeType: 'gp3' });
    const tags = Object.fromEntries((v?.Tags ?? []).map((x) => [x.Key, x.Value]));
    expect(tags).toEqual({ Name: 'scratch-7', team: 'data', 'tally:undo': id });
    const steps = (await undoEvents(t, id)).filter((e) => e.event === 'undo.step').map((e) => e.what);
    expect(steps).toEqual([`volume ${restored} created from ${snapshotId} in ${zone} with the old tags`]);
  });

  it(`is refused with the reason after TALLY_UNDO_DAYS (7), and to someone the policy does not allow`, async () => {
    const { t, clock } = await runtime();
    const instance = await runInstance(awsEndpoint(), REGION);
    const { id } = await executed(t, `propose stop ${instance} in ${REGION}`);

    const outsider = await t.run(`undo ${id}`, 'carol');
    expect(outsider.data).toMatchObject({ undone: false });
    expect(outsider.text).toMatch(/may not undo/);

    clock.advance(7 * DAY + 60_000);
    const late = await t.run(`undo ${id}`, 'rita');
    expect(late.data).toMatchObject({ undone: false });
    expect(late.text).toMatch(/Too late: undo was possible until .* 7 days after the execution \(TALLY_UNDO_DAYS\)/);
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');
    const refused = (await undoEvents(t, id)).filter((e) => e.event === 'undo.refused');
    expect(refused.map((e) => e.actor)).toEqual(['carol', 'rita']);
    expect(refused[1]?.why).toMatch(/Too late/);
  });

  it('a quorum of 2 in approvals.undo: the first asks, the second runs it', async () => {
    const { t } = await runtime(
      ONE_VOTE_POLICY.replace('approvals:\n', 'approvals:\n  undo: { by: [requester, approvers], quorum: 2 }\n'),
    );
    const instance = await runInstance(awsEndpoint(), REGION);
    const { id } = await executed(t, `propose stop ${instance} in ${REGION}`);
    expect((await t.run(`undo ${id}`, 'rita')).data).toMatchObject({ undone: false, requested: 1, quorum: 2 });
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');
    expect((await t.run(`undo ${id}`, 'alice')).data).toMatchObject({ undone: true });
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
  });

  it('a failed resize (ModifyInstanceAttribute fails) leaves the old type and state', async () => {
    const { t } = await runtime();
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large' });
    proxy().failNext('ModifyInstanceAttribute', { status: 400, type: 'InsufficientInstanceCapacity' });
    const { id, approval } = await executed(t, `propose resize ${instance} to t3.medium in ${REGION}`);
    expect(approval.state).toBe('FAILED');
    expect(approval.execution?.reason).toMatch(/InsufficientInstanceCapacity|put back/);
    expect(await instanceType(awsEndpoint(), REGION, instance)).toBe('t3.large');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
    const steps = (await t.audit.list({ approvalId: id }))
      .filter((e) => e.event === 'execution.step')
      .map((e) => e.what);
    expect(steps).toEqual(['dry run permitted', 'stopped', 'started again']);
  });
});
