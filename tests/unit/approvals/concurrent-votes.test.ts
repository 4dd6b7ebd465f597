// Concurrent last votes (docs/architecture.md#votes-and-compare-and-set): 20 approvers click at once when one approval
// is missing. The compare-and-set of the approval store lets exactly one write move it to APPROVED, and only that
// caller runs what follows (one execution job, timers cancelled once).
import { describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import type { Person } from '../../../src/approvals/approval-policy.types.js';
import { createApprovalCore, policy, resources, rule } from '../../support/approval-core.js';
import { RaceCountingRepository } from '../../support/approval-fakes.js';

const CLICKERS = 20;
const QUORUM = 5;
/** Enough on-call approvers for the votes before the race and the 20 who race. */
const ONCALL: Person[] = Array.from({ length: QUORUM - 1 + CLICKERS }, (_, i) => ({
  key: `oncall${String(i + 1).padStart(2, '0')}`,
  slack: `U0ONCALL${String(i + 1).padStart(2, '0')}`,
}));
const slackOf = (p: Person) => ({ platform: 'slack' as const, id: p.slack! });

describe('20 concurrent last votes', () => {
  it('make exactly one APPROVED transition and enqueue exactly one execution', async () => {
    const store = new RaceCountingRepository(new MemoryApprovalRepository());
    const core = createApprovalCore({
      approvals: store,
      policy: policy(rule({ tiers: [{ approvers: ONCALL.map((p) => p.key), quorum: QUORUM }] }), { people: ONCALL }),
    });
    const id = await core.propose('stop_instance', resources.instance('i-0aaaaaaaaaaaaaa20'));
    const early = ONCALL.slice(0, QUORUM - 1);
    const racers = ONCALL.slice(QUORUM - 1);
    for (const p of early) expect(await core.vote(id, slackOf(p))).toMatchObject({ ok: true, decided: false });
    expect(racers).toHaveLength(CLICKERS);
    const lostBefore = store.lostWrites;

    const outcomes = await Promise.all(racers.map((p) => core.vote(id, slackOf(p))));

    // They really raced: every voter but the winner lost a compare-and-set and decided again on the fresh copy.
    expect(store.lostWrites - lostBefore).toBeGreaterThanOrEqual(CLICKERS - 1);
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ ok: true, decided: true, approval: { state: 'APPROVED' } });
    expect(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? null : o.reason))).toEqual(
      Array(CLICKERS - 1).fill('NOT_PENDING'),
    );

    const approval = await core.get(id);
    expect(approval.state).toBe('APPROVED');
    const winner = racers[outcomes.findIndex((o) => o.ok)]!;
    expect(approval.votes.map((v) => v.voter.person)).toEqual([...early, winner].map((p) => p.key));
    expect(approval.decision?.by).toBe(winner.key);
    expect(core.execution.calls).toEqual([id]);
    expect(core.timers.cancelCalls).toEqual([{ approvalId: id, tiers: 1 }]);
    const events = await core.events(id);
    expect(events.filter((e) => e === 'decision.approved')).toHaveLength(1);
    expect(events.filter((e) => e === 'vote.approve')).toHaveLength(QUORUM);
    // The approval message ends showing the decision.
    const message = core.approvalMessage();
    expect(core.messenger.latest(message.messageId)?.data).toMatchObject({ state: 'APPROVED', approvals: QUORUM });
  });
});
