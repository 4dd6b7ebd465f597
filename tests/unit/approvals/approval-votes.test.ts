// Votes on an approval (docs/architecture.md#votes-and-compare-and-set), in process: the real ApprovalService,
// ApprovalVotes and ApprovalOutcomes on the memory stores, with recording fakes of the timer and execution queues.
import { describe, expect, it } from 'vitest';
import type { VoteOutcome } from '../../../src/approvals/approval-votes.service.js';
import {
  createApprovalCore,
  PEOPLE,
  policy,
  resources,
  rule,
  slackUser,
  T0,
  teamsUser,
} from '../../support/approval-core.js';
import { testClock } from '../../support/approval-fakes.js';

const INSTANCE = 'i-0aaaaaaaaaaaaaa01';

async function proposed(options: Parameters<typeof createApprovalCore>[0] = {}) {
  const core = createApprovalCore(options);
  const id = await core.propose('stop_instance', resources.instance(INSTANCE));
  return { core, id };
}

const refusal = (outcome: VoteOutcome) => (outcome.ok ? null : outcome.reason);

describe('the quorum', () => {
  it('moves the approval to APPROVED exactly once, with the vote that reaches it', async () => {
    const { core, id } = await proposed();
    const quorum = (await core.get(id)).rule.tiers[0]!.quorum;

    const first = await core.vote(id, slackUser('alice'));
    expect(first).toMatchObject({ ok: true, decided: false, approval: { state: 'PENDING' } });
    expect(core.execution.calls).toEqual([]);
    expect(core.timers.cancelCalls).toEqual([]);

    const second = await core.vote(id, slackUser('bob'));
    expect(second).toMatchObject({ ok: true, decided: true, approval: { state: 'APPROVED' } });
    const late = await core.vote(id, slackUser('carol'));
    expect(refusal(late)).toBe('NOT_PENDING');

    const approval = await core.get(id);
    expect(approval.state).toBe('APPROVED');
    expect(approval.votes.map((v) => v.voter.person)).toEqual(['alice', 'bob']);
    expect(approval.decision).toEqual({ by: 'bob', reason: `quorum reached (${quorum} of ${quorum})` });
    expect(approval.decidedAt).toBe(T0.toISOString());
    // What follows the decision ran once: one execution job, the timers cancelled once, one decision in the trail.
    expect(core.execution.calls).toEqual([id]);
    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: approval.rule.tiers.length }]);
    expect(core.timers.pending(id)).toEqual([]);
    const events = await core.events(id);
    expect(events.filter((e) => e === 'vote.approve')).toHaveLength(2);
    expect(events.filter((e) => e === 'decision.approved')).toHaveLength(1);
    expect(events.filter((e) => e === 'execution.enqueued')).toHaveLength(1);
  });

  it('counts only approve votes of the current approvers: a stranger is refused and changes nothing', async () => {
    const { core, id } = await proposed();
    const before = await core.get(id);
    expect(refusal(await core.vote(id, slackUser('erin')))).toBe('NOT_APPROVER');
    expect(refusal(await core.vote(id, { platform: 'slack', id: 'U0NOBODY' }))).toBe('NOT_APPROVER');
    expect(refusal(await core.vote('apr_000000000000', slackUser('alice')))).toBe('NOT_FOUND');
    expect(await core.get(id)).toEqual(before);
  });

  it('refuses a vote once the approval has expired by the clock, even before the expiry timer fires', async () => {
    const clock = testClock(T0);
    const { core, id } = await proposed({ clock });
    const { expiresAt } = await core.get(id);
    clock.set(new Date(expiresAt));
    expect(refusal(await core.vote(id, slackUser('alice')))).toBe('EXPIRED');
    expect((await core.get(id)).votes).toEqual([]);
  });
});

describe('the requester', () => {
  const requesterAmongApprovers = rule({ tiers: [{ approvers: ['rita', 'alice', 'bob'], quorum: 2 }] });

  it('cannot approve their own request, from Slack or from Teams', async () => {
    const { core, id } = await proposed({ policy: policy(requesterAmongApprovers) });
    expect(refusal(await core.vote(id, slackUser('rita')))).toBe('REQUESTER');
    expect(refusal(await core.vote(id, teamsUser('rita')))).toBe('REQUESTER');
    expect((await core.get(id)).votes).toEqual([]);
    // Nobody else's vote is affected: two other approvers still decide it.
    await core.vote(id, slackUser('alice'));
    expect(await core.vote(id, slackUser('bob'))).toMatchObject({ ok: true, decided: true });
  });

  it('may vote when the policy allows it', async () => {
    const { core, id } = await proposed({ policy: policy({ ...requesterAmongApprovers, requesterMayVote: true }) });
    expect(await core.vote(id, slackUser('rita'))).toMatchObject({ ok: true, decided: false });
    expect((await core.get(id)).votes.map((v) => v.voter.person)).toEqual(['rita']);
  });
});

describe('one person, two platforms', () => {
  it('counts a Slack vote and a Teams vote of the same person once', async () => {
    const { core, id } = await proposed();
    expect(await core.vote(id, slackUser('alice'))).toMatchObject({ ok: true, decided: false });
    expect(refusal(await core.vote(id, teamsUser('alice')))).toBe('ALREADY_VOTED');
    // Teams object ids are GUIDs: another spelling of the same id is the same person.
    const shouting = { platform: 'teams' as const, id: PEOPLE.alice.teams.toUpperCase() };
    expect(refusal(await core.vote(id, shouting))).toBe('ALREADY_VOTED');
    const approval = await core.get(id);
    expect(approval.state).toBe('PENDING');
    expect(approval.votes.map((v) => [v.voter.person, v.voter.via.platform])).toEqual([['alice', 'slack']]);
    expect(core.execution.calls).toEqual([]);
  });

  it('counts once when both arrive at the same moment', async () => {
    const { core, id } = await proposed();
    const outcomes = await Promise.all([core.vote(id, slackUser('alice')), core.vote(id, teamsUser('alice'))]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.map(refusal).filter(Boolean)).toEqual(['ALREADY_VOTED']);
    expect((await core.get(id)).votes.map((v) => v.voter.person)).toEqual(['alice']);
  });
});

describe('a reject', () => {
  it('ends the approval with its reason, whatever approvals came before, and nothing runs', async () => {
    const { core, id } = await proposed();
    await core.vote(id, slackUser('alice'));
    const rejected = await core.vote(id, slackUser('bob'), 'reject', 'release freeze this week');
    expect(rejected).toMatchObject({ ok: true, decided: true, approval: { state: 'REJECTED' } });
    expect(refusal(await core.vote(id, slackUser('carol')))).toBe('NOT_PENDING');

    const approval = await core.get(id);
    expect(approval.state).toBe('REJECTED');
    expect(approval.decision).toEqual({ by: 'bob', reason: 'release freeze this week' });
    expect(approval.votes.map((v) => [v.voter.person, v.decision])).toEqual([
      ['alice', 'approve'],
      ['bob', 'reject'],
    ]);
    expect(core.execution.calls).toEqual([]);
    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: 1 }]);
    expect(core.timers.pending(id)).toEqual([]);
    // The requester is told the outcome.
    expect(core.dmsTo('rita').map((m) => m.reply.data?.state)).toEqual(['REJECTED']);
  });

  it('needs a reason; without one nothing changes', async () => {
    const { core, id } = await proposed();
    expect(refusal(await core.vote(id, slackUser('bob'), 'reject'))).toBe('REASON_REQUIRED');
    expect(refusal(await core.vote(id, slackUser('bob'), 'reject', '   '))).toBe('REASON_REQUIRED');
    const approval = await core.get(id);
    expect(approval.state).toBe('PENDING');
    expect(approval.votes).toEqual([]);
  });
});
