import type { Job } from 'bullmq';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TimerKind } from '../../src/approvals/approval-jobs.port.js';
import { fixedClock } from '../../src/shared/clock.js';
import { createTestRuntime, dropPrefix, SLACK_IDS, type TestRuntime } from '../support/approval-runtime.js';
import { runInstance } from '../support/moto.js';
import { awsEndpoint, uniqueName } from '../support/services.js';

// Reminders, escalation and expiry as BullMQ delayed jobs on the test Redis (docs/architecture.md#timers). The core's
// clock is fixed, so every delay it arms is known exactly, and nothing waits for a delay to pass: a test moves each
// delayed job to the waiting list in due order (BullMQ's `promote`, what its due time would do) and waits until the
// worker has finished it.
const REGION = 'ap-northeast-3';
const NOW = new Date('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;
const DELAYS = { remind: HOUR, escalate: 2 * HOUR, expire: 24 * HOUR };

const TIERED = `approvals:
  risk:
    medium:
      tiers:
        - { approvers: [alice, bob], quorum: 2 }
        - { approvers: [dave], quorum: 2 }
      remindAfter: 1h
      escalateAfter: 2h
      expireAfter: 1d
`;

const open: TestRuntime[] = [];
beforeAll(() => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterEach(async () => {
  for (const t of open.splice(0)) {
    await t.close();
    await dropPrefix(t.prefix);
  }
});

async function runtime(extra: Partial<Parameters<typeof createTestRuntime>[0]> = {}) {
  const t = await createTestRuntime({
    awsEndpoint: awsEndpoint(),
    region: REGION,
    policy: TIERED,
    clock: fixedClock(NOW),
    ...extra,
  });
  open.push(t);
  return t;
}

const stop = (id: string) => `propose stop ${id} in ${REGION} because idle`;
const timerId = (id: string, kind: TimerKind, tier: number) => `${kind}-${id}-t${tier}`;

/** The approval's delayed timer jobs: job id → delay. */
async function delayed(t: TestRuntime, id: string): Promise<Record<string, number | undefined>> {
  const jobs: Job[] = await t.queue('approval-timer').getDelayed();
  return Object.fromEntries(jobs.filter((j) => j.data.approvalId === id).map((j) => [j.id, j.opts.delay]));
}

/** Makes one delayed timer due now and waits until a worker has completed it; returns what the timer did. */
async function fire(t: TestRuntime, id: string, kind: TimerKind, tier: number): Promise<unknown> {
  const queue = t.queue('approval-timer');
  const job = await queue.getJob(timerId(id, kind, tier));
  expect(await job?.getState(), timerId(id, kind, tier)).toBe('delayed');
  await job!.promote();
  await vi.waitFor(async () => expect(await job!.getState()).toBe('completed'), { timeout: 20_000, interval: 20 });
  return (await queue.getJob(job!.id!))?.returnvalue;
}

const dms = (t: TestRuntime, who: keyof typeof SLACK_IDS) =>
  t.messenger.directTo(SLACK_IDS[who]).map((m) => m.reply.title);

describe('approval timers', () => {
  it('arm remind, escalate and expire with the policy delays; in due order they remind, escalate, remind, expire', async () => {
    const t = await runtime();
    await t.startWorkers();
    const id = await t.propose(stop(await runInstance(awsEndpoint(), REGION)));
    await t.vote(id, 'alice');
    expect(await delayed(t, id)).toEqual({
      [timerId(id, 'remind', 0)]: DELAYS.remind,
      [timerId(id, 'escalate', 0)]: DELAYS.escalate,
      [timerId(id, 'expire', 0)]: DELAYS.expire,
    });

    // Tier 1's reminder goes to Bob only: Alice voted, Rita asked.
    expect(await fire(t, id, 'remind', 0)).toBe('reminded');
    expect(dms(t, 'bob')).toEqual([`Reminder: your vote is needed on ${id}`]);
    expect(dms(t, 'alice')).toEqual([]);
    expect(dms(t, 'dave')).toEqual([]);

    // The escalation brings in Dave and arms tier 2's reminder, from now; the expiry stays.
    expect(await fire(t, id, 'escalate', 0)).toBe('escalated');
    expect(dms(t, 'dave')).toEqual([`Escalated to you: your vote is needed on ${id}`]);
    expect(await delayed(t, id)).toEqual({
      [timerId(id, 'remind', 1)]: DELAYS.remind,
      [timerId(id, 'expire', 0)]: DELAYS.expire,
    });

    expect(await fire(t, id, 'remind', 1)).toBe('reminded');
    expect(dms(t, 'bob')).toHaveLength(2);
    expect(dms(t, 'dave')).toHaveLength(2);

    expect(await fire(t, id, 'expire', 0)).toBe('expired');
    const expired = await t.approvals.get(id);
    expect(expired?.state).toBe('EXPIRED');
    expect(expired?.tier).toBe(1);
    expect(expired?.decision).toEqual({ by: 'tally', reason: 'expired without a decision' });
    const trail = (await t.audit.list({ approvalId: id })).map((e) => e.event).filter((e) => e.startsWith('timer.'));
    expect(trail).toEqual(['timer.remind', 'timer.escalate', 'timer.remind', 'timer.expire', 'timer.cancelled']);
    // The requester hears the outcome; no timer is left.
    expect(t.messenger.directTo(SLACK_IDS.rita).map((m) => (m.reply.data as { state: string }).state)).toEqual([
      'EXPIRED',
    ]);
    expect(await delayed(t, id)).toEqual({});
  });

  it('a decision cancels every timer', async () => {
    const t = await runtime();
    await t.startWorkers();
    const id = await t.propose(stop(await runInstance(awsEndpoint(), REGION)));
    const queue = t.queue('approval-timer');
    // By the core's clock, the proposal was made now: the expiry is armed for the whole time to expiry.
    expect((await queue.getJob(timerId(id, 'expire', 0)))?.opts.delay).toBe(DELAYS.expire);
    await t.vote(id, 'alice');
    await t.vote(id, 'bob');
    await t.waitForState(id, ['SUCCEEDED', 'FAILED']);
    for (const kind of ['remind', 'escalate', 'expire'] as const)
      expect(await queue.getJob(timerId(id, kind, 0))).toBeUndefined();
    // Nothing is left to fire: no timer job is waiting, delayed or running.
    expect(await queue.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 0, active: 0 });
    expect(t.messenger.directTo(SLACK_IDS.bob)).toEqual([]);
    expect((await t.approvals.get(id))?.state).toBe('SUCCEEDED');
  });

  it('pending timers survive a restart: a new process with the same Redis fires them', async () => {
    const prefix = uniqueName('apr_restart');
    const first = await createTestRuntime({
      awsEndpoint: awsEndpoint(),
      region: REGION,
      policy: TIERED,
      prefix,
      clock: fixedClock(NOW),
    });
    const id = await first.propose(stop(await runInstance(awsEndpoint(), REGION)));
    const stores = { approvals: first.approvals, audit: first.audit };
    await first.close(); // "Tally stops" before any timer is due; no worker ever ran
    const second = await runtime({ prefix, stores });
    await second.startWorkers();
    expect(Object.keys(await delayed(second, id)).sort()).toEqual(
      (['escalate', 'expire', 'remind'] as const).map((kind) => timerId(id, kind, 0)),
    );
    expect(await fire(second, id, 'remind', 0)).toBe('reminded');
    expect(await fire(second, id, 'escalate', 0)).toBe('escalated');
    expect(await fire(second, id, 'expire', 0)).toBe('expired');
    const expired = await second.approvals.get(id);
    expect(expired?.state).toBe('EXPIRED');
    expect(expired?.tier).toBe(1);
    expect(second.messenger.directTo(SLACK_IDS.dave).length).toBeGreaterThan(0);
  });
});
