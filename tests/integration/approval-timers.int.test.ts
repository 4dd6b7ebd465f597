import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestRuntime, dropPrefix, SLACK_IDS, type TestRuntime } from '../support/approval-runtime.js';
import { runInstance } from '../support/moto.js';
import { awsEndpoint, uniqueName } from '../support/services.js';

// Reminders, escalation and expiry as BullMQ delayed jobs on the test Redis, with short durations.
const REGION = 'ap-northeast-3';

const TIERED = `approvals:
  risk:
    medium:
      tiers:
        - { approvers: [alice, bob], quorum: 2 }
        - { approvers: [dave], quorum: 2 }
      remindAfter: 400ms
      escalateAfter: 900ms
      expireAfter: 2500ms
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
  const t = await createTestRuntime({ awsEndpoint: awsEndpoint(), region: REGION, policy: TIERED, ...extra });
  open.push(t);
  return t;
}

const stop = (id: string) => `propose stop ${id} in ${REGION} because idle`;

/** When (ms after `start`) each direct message reached each user. */
function dmTimes(t: TestRuntime, start: number, times: Map<string, number[]>) {
  return () => {
    for (const m of t.messenger.sent.filter((s) => s.op === 'direct')) {
      const list = times.get(m.channel) ?? [];
      if (!(m as { seen?: boolean }).seen) {
        (m as { seen?: boolean }).seen = true;
        list.push(Date.now() - start);
        times.set(m.channel, list);
      }
    }
  };
}

describe('approval timers', () => {
  it('remind the approvers who have not voted, escalate to the next tier, then expire — on time', async () => {
    const t = await runtime();
    await t.startWorkers();
    const start = Date.now();
    const id = await t.propose(stop(await runInstance(awsEndpoint(), REGION)));
    await t.vote(id, 'alice');
    const times = new Map<string, number[]>();
    const poll = setInterval(dmTimes(t, start, times), 10);
    const expired = await t.waitForState(id, ['EXPIRED'], 10_000);
    clearInterval(poll);
    dmTimes(t, start, times)();
    const elapsed = Date.now() - start;

    // Tier 1 reminder at 400 ms to Bob only (Alice voted); escalation at 900 ms to Dave, whose tier reminder follows
    // 400 ms later (to Bob and Dave); expiry at 2.5 s.
    expect(times.get(SLACK_IDS.alice)).toBeUndefined();
    const bob = times.get(SLACK_IDS.bob) ?? [];
    const dave = times.get(SLACK_IDS.dave) ?? [];
    expect(bob[0]).toBeGreaterThanOrEqual(400);
    expect(bob[0]).toBeLessThan(400 + 600);
    expect(dave[0]).toBeGreaterThanOrEqual(900);
    expect(dave[0]).toBeLessThan(900 + 600);
    expect(bob.length).toBe(2);
    expect(dave.length).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(2500);
    expect(expired.tier).toBe(1);
    expect(expired.decision).toEqual({ by: 'tally', reason: 'expired without a decision' });
    const trail = (await t.audit.list({ approvalId: id })).map((e) => e.event);
    expect(trail.filter((e) => e === 'timer.remind')).toHaveLength(2);
    expect(trail.filter((e) => e === 'timer.escalate')).toHaveLength(1);
    expect(trail).toContain('timer.expire');
    // The requester hears the outcome; the message shows it.
    await vi.waitFor(() => expect(t.messenger.directTo(SLACK_IDS.rita).at(-1)?.reply.text).toMatch(/^Expired/));
  });

  it('a decision cancels every timer', async () => {
    const t = await runtime();
    await t.startWorkers();
    const id = await t.propose(stop(await runInstance(awsEndpoint(), REGION)));
    const queue = t.queue('approval-timer');
    // Armed for the rest of the 2.5 s from the proposal (a few ms went by since).
    const delay = (await queue.getJob(`expire-${id}-t0`))?.opts.delay ?? 0;
    expect(delay).toBeGreaterThan(2000);
    expect(delay).toBeLessThanOrEqual(2500);
    await t.vote(id, 'alice');
    await t.vote(id, 'bob');
    await t.waitForState(id, ['SUCCEEDED', 'FAILED']);
    for (const job of ['remind', 'escalate', 'expire']) expect(await queue.getJob(`${job}-${id}-t0`)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2800));
    expect(t.messenger.directTo(SLACK_IDS.bob)).toEqual([]);
    expect((await t.approvals.get(id))?.state).toBe('SUCCEEDED');
  });

  it('pending timers survive a restart: a new process with the same Redis fires them', async () => {
    const prefix = uniqueName('apr_restart');
    const first = await createTestRuntime({ awsEndpoint: awsEndpoint(), region: REGION, policy: TIERED, prefix });
    const id = await first.propose(stop(await runInstance(awsEndpoint(), REGION)));
    const stores = { approvals: first.approvals, audit: first.audit };
    await first.close(); // "Tally stops" before any timer is due; no worker ever ran
    const second = await runtime({ prefix, stores });
    await second.startWorkers();
    const expired = await second.waitForState(id, ['EXPIRED'], 10_000);
    expect(expired.tier).toBe(1);
    expect(second.messenger.directTo(SLACK_IDS.dave).length).toBeGreaterThan(0);
  });
});
