import { EC2Client, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it, vi } from 'vitest';
import type { TestRuntime } from '../support/approval-runtime.js';
import { createVolume, instanceState, putCpu, runInstance, snapshotsOf, volumeExists } from '../support/moto.js';
import { executed, motoRuntimes } from '../support/moto-runtimes.js';
import { awsEndpoint } from '../support/services.js';

// The check after an action (issue 17, item 6) end to end in one process: real BullMQ on Redis, EC2 and CloudWatch in
// moto behind the fault proxy, the in-process stores and a recording chat platform. The check's delay between looks
// returns at once (moto changes state at once), so nothing here waits on a timer. A region of its own.
const REGION = 'us-west-1';

const { proxy, runtime } = motoRuntimes(REGION);

const checkEvents = async (t: TestRuntime, id: string) =>
  (await t.audit.list({ approvalId: id })).filter(
    (e) => e.event === 'execution.verified' || e.event === 'execution.unconfirmed',
  );

/** The ids of the instances `recommendations` lists as idle. */
async function idleInstances(t: TestRuntime): Promise<string[]> {
  const reply = await t.run('recommendations', 'rita');
  const recs = (reply.data as { recommendations: { rule: string; resourceId: string }[] }).recommendations;
  return recs.filter((r) => r.rule === 'idle-instance').map((r) => r.resourceId);
}

describe('the check after an action', () => {
  it('stop: the instance is seen stopped, recorded on the approval and audited; recommendations stop listing it as idle', async () => {
    const { t, clock } = await runtime();
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large' });
    const start = clock.now().getTime();
    const hours = Array.from({ length: 14 * 24 }, (_, h) => ({ at: new Date(start - (h + 1) * 3_600_000), value: 1 }));
    await putCpu(awsEndpoint(), REGION, instance, hours);
    expect(await idleInstances(t)).toContain(instance);

    const { id, approval } = await executed(t, `propose stop ${instance} in ${REGION}`);
    expect(approval.state).toBe('SUCCEEDED');
    expect(approval.execution?.verification).toEqual({
      at: clock.now().toISOString(),
      confirmed: true,
      state: `${instance} stopped`,
    });
    expect((await checkEvents(t, id)).map((e) => [e.event, e.what])).toEqual([
      ['execution.verified', `confirmed: ${instance} stopped`],
    ]);
    // The scan cached before the stop is dropped: the next answer reads EC2 again and sees it stopped.
    expect(await idleInstances(t)).not.toContain(instance);
  });

  it('delete volume: the volume is gone and its snapshot completed', async () => {
    const { t } = await runtime();
    const volume = await createVolume(awsEndpoint(), REGION, { sizeGiB: 20, volumeType: 'gp3' });
    const { id, approval } = await executed(t, `propose delete ${volume} in ${REGION}`);
    expect(approval.state).toBe('SUCCEEDED');
    const snapshotId = approval.execution?.rollback?.snapshotId;
    expect((await snapshotsOf(awsEndpoint(), REGION, volume)).map((s) => [s.id, s.state])).toEqual([
      [snapshotId, 'completed'],
    ]);
    expect(await volumeExists(awsEndpoint(), REGION, volume)).toBe(false);
    expect(approval.execution?.verification).toMatchObject({
      confirmed: true,
      state: `${volume} gone, ${snapshotId} completed`,
    });
    expect((await checkEvents(t, id)).map((e) => e.event)).toEqual(['execution.verified']);
  });

  it('an instance started again by someone else right after the stop: SUCCEEDED, but not confirmed, and says so', async () => {
    const { t } = await runtime();
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large' });
    const ec2 = new EC2Client({
      region: REGION,
      endpoint: awsEndpoint(),
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // After the real StopInstances, the waiter's DescribeInstances sees `stopped`; before that answer reaches Tally,
    // someone starts the instance again, so every look of the check finds it running.
    let stopped = false;
    let startedAgain = false;
    proxy().beforeAnswer(async (r) => {
      if (r.action === 'StopInstances' && !/DryRun=true/.test(r.body) && r.body.includes(instance)) stopped = true;
      else if (stopped && !startedAgain && r.action === 'DescribeInstances' && r.body.includes(instance)) {
        startedAgain = true;
        await ec2.send(new StartInstancesCommand({ InstanceIds: [instance] }));
      }
    });
    const { id, approval } = await executed(t, `propose stop ${instance} in ${REGION}`);
    ec2.destroy();
    expect(startedAgain).toBe(true);
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
    expect(approval.state).toBe('SUCCEEDED');
    const reason = `${instance} running, not stopped after 10 min`;
    expect(approval.execution?.verification).toMatchObject({ confirmed: false, state: `${instance} running`, reason });
    expect((await checkEvents(t, id)).map((e) => [e.event, e.what])).toEqual([
      ['execution.unconfirmed', `not confirmed: ${reason}`],
    ]);
    // The thread note (a title) and the approval message say it.
    await vi.waitFor(() => {
      const texts = t.messenger.sent.map((m) => `${m.reply.title ?? ''} ${m.reply.text ?? ''}`);
      expect(texts.some((x) => x.includes(`— not confirmed: ${reason}`))).toBe(true);
      expect(texts.some((x) => x.includes(`Not confirmed: ${reason}.`))).toBe(true);
    });
  });
});
