// Approval timers (docs/architecture.md#timers) in process: what the core arms on the approval-timer queue port, with
// which delays by the core's clock, what each timer does when it fires, and how a decision cancels them. The clock only
// moves when the test moves it; "firing" a timer is taking it off the fake queue and calling the service, as the
// approval-timer job does.
import { describe, expect, it } from 'vitest';
import type { TimerKind } from '../../../src/approvals/approval-jobs.port.js';
import {
  type ApprovalCore,
  createApprovalCore,
  policy,
  resources,
  rule,
  slackUser,
  T0,
} from '../../support/approval-core.js';
import { testClock } from '../../support/approval-fakes.js';

const HOUR = 3_600_000;
const INSTANCE = 'i-0aaaaaaaaaaaaaa40';

/** Two tiers: Alice, Bob and Carol first (2 of them), then Dave joins; remind 1 h, escalate 4 h, expire 24 h. */
const TIERED = rule({
  tiers: [
    { approvers: ['alice', 'bob', 'carol'], quorum: 2 },
    { approvers: ['dave'], quorum: 2 },
  ],
});

async function proposed(riskRule = TIERED) {
  const clock = testClock(T0);
  const core = createApprovalCore({ clock, policy: policy(riskRule) });
  const id = await core.propose('stop_instance', resources.instance(INSTANCE));
  return { core, clock, id };
}

/** The pending timers as `kind tier dueAt`, dueAt in ms after T0, soonest first. */
function schedule(core: ApprovalCore, id: string) {
  return core.timers.pending(id).map((t) => `${t.kind} t${t.tier} +${t.armedAt + t.delayMs - T0.getTime()}`);
}

/** Moves the clock to the timer's due time, takes it off the queue and runs it, as the approval-timer job does. */
async function fire(core: ApprovalCore, id: string, kind: TimerKind, tier: number) {
  const timer = core.timers.take(id, kind, tier);
  core.clock.set(new Date(timer.armedAt + timer.delayMs));
  return core.timerService.fire(id, kind, tier);
}

const dmTitles = (core: ApprovalCore, who: Parameters<ApprovalCore['dmsTo']>[0]) =>
  core.dmsTo(who).map((m) => m.reply.title);

describe('arming', () => {
  it("arms the first tier's reminder and escalation and the expiry, with the policy's delays", async () => {
    const { core, id } = await proposed();
    const { remindAfterMs, escalateAfterMs, expireAfterMs } = TIERED;
    expect(core.timers.armCalls.map(({ kind, tier, delayMs }) => ({ kind, tier, delayMs }))).toEqual([
      { kind: 'expire', tier: 0, delayMs: expireAfterMs },
      { kind: 'remind', tier: 0, delayMs: remindAfterMs },
      { kind: 'escalate', tier: 0, delayMs: escalateAfterMs },
    ]);
    expect(schedule(core, id)).toEqual([
      `remind t0 +${remindAfterMs}`,
      `escalate t0 +${escalateAfterMs}`,
      `expire t0 +${expireAfterMs}`,
    ]);
    const approval = await core.get(id);
    expect(Date.parse(approval.expiresAt) - T0.getTime()).toBe(expireAfterMs);
  });

  it('arms no escalation with one tier, and no reminder that would come after the expiry', async () => {
    const single = rule({ remindAfterMs: 30 * HOUR, expireAfterMs: 24 * HOUR });
    const { core, id } = await proposed(single);
    expect(schedule(core, id)).toEqual([`expire t0 +${single.expireAfterMs}`]);
  });
});

describe('firing in order', () => {
  it('reminds those who have not voted, escalates to the next tier, reminds it, then expires', async () => {
    const { core, id } = await proposed();
    await core.vote(id, slackUser('alice'));

    // Reminder of tier 1 at +1 h: Bob and Carol (Alice voted; Rita asked and may not vote).
    expect(await fire(core, id, 'remind', 0)).toBe('reminded');
    expect(dmTitles(core, 'bob')).toEqual([`Reminder: your vote is needed on ${id}`]);
    expect(dmTitles(core, 'carol')).toEqual([`Reminder: your vote is needed on ${id}`]);
    expect(dmTitles(core, 'alice')).toEqual([]);
    expect(dmTitles(core, 'rita')).toEqual([]);

    // Escalation at +4 h: Dave joins; the new tier's reminder is armed from now, the expiry stays where it was.
    expect(await fire(core, id, 'escalate', 0)).toBe('escalated');
    expect((await core.get(id)).tier).toBe(1);
    expect(dmTitles(core, 'dave')).toEqual([`Escalated to you: your vote is needed on ${id}`]);
    const escalatedAt = TIERED.escalateAfterMs;
    expect(schedule(core, id)).toEqual([
      `remind t1 +${escalatedAt + TIERED.remindAfterMs}`,
      `expire t0 +${TIERED.expireAfterMs}`,
    ]);

    expect(await fire(core, id, 'remind', 1)).toBe('reminded');
    expect(dmTitles(core, 'dave')).toHaveLength(2);
    expect(dmTitles(core, 'bob')).toHaveLength(2);
    expect(dmTitles(core, 'alice')).toEqual([]);

    expect(await fire(core, id, 'expire', 0)).toBe('expired');
    const expired = await core.get(id);
    expect(expired.state).toBe('EXPIRED');
    expect(expired.decision).toEqual({ by: 'tally', reason: 'expired without a decision' });
    expect(expired.decidedAt).toBe(new Date(T0.getTime() + TIERED.expireAfterMs).toISOString());
    expect(core.execution.calls).toEqual([]);
    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: 2 }]);
    expect(schedule(core, id)).toEqual([]);
    expect(core.dmsTo('rita').map((m) => (m.reply.data as { state: string }).state)).toEqual(['EXPIRED']);

    const timerEvents = (await core.events(id)).filter((e) => e.startsWith('timer.'));
    expect(timerEvents).toEqual(['timer.remind', 'timer.escalate', 'timer.remind', 'timer.expire', 'timer.cancelled']);
  });

  it('escalating close to the expiry arms no reminder past it', async () => {
    const late = rule({ ...TIERED, escalateAfterMs: 23.5 * 3_600_000 });
    const { core, id } = await proposed(late);
    await fire(core, id, 'escalate', 0);
    // 30 min left before the expiry, less than the 1 h reminder delay.
    expect(schedule(core, id)).toEqual([`remind t0 +${late.remindAfterMs}`, `expire t0 +${late.expireAfterMs}`]);
  });

  it('a timer of an earlier tier, fired late, does nothing', async () => {
    const { core, id } = await proposed();
    await fire(core, id, 'escalate', 0);
    const dmsBefore = core.messenger.sent.length;
    const before = await core.get(id);
    // The tier-0 reminder was due before the escalation but ran after it (a busy worker).
    expect(await fire(core, id, 'remind', 0)).toBe('stale');
    expect(core.messenger.sent.length).toBe(dmsBefore);
    expect(await core.get(id)).toEqual(before);
  });
});

describe('a decision', () => {
  it('cancels every pending timer, and a timer already taken by a worker finds the approval decided', async () => {
    const { core, id } = await proposed();
    expect(schedule(core, id)).toHaveLength(3);
    // A worker has taken the reminder off the queue just before the decision.
    const taken = core.timers.take(id, 'remind', 0);
    await core.vote(id, slackUser('alice'));
    await core.vote(id, slackUser('bob'));

    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: TIERED.tiers.length }]);
    expect(schedule(core, id)).toEqual([]);
    const decided = await core.get(id);
    const sent = core.messenger.sent.length;
    core.clock.set(new Date(taken.armedAt + taken.delayMs));
    expect(await core.timerService.fire(id, 'remind', 0)).toBe('stale');
    expect(await core.timerService.fire(id, 'escalate', 0)).toBe('stale');
    expect(await core.timerService.fire(id, 'expire', 0)).toBe('stale');
    expect(core.messenger.sent.length).toBe(sent);
    expect(await core.get(id)).toEqual(decided);
    expect(core.execution.calls).toEqual([id]);
  });

  it('a reject cancels them too, and nothing is armed again', async () => {
    const { core, id } = await proposed();
    const armed = core.timers.armCalls.length;
    await core.vote(id, slackUser('carol'), 'reject', 'not this quarter');
    expect(schedule(core, id)).toEqual([]);
    expect(core.timers.armCalls).toHaveLength(armed);
  });
});
