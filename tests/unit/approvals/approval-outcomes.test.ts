// What follows a decision (ApprovalOutcomes, docs/architecture.md#votes-and-compare-and-set): timers cancelled, one
// execution job when approved, every approval message updated to the latest state, a thread note, and the requester
// told of a decision that ends it. In process, on the memory stores and recording fakes.
import { describe, expect, it } from 'vitest';
import {
  createApprovalCore,
  OPS_CHANNEL,
  policy,
  resources,
  rule,
  slackUser,
  teamsUser,
} from '../../support/approval-core.js';
import { RefusingMessenger } from '../../support/approval-fakes.js';
import { RecordingMessenger } from '../../support/recording-messenger.js';

const INSTANCE = 'i-0aaaaaaaaaaaaaa30';

async function proposed(options: Parameters<typeof createApprovalCore>[0] = {}) {
  const core = createApprovalCore(options);
  const id = await core.propose('stop_instance', resources.instance(INSTANCE));
  return { core, id };
}

/** The states the approval message showed, post and updates in order. */
function shownStates(core: ReturnType<typeof createApprovalCore>, messageId: string) {
  return core.messenger.sent
    .filter((m) => m.messageId === messageId && m.op !== 'direct')
    .map((m) => (m.reply.data as { state: string }).state);
}

describe('a proposal', () => {
  it('posts one approval message where it was proposed, with the buttons to vote', async () => {
    const { core, id } = await proposed();
    const message = core.approvalMessage();
    expect(message.channel).toBe(OPS_CHANNEL);
    expect(message.reply.buttons?.map((b) => [b.label, b.value])).toEqual([
      ['Approve', id],
      ['Reject', id],
      ['Details', id],
    ]);
    expect((await core.get(id)).messages).toEqual([
      { platform: 'slack', channel: OPS_CHANNEL, messageId: message.messageId },
    ]);
    expect(await core.events(id)).toEqual(['proposal.created', 'message.posted']);
  });
});

describe('after an approval', () => {
  it('cancels the timers, enqueues one execution, updates the message and notes it in the thread', async () => {
    const { core, id } = await proposed();
    const message = core.approvalMessage();
    await core.vote(id, slackUser('alice'));
    await core.vote(id, slackUser('bob'));

    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: 1 }]);
    expect(core.execution.calls).toEqual([id]);
    expect(shownStates(core, message.messageId).at(-1)).toBe('APPROVED');
    expect(core.messenger.latest(message.messageId)?.buttons?.map((b) => b.label)).toEqual(['Details']);
    const thread = core.messenger.sent.filter((m) => m.thread === message.messageId).map((m) => m.reply.title);
    expect(thread).toEqual([
      'Alice approved (1 of 2)',
      'Bob approved (2 of 2)',
      `Approved: ${(await core.get(id)).decision?.reason}`,
    ]);
    // An approval is not the end: the requester hears from the execution, not now.
    expect(core.dmsTo('rita')).toEqual([]);
    const events = await core.events(id);
    expect(events.indexOf('timer.cancelled')).toBeLessThan(events.indexOf('execution.enqueued'));
  });

  it('still enqueues the execution when the chat platform refuses every message', async () => {
    const refusing = new RefusingMessenger();
    const { core, id } = await proposed({ messengers: [refusing] });
    expect((await core.get(id)).messages).toEqual([]); // the post failed, so there is no message to update
    await core.vote(id, slackUser('alice'));
    expect(await core.vote(id, slackUser('bob'))).toMatchObject({ ok: true, decided: true });
    expect(core.execution.calls).toEqual([id]);
    const events = await core.events(id);
    expect(events).toContain('message.posted.failed');
    expect(events).toContain('message.direct.failed'); // the approvers were asked directly, and that failed too
    expect(events).toContain('execution.enqueued');
  });
});

describe('after a decision that ends it', () => {
  it('a reject: timers cancelled, nothing enqueued, the requester told on every platform they use', async () => {
    const teams = new RecordingMessenger({}, 'teams');
    const slack = new RecordingMessenger();
    const core = createApprovalCore({ messengers: [slack, teams] });
    const id = await core.propose('stop_instance', resources.instance(INSTANCE));
    await core.vote(id, teamsUser('alice'), 'reject', 'needed for the demo');

    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: 1 }]);
    expect(core.execution.calls).toEqual([]);
    // Rita has a Slack and a Teams id: one direct message on each, showing the final state without buttons.
    for (const [messenger, userId] of [
      [slack, 'U0RITA'],
      [teams, teamsUser('rita').id],
    ] as const) {
      const dms = messenger.directTo(userId);
      expect(dms.map((m) => (m.reply.data as { state: string }).state)).toEqual(['REJECTED']);
      expect(dms[0]?.reply.buttons).toEqual([]);
    }
  });

  it('a cancel by the requester: timers cancelled, nothing enqueued; nobody else may cancel', async () => {
    const { core, id } = await proposed();
    const refused = await core.service.cancel(id, slackUser('alice'));
    expect(refused.title).toBe('Nothing cancelled');
    expect((await core.get(id)).state).toBe('PENDING');
    expect(core.timers.cancelCalls).toEqual([]);

    await core.service.cancel(id, teamsUser('rita'));
    const approval = await core.get(id);
    expect(approval.state).toBe('CANCELLED');
    expect(approval.decision).toEqual({ by: 'rita', reason: 'cancelled by the requester' });
    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: 1 }]);
    expect(core.timers.pending(id)).toEqual([]);
    expect(core.execution.calls).toEqual([]);
    expect(refusalOf(await core.vote(id, slackUser('bob')))).toBe('NOT_PENDING');
  });

  it('expiry with onExpiry approve: APPROVED by tally, and one execution enqueued', async () => {
    const { core, id } = await proposed({ policy: policy(rule({ onExpiry: 'approve' })) });
    await core.vote(id, slackUser('alice'));
    expect(await core.timerService.fire(id, 'expire', 0)).toBe('expired');
    const approval = await core.get(id);
    expect(approval.state).toBe('APPROVED');
    expect(approval.decision).toEqual({ by: 'tally', reason: 'expired; the policy approves on expiry' });
    expect(core.execution.calls).toEqual([id]);
    // A second expiry job (a duplicate) changes nothing and enqueues nothing more.
    expect(await core.timerService.fire(id, 'expire', 0)).toBe('stale');
    expect(core.execution.calls).toEqual([id]);
  });
});

function refusalOf(outcome: { ok: boolean; reason?: string }) {
  return outcome.ok ? null : outcome.reason;
}
