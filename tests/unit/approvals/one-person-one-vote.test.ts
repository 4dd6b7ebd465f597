// One person, one vote (docs/architecture.md#votes-and-compare-and-set), in process on the memory stores: a raw
// approver id counts on one platform, a person's identities are one voter, a requester the policy does not name
// costs one approval more, escalation keeps the first tier's quorum, and a resource has one pending proposal of an
// action. Each quorum case ends without execution.
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../src/approvals/approval.types.js';
import type { ApprovalPolicy } from '../../../src/approvals/approval-policy.types.js';
import type { VoteOutcome } from '../../../src/approvals/approval-votes.service.js';
import {
  type ApprovalCore,
  createApprovalCore,
  OPS_CHANNEL,
  policy,
  REGION,
  resources,
  rule,
  slackUser,
  T0,
  teamsUser,
} from '../../support/approval-core.js';
import { testClock } from '../../support/approval-fakes.js';

const INSTANCE = 'i-0aaaaaaaaaaaaaa77';
const refusal = (outcome: VoteOutcome) => (outcome.ok ? null : outcome.reason);

/** Proposes a stop of INSTANCE as `requester`, from where that identity lives; returns the reply. */
async function proposeAs(core: ApprovalCore, requester: Identity, resourceId = INSTANCE) {
  core.cloud.put(resources.instance(resourceId));
  const origin =
    requester.platform === 'slack' || requester.platform === 'teams'
      ? { platform: requester.platform, channel: OPS_CHANNEL }
      : { platform: requester.platform };
  return core.service.propose({
    requester,
    origin,
    kind: 'stop_instance',
    resourceId,
    region: REGION,
    reason: 'idle for two weeks',
  });
}

async function proposedBy(core: ApprovalCore, requester: Identity): Promise<string> {
  const reply = await proposeAs(core, requester);
  const id = (reply.data as { id?: string } | undefined)?.id;
  if (!id) throw new Error(`no approval was created: ${reply.title}: ${reply.text}`);
  return id;
}

/** The approval ends up not executed: still PENDING, no execution job. */
async function expectNotExecuted(core: ApprovalCore, id: string) {
  expect((await core.get(id)).state).toBe('PENDING');
  expect(core.execution.calls).toEqual([]);
}

describe('an approver the policy lists by raw id', () => {
  // U0ZED is nobody of the policy's people: a Slack user id, so a Slack person and nothing else.
  const riskRule = rule({ tiers: [{ approvers: ['U0ZED', 'alice', 'bob'], quorum: 2 }] });

  it('is one voter on the platform its id belongs to: the same id from Teams is not an approver', async () => {
    const core = createApprovalCore({ policy: policy(riskRule) });
    const id = await proposedBy(core, slackUser('rita'));
    expect(await core.vote(id, { platform: 'slack', id: 'U0ZED' })).toMatchObject({ ok: true, decided: false });
    expect(refusal(await core.vote(id, { platform: 'teams', id: 'U0ZED' }))).toBe('NOT_APPROVER');
    const approval = await core.get(id);
    expect(approval.votes.map((v) => v.voter.person)).toEqual(['slack:U0ZED']);
    await expectNotExecuted(core, id);
    // A second real approver completes it.
    expect(await core.vote(id, slackUser('alice'))).toMatchObject({ ok: true, decided: true });
    expect(core.execution.calls).toEqual([id]);
  });
});

describe('a person of the policy', () => {
  it('is one voter from Slack, Teams and the shell', async () => {
    const core = createApprovalCore();
    const id = await proposedBy(core, slackUser('rita'));
    expect(await core.vote(id, { platform: 'shell', id: 'alice' })).toMatchObject({ ok: true, decided: false });
    expect(refusal(await core.vote(id, slackUser('alice')))).toBe('ALREADY_VOTED');
    expect(refusal(await core.vote(id, teamsUser('alice')))).toBe('ALREADY_VOTED');
    expect(refusal(await core.vote(id, { platform: 'cli', id: 'alice' }))).toBe('ALREADY_VOTED');
    expect((await core.get(id)).votes.map((v) => v.voter.person)).toEqual(['alice']);
    await expectNotExecuted(core, id);
  });

  it('who requested from one platform may not vote from any of their identities', async () => {
    const core = createApprovalCore({
      policy: policy(rule({ tiers: [{ approvers: ['rita', 'alice', 'bob'], quorum: 1 }] })),
    });
    const id = await proposedBy(core, teamsUser('rita'));
    expect((await core.get(id)).requester.person).toBe('rita');
    for (const voter of [slackUser('rita'), teamsUser('rita'), { platform: 'shell' as const, id: 'rita' }])
      expect(refusal(await core.vote(id, voter))).toBe('REQUESTER');
    await expectNotExecuted(core, id);
    // Their quorum of one is someone else's vote.
    expect((await core.get(id)).rule.tiers[0]?.quorum).toBe(1);
  });
});

describe('a requester the policy does not name', () => {
  // Carol is an approver known by her Slack id only; she asks from an identity the policy does not know.
  const riskRule = rule({ tiers: [{ approvers: ['alice', 'bob', 'carol'], quorum: 2 }] });
  const unknownIdentities: [string, Identity][] = [
    ['a Teams 29: id', { platform: 'teams', id: '29:1carol-bot-framework-id' }],
    ['a second Slack account', { platform: 'slack', id: 'U0CAROL2' }],
    ['the shell without --as', { platform: 'shell', id: 'local' }],
  ];

  for (const [what, identity] of unknownIdentities) {
    it(`cannot approve their own request from ${what} with their known account`, async () => {
      const core = createApprovalCore({ policy: policy(riskRule) });
      const reply = await proposeAs(core, identity);
      const id = (reply.data as { id: string }).id;
      const approval = await core.get(id);
      expect(approval.requester.person).toBe(`${identity.platform}:${identity.id}`);
      // The quorum of the policy, plus one: the requester may be any one of the approvers.
      const quorum = riskRule.tiers[0]!.quorum + 1;
      expect(approval.rule.tiers.map((t) => t.quorum)).toEqual([quorum]);
      expect(`${reply.text} ${(reply.context ?? []).join(' ')}`).toContain(`needs ${quorum} approvals`);

      // The identity that asked is refused outright; Carol's own account counts, but with one accomplice it is
      // not enough.
      expect(refusal(await core.vote(id, identity))).toBe('REQUESTER');
      expect(await core.vote(id, slackUser('carol'))).toMatchObject({ ok: true, decided: false });
      expect(await core.vote(id, slackUser('alice'))).toMatchObject({ ok: true, decided: false });
      await expectNotExecuted(core, id);
      expect(core.messages.render(await core.get(id)).fields?.find((f) => f.label === 'Approvals')?.value).toBe(
        `2 of ${quorum}`,
      );

      // Two people besides whoever asked: it executes.
      expect(await core.vote(id, slackUser('bob'))).toMatchObject({ ok: true, decided: true });
      expect(core.execution.calls).toEqual([id]);
    });
  }

  it('is refused as requester when their identity is an approver and votes', async () => {
    const core = createApprovalCore({
      policy: policy(rule({ tiers: [{ approvers: ['U0ZED', 'alice', 'bob'], quorum: 1 }] })),
    });
    const id = await proposedBy(core, { platform: 'slack', id: 'U0ZED' });
    expect(refusal(await core.vote(id, { platform: 'slack', id: 'U0ZED' }))).toBe('REQUESTER');
    await expectNotExecuted(core, id);
  });

  it('costs nothing more when the policy lets requesters vote', async () => {
    const core = createApprovalCore({ policy: policy({ ...riskRule, requesterMayVote: true }) });
    const id = await proposedBy(core, { platform: 'teams', id: '29:1somebody' });
    expect((await core.get(id)).rule.tiers[0]?.quorum).toBe(riskRule.tiers[0]!.quorum);
  });
});

describe('escalation', () => {
  /** Finops (Alice and Bob, 2 of them) first; after 4 h Dave joins with a quorum of 1 of his own. */
  const laddered = rule({
    tiers: [
      { approvers: ['alice', 'bob'], quorum: 2 },
      { approvers: ['dave'], quorum: 1 },
    ],
  });

  async function escalated(thePolicy: ApprovalPolicy) {
    const clock = testClock(T0);
    const core = createApprovalCore({ clock, policy: thePolicy });
    const id = await proposedBy(core, slackUser('rita'));
    const timer = core.timers.take(id, 'escalate', 0);
    clock.set(new Date(timer.armedAt + timer.delayMs));
    expect(await core.timerService.fire(id, 'escalate', 0)).toBe('escalated');
    expect((await core.get(id)).tier).toBe(1);
    return { core, id };
  }

  it("adds approvers but keeps the first tier's quorum: one finops member alone does not approve", async () => {
    const { core, id } = await escalated(policy(laddered));
    expect(await core.vote(id, slackUser('alice'))).toMatchObject({ ok: true, decided: false });
    await expectNotExecuted(core, id);
    // Dave, added by the escalation, is the second approver it needs.
    expect(await core.vote(id, slackUser('dave'))).toMatchObject({ ok: true, decided: true });
    expect((await core.get(id)).decision?.reason).toBe('quorum reached (2 of 2)');
  });

  it('lowers the quorum only when the policy says so with quorumAfterEscalation: true', async () => {
    const { core, id } = await escalated({ ...policy(laddered), quorumAfterEscalation: true });
    expect(await core.vote(id, slackUser('alice'))).toMatchObject({ ok: true, decided: true });
    expect(core.execution.calls).toEqual([id]);
  });
});

describe('an escalation that lowers the quorum (quorumAfterEscalation: true)', () => {
  it('decides the approval when the votes so far already meet the new quorum, and it runs once', async () => {
    const clock = testClock(T0);
    const riskRule = rule({
      tiers: [
        { approvers: ['alice', 'bob', 'carol'], quorum: 3 },
        { approvers: ['dave'], quorum: 1 },
      ],
    });
    const core = createApprovalCore({ clock, policy: { ...policy(riskRule), quorumAfterEscalation: true } });
    const id = await proposedBy(core, slackUser('rita'));
    await core.vote(id, slackUser('alice'));
    expect(core.execution.calls).toEqual([]);

    const timer = core.timers.take(id, 'escalate', 0);
    clock.set(new Date(timer.armedAt + timer.delayMs));
    expect(await core.timerService.fire(id, 'escalate', 0)).toBe('escalated');
    const approval = await core.get(id);
    expect(approval.state).toBe('APPROVED');
    expect(approval.decision).toEqual({ by: 'tally', reason: 'quorum reached after escalation (1 of 1)' });
    expect(core.execution.calls).toEqual([id]);
    const events = await core.events(id);
    expect(events.filter((e) => e === 'decision.approved')).toHaveLength(1);
    // A late vote changes nothing.
    expect(refusal(await core.vote(id, slackUser('dave')))).toBe('NOT_PENDING');
  });
});

describe('proposals', () => {
  it('never duplicate a pending one for the same resource and action: the duplicate answers with its id', async () => {
    const core = createApprovalCore();
    const first = await proposedBy(core, slackUser('rita'));
    const again = await proposeAs(core, slackUser('alice'));
    expect(again.data).toMatchObject({ id: first, state: 'PENDING', duplicate: true });
    expect(again.title).toContain(first);
    const pending = await core.approvals.list({ states: ['PENDING'] });
    expect(pending.map((a) => a.id)).toEqual([first]);
    // Only the first was announced.
    expect((await core.events(first)).filter((e) => e === 'proposal.created')).toHaveLength(1);

    // Another action on the same resource, or the same action elsewhere, is a proposal of its own.
    core.cloud.put(resources.instance(INSTANCE));
    const resize = await core.service.propose({
      requester: slackUser('rita'),
      origin: { platform: 'slack', channel: OPS_CHANNEL },
      kind: 'resize_instance',
      resourceId: INSTANCE,
      region: REGION,
      instanceType: 't3.small',
      reason: 'oversized',
    });
    const other = await proposeAs(core, slackUser('rita'), 'i-0bbbbbbbbbbbbbb77');
    const duplicates = [resize, other].map((r) => (r.data as { duplicate?: boolean }).duplicate ?? false);
    expect(duplicates).toEqual([false, false]);
    expect(await core.approvals.list({ states: ['PENDING'] })).toHaveLength(3);
  });

  it('at the same moment create one approval, and the others answer with its id', async () => {
    const core = createApprovalCore();
    const replies = await Promise.all(
      (['rita', 'alice', 'bob', 'carol', 'dave'] as const).map((who) => proposeAs(core, slackUser(who))),
    );
    const pending = await core.approvals.list({ states: ['PENDING'] });
    expect(pending).toHaveLength(1);
    const ids = new Set(replies.map((r) => (r.data as { id: string }).id));
    expect([...ids]).toEqual([pending[0]!.id]);
    expect(replies.filter((r) => (r.data as { duplicate?: boolean }).duplicate)).toHaveLength(replies.length - 1);
  });

  it('may be made again once the pending one is decided', async () => {
    const core = createApprovalCore();
    const first = await proposedBy(core, slackUser('rita'));
    await core.vote(first, slackUser('bob'), 'reject', 'not this week');
    const second = await proposedBy(core, slackUser('rita'));
    expect(second).not.toBe(first);
    expect((await core.get(second)).state).toBe('PENDING');
  });
});
