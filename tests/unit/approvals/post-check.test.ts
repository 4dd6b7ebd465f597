import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../../adapters/memory/memory-audit.log.js';
import type { ResourceFacts, RollbackInfo, TargetRef } from '../../../src/actions/action.types.js';
import type { Approval } from '../../../src/approvals/approval.types.js';
import { auditor } from '../../../src/approvals/approval-events.js';
import { PostCheck } from '../../../src/approvals/execution/post-check.js';
import type { PostCheckCloud } from '../../../src/approvals/execution/post-check.port.js';
import { TallyError } from '../../../src/shared/errors.js';
import { testClock } from '../../support/approval-fakes.js';
import { testApproval } from '../../support/approvals.js';

const T0 = new Date('2026-05-10T10:00:00.000Z');
const INTERVAL = 15_000;

type Answer = ResourceFacts | null | TallyError;

/** The cloud as a script: each look at the resource gets the next answer (the last one repeats), likewise snapshots. */
function scriptedCloud(resource: Answer[], snapshot: (string | null)[] = []) {
  const looks: string[] = [];
  const cloud: PostCheckCloud = {
    async describe(ref: TargetRef) {
      looks.push(ref.resourceId);
      const answer = resource.length > 1 ? resource.shift()! : resource[0]!;
      if (answer instanceof TallyError) throw answer;
      return answer;
    },
    async snapshotState() {
      return snapshot.length > 1 ? snapshot.shift()! : (snapshot[0] ?? null);
    },
  };
  return { cloud, looks };
}

/** A PostCheck whose delay moves the test clock on, as the time waited. */
function postCheck(cloud: PostCheckCloud, maxWaitMs = 600_000) {
  const clock = testClock(T0);
  const audit = new MemoryAuditLog();
  const changed: string[] = [];
  const delays: number[] = [];
  const check = new PostCheck({
    cloud,
    audit: auditor(audit, clock),
    clock,
    changed: (t) => changed.push(t.resourceId),
    delay: async (ms) => {
      delays.push(ms);
      clock.advance(ms);
    },
    intervalMs: INTERVAL,
    maxWaitMs,
  });
  return { check, audit, changed, delays };
}

const stop = testApproval({ state: 'EXECUTING' });
const ID = stop.action.target.resourceId;
const instance = (state: string, instanceType = 't3.large'): ResourceFacts => ({
  resourceType: 'instance',
  id: ID,
  instanceType,
  state,
  tags: [],
});
const NO_ROLLBACK: RollbackInfo = { note: '' };

describe('the check after an action', () => {
  it('waits while the instance is stopping, then records it stopped at the time seen, audited', async () => {
    const { cloud, looks } = scriptedCloud([instance('stopping'), instance('stopping'), instance('stopped')]);
    const { check, audit, changed, delays } = postCheck(cloud);
    const v = await check.verify(stop, NO_ROLLBACK);
    expect(v).toEqual({
      at: new Date(T0.getTime() + 2 * INTERVAL).toISOString(),
      confirmed: true,
      state: `${ID} stopped`,
    });
    expect(looks).toHaveLength(3);
    expect(delays).toEqual([INTERVAL, INTERVAL]);
    expect(changed).toEqual([ID]);
    const entries = await audit.list({ approvalId: stop.id });
    expect(entries.map((e) => [e.event, e.what])).toEqual([['execution.verified', `confirmed: ${ID} stopped`]]);
  });

  it('gives up after the longest wait and says what it found (bounded: maxWait / interval + 1 looks)', async () => {
    const { cloud, looks } = scriptedCloud([instance('stopping')]);
    const { check, audit, delays } = postCheck(cloud, 60_000);
    const v = await check.verify(stop, NO_ROLLBACK);
    expect(v).toMatchObject({
      confirmed: false,
      state: `${ID} stopping`,
      reason: `${ID} stopping, not stopped after 1 min`,
    });
    expect(looks).toHaveLength(60_000 / INTERVAL + 1);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(60_000);
    const [entry] = await audit.list({ approvalId: stop.id });
    expect(entry).toMatchObject({ event: 'execution.unconfirmed', what: `not confirmed: ${v.reason}` });
  });

  it('stops looking at once when waiting cannot help (the instance is gone)', async () => {
    const { cloud } = scriptedCloud([null]);
    const { check, delays } = postCheck(cloud);
    expect(await check.verify(stop, NO_ROLLBACK)).toMatchObject({
      confirmed: false,
      reason: `${ID} gone, not stopped`,
    });
    expect(delays).toEqual([]);
  });

  it('a look the cloud refuses (throttled) is tried again', async () => {
    const throttled = new TallyError('CLOUD_THROTTLED', 'slow down');
    const { cloud } = scriptedCloud([throttled, instance('stopped')]);
    const { check } = postCheck(cloud);
    expect(await check.verify(stop, NO_ROLLBACK)).toMatchObject({ confirmed: true, state: `${ID} stopped` });
  });

  it('a resized instance must have the new type and the state it had before', async () => {
    const resize: Approval = {
      ...stop,
      action: { ...stop.action, kind: 'resize_instance', params: { instanceType: 't3.small' } },
    };
    const running = scriptedCloud([instance('running', 't3.small')]);
    expect(await postCheck(running.cloud).check.verify(resize, NO_ROLLBACK)).toMatchObject({
      confirmed: true,
      state: `${ID} t3.small, running`,
    });
    // Left stopped (the start did not happen, or someone stopped it): not what was there before.
    const stopped = scriptedCloud([instance('stopped', 't3.small')]);
    expect(await postCheck(stopped.cloud, 0).check.verify(resize, NO_ROLLBACK)).toMatchObject({
      confirmed: false,
      reason: `${ID} t3.small, stopped, not t3.small, running after 0 s`,
    });
  });

  it('a deleted volume must be gone and its snapshot completed', async () => {
    const volume = testApproval({ state: 'EXECUTING' });
    volume.action = {
      ...volume.action,
      kind: 'delete_volume',
      target: { ...volume.action.target, resourceType: 'volume', resourceId: 'vol-0abc' },
    };
    const rollback = { snapshotId: 'snap-0abc', note: '' };
    const { cloud } = scriptedCloud([null], ['pending', 'completed']);
    const { check, delays } = postCheck(cloud);
    expect(await check.verify(volume, rollback)).toMatchObject({
      confirmed: true,
      state: 'vol-0abc gone, snap-0abc completed',
    });
    expect(delays).toEqual([INTERVAL]);
    // A snapshot that failed cannot complete: not confirmed at once.
    const failed = postCheck(scriptedCloud([null], ['error']).cloud);
    expect(await failed.check.verify(volume, rollback)).toMatchObject({
      confirmed: false,
      reason: 'vol-0abc gone, snap-0abc error, not gone, snap-0abc completed',
    });
    expect(failed.delays).toEqual([]);
  });
});
