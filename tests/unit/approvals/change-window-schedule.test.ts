// Change windows schedule, not fail (docs/architecture.md#execution), in process: the approval core on memory stores
// with the queue, cloud and clock fakes of tests/support. The clock is moved by hand; `execute` is called as the
// execute job calls it.
import { describe, expect, it } from 'vitest';
import type { ChangeWindow } from '../../../src/actions/guardrails.js';
import type { Identity } from '../../../src/approvals/approval.types.js';
import { createApprovalCore, policy, resources, rule, slackUser } from '../../support/approval-core.js';
import { testClock } from '../../support/approval-fakes.js';

const HOUR = 3_600_000;
/** Weekdays 08:00–18:00 in Berlin (CET in early March: UTC+1). */
const OFFICE: ChangeWindow = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '08:00',
  to: '18:00',
  tz: 'Europe/Berlin',
};
/** Saturday 7 March 2026, 10:00 UTC: outside the window. */
const SATURDAY = new Date('2026-03-07T10:00:00.000Z');
/** Monday 9 March 2026, 08:00 in Berlin: where the window opens next. */
const MONDAY_OPEN = new Date('2026-03-09T07:00:00.000Z');

function core(people: { key: string; name: string; slack: string; tz?: string }[] = []) {
  return createApprovalCore({
    clock: testClock(SATURDAY),
    policy: policy(
      rule({ tiers: [{ approvers: ['alice', 'bob', 'carol', ...people.map((p) => p.key)], quorum: 2 }] }),
      {
        people,
        guardrails: { changeWindows: [OFFICE] },
      },
    ),
  });
}

async function approvedOnSaturday(c: ReturnType<typeof core>, second: Identity = slackUser('bob')) {
  const id = await c.propose('stop_instance', resources.instance('i-0ccccccccccccc001'));
  await c.vote(id, slackUser('alice'));
  await c.vote(id, second);
  return id;
}

describe('quorum outside every change window', () => {
  it('is APPROVED and scheduled for the next window: delayed job, message and thread say when (window zone)', async () => {
    const c = core();
    const id = await approvedOnSaturday(c);

    const a = await c.get(id);
    expect(a.state).toBe('APPROVED');
    expect(a.scheduledFor).toBe(MONDAY_OPEN.toISOString());
    expect(c.execution.calls).toEqual([id]);
    expect(c.execution.delays).toEqual([MONDAY_OPEN.getTime() - SATURDAY.getTime()]);
    const when = 'Monday, 9 March 2026 at 08:00 Europe/Berlin (07:00 UTC)';
    const message = c.messenger.sent.filter((m) => m.op === 'update').at(-1)!.reply;
    expect(message.text).toContain(`scheduled for ${when}`);
    expect(message.data).toMatchObject({ state: 'APPROVED', scheduledFor: MONDAY_OPEN.toISOString() });
    const thread = c.messenger.sent.filter((m) => m.op === 'post' && m.thread).map((m) => m.reply.title);
    expect(thread.some((t) => t.includes(`scheduled for ${when}`))).toBe(true);
    expect(await c.events(id)).toContain('execution.scheduled');

    const list = await c.service.pending();
    expect(list.items?.map((i) => i.fields?.find((f) => f.label === 'Scheduled for')?.value)).toEqual([when]);
  });

  it('shows the time in the approvers’ own zones when the policy gives them one', async () => {
    const c = core([{ key: 'nina', name: 'Nina', slack: 'U0NINA', tz: 'America/New_York' }]);
    const id = await approvedOnSaturday(c, { platform: 'slack', id: 'U0NINA' });
    expect(c.messages.scheduleText(await c.get(id))).toBe('Monday, 9 March 2026 at 03:00 America/New_York (07:00 UTC)');
  });

  it('at the window start the job executes; before it (a job run early) it only waits again', async () => {
    const c = core();
    const id = await approvedOnSaturday(c);

    c.clock.set(new Date(MONDAY_OPEN.getTime() - 1000));
    expect(await c.executor.execute(id, { finalAttempt: false })).toEqual({
      rescheduled: MONDAY_OPEN.toISOString(),
      delayMs: 1000,
    });
    expect((await c.get(id)).state).toBe('APPROVED');
    expect(await c.events(id)).not.toContain('execution.rescheduled');

    c.clock.set(MONDAY_OPEN);
    expect(await c.executor.execute(id, { finalAttempt: false })).toBe('SUCCEEDED');
    expect(c.cloud.changes()).toEqual(['stopInstance i-0ccccccccccccc001']);
  });

  it('a window that no longer matches when the job runs: rescheduled for the next one, not failed', async () => {
    const c = core();
    const id = await approvedOnSaturday(c);
    // Monday 18:30 in Berlin: the job (delayed to 08:00) ran late, after the window closed.
    c.clock.set(new Date(MONDAY_OPEN.getTime() + 10.5 * HOUR));
    const tuesday = new Date(MONDAY_OPEN.getTime() + 24 * HOUR);

    expect(await c.executor.execute(id, { finalAttempt: false })).toEqual({
      rescheduled: tuesday.toISOString(),
      delayMs: 13.5 * HOUR,
    });
    const a = await c.get(id);
    expect(a).toMatchObject({ state: 'APPROVED', scheduledFor: tuesday.toISOString() });
    expect(await c.events(id)).toContain('execution.rescheduled');
    expect(c.cloud.changes()).toEqual([]);
  });

  it('cancel before it starts: CANCELLED, the job removed, audited; a job that runs anyway does nothing', async () => {
    const c = core();
    const id = await approvedOnSaturday(c);

    const reply = await c.service.cancel(id, slackUser('rita'));
    expect(reply.title).toBe(`Approval ${id} cancelled`);
    expect((await c.get(id)).state).toBe('CANCELLED');
    expect(c.execution.removed).toEqual([id]);
    expect(await c.events(id)).toEqual(expect.arrayContaining(['decision.cancelled', 'execution.cancelled']));

    c.clock.set(MONDAY_OPEN);
    expect(await c.executor.execute(id, { finalAttempt: false })).toBe('NOOP');
    expect(c.cloud.changes()).toEqual([]);
  });

  it('inside a window it runs at once, as before', async () => {
    const c = core();
    c.clock.set(new Date(MONDAY_OPEN.getTime() + HOUR));
    const id = await approvedOnSaturday(c);
    expect((await c.get(id)).scheduledFor).toBeUndefined();
    expect(c.execution.delays).toEqual([0]);
    expect(await c.events(id)).toContain('execution.enqueued');
  });
});
