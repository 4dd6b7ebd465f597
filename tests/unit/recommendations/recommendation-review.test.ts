import { describe, expect, it } from 'vitest';
import type { Guardrails } from '../../../src/actions/guardrails.js';
import type { Approval } from '../../../src/approvals/approval.types.js';
import { recommendRegion } from '../../../src/recommendations/recommendation.rules.js';
import type { RecommendationDismissal } from '../../../src/recommendations/recommendation-dismissal.types.js';
import { ago, reviewRecommendations } from '../../../src/recommendations/recommendation-review.js';
import { testApproval } from '../../support/approvals.js';
import { testAddress, testCpu, testInstance } from '../../support/memory-inventory.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GUARDRAILS: Guardrails = {
  protectedTags: [{ key: 'tally:protected' }],
  changeWindows: [],
  dailyLimitPerAccount: 20,
};
const NAMES: Record<string, string> = { dave: 'Dave', alice: 'Alice', bob: 'Bob' };
const nameOf = (p: string) => NAMES[p] ?? p;

/** Idle t3.large instances (stop, medium risk) with the given tags, and one unassociated address (release, low). */
function recs() {
  const instances = [
    testInstance('i-0123456789abcdef0', 't3.large'),
    testInstance('i-0aaaaaaaaaaaaaaa1', 't3.large', { tags: [{ key: 'tally:protected', value: 'yes' }] }),
    testInstance('i-0bbbbbbbbbbbbbbb2', 't3.large', { tags: [{ key: 'Environment', value: 'Production' }] }),
  ];
  const cpu = new Map(instances.map((i) => [i.id, testCpu(1, 2, 14)]));
  const addresses = [testAddress('eipalloc-0ccccccccccccccc3', '54.1.2.3')];
  return recommendRegion(
    { accountId: '123456789012', region: 'us-east-1', instances, volumes: [], addresses, cpu },
    NOW,
  );
}

function review(over: { approvals?: Approval[]; dismissals?: RecommendationDismissal[]; approvers?: string[] } = {}) {
  const levels = new Set(over.approvers ?? ['low', 'medium']);
  return reviewRecommendations(recs(), {
    guardrails: GUARDRAILS,
    hasApprovers: (risk) => levels.has(risk),
    approvals: over.approvals ?? [],
    dismissals: over.dismissals ?? [],
    nameOf,
    now: NOW,
  });
}

const byResource = (reviewed: ReturnType<typeof review>, id: string) =>
  reviewed.find((r) => r.recommendation.action.target.resourceId === id)!;

describe('reviewRecommendations: the refusals of a proposal', () => {
  it('marks a protected resource with the policy rule it matches, whatever its risk has', () => {
    const r = byResource(review(), 'i-0aaaaaaaaaaaaaaa1');
    expect(r.refusal).toEqual({
      kind: 'protected',
      tag: 'tally:protected',
      text: 'carries the protected tag tally:protected',
    });
  });

  it('marks a production resource whose raised risk has no approvers, and says the tag raised it', () => {
    const r = byResource(review(), 'i-0bbbbbbbbbbbbbbb2');
    expect(r.recommendation.action.risk).toBe('high');
    expect(r.refusal).toEqual({
      kind: 'no-approvers',
      text: 'no approvers for high-risk actions (tagged as production: one level higher); add them under approvals.risk.high in the policy file',
    });
    expect(byResource(review({ approvers: ['low', 'medium', 'high'] }), 'i-0bbbbbbbbbbbbbbb2').refusal).toBeUndefined();
  });

  it('marks an ordinary resource only when its own level has no approvers', () => {
    expect(byResource(review(), 'i-0123456789abcdef0').refusal).toBeUndefined();
    expect(byResource(review({ approvers: ['medium'] }), 'eipalloc-0ccccccccccccccc3').refusal?.text).toBe(
      'no approvers for low-risk actions; add them under approvals.risk.low in the policy file',
    );
  });
});

describe('reviewRecommendations: actions on the same resource', () => {
  const onPlain = (over: Partial<Approval>) =>
    testApproval({ createdAt: new Date(NOW.getTime() - 3 * HOUR).toISOString(), ...over });

  it('names a pending approval with its requester and age', () => {
    const pending = onPlain({ id: 'apr_pending' });
    expect(byResource(review({ approvals: [pending] }), 'i-0123456789abcdef0').activity).toEqual({
      approvalId: 'apr_pending',
      text: 'pending approval apr_pending, requested by Dave 3 hours ago',
    });
  });

  it('names an approval scheduled for a change window, and one being carried out', () => {
    const scheduled = onPlain({ id: 'apr_sched', state: 'APPROVED', scheduledFor: '2026-03-14T01:00:00.000Z' });
    expect(byResource(review({ approvals: [scheduled] }), 'i-0123456789abcdef0').activity?.text).toBe(
      'approved (apr_sched), runs at 2026-03-14 01:00 UTC',
    );
    const running = onPlain({ id: 'apr_run', state: 'EXECUTING' });
    expect(byResource(review({ approvals: [running] }), 'i-0123456789abcdef0').activity?.text).toBe(
      'being carried out (apr_run), requested by Dave 3 hours ago',
    );
  });

  it('names an action that succeeded within 7 days, with who approved it, and forgets an older one', () => {
    const vote = (person: string) => ({
      voter: { person, via: { platform: 'slack' as const, id: person } },
      decision: 'approve' as const,
      at: NOW.toISOString(),
    });
    const done = (daysAgo: number) =>
      onPlain({
        id: `apr_${daysAgo}d`,
        state: 'SUCCEEDED',
        votes: [vote('alice'), vote('bob')],
        execution: {
          startedAt: new Date(NOW.getTime() - daysAgo * DAY - 60_000).toISOString(),
          finishedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
          outcome: 'SUCCEEDED',
          steps: [],
          attempts: 1,
        },
      });
    expect(byResource(review({ approvals: [done(2)] }), 'i-0123456789abcdef0').activity?.text).toBe(
      'stopped 2 days ago (apr_2d), requested by Dave, approved by Alice and Bob',
    );
    expect(byResource(review({ approvals: [done(7)] }), 'i-0123456789abcdef0').activity?.approvalId).toBe('apr_7d');
    expect(byResource(review({ approvals: [done(7.01)] }), 'i-0123456789abcdef0').activity).toBeUndefined();
  });

  it('ignores approvals on another resource, region or account, and finished ones that did not succeed', () => {
    const elsewhere = (target: Partial<Approval['action']['target']>) => {
      const a = onPlain({});
      return { ...a, action: { ...a.action, target: { ...a.action.target, ...target } } };
    };
    const approvals = [
      elsewhere({ resourceId: 'i-0fffffffffffffff9' }),
      elsewhere({ region: 'eu-west-1' }),
      elsewhere({ accountId: '222222222222' }),
      onPlain({ state: 'REJECTED' }),
      onPlain({ state: 'FAILED' }),
    ];
    expect(review({ approvals }).map((r) => r.activity)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('reviewRecommendations: dismissals', () => {
  const dismissal = (target: string): RecommendationDismissal => ({
    conversation: 'slack:C0OPS',
    target,
    kind: 'dismissed',
    reason: 'kept on purpose',
    by: 'alice',
    at: NOW.toISOString(),
    until: new Date(NOW.getTime() + 30 * DAY).toISOString(),
  });

  it('covers a recommendation by its id, or every recommendation on a resource by the resource id', () => {
    const address = recs().find((r) => r.rule === 'unassociated-address')!;
    const reviewed = review({ dismissals: [dismissal(address.id), dismissal('i-0123456789abcdef0')] });
    const hidden = reviewed.filter((r) => r.dismissal).map((r) => r.recommendation.action.target.resourceId);
    expect(hidden.sort()).toEqual(['eipalloc-0ccccccccccccccc3', 'i-0123456789abcdef0']);
  });
});

describe('ago', () => {
  it('says minutes, hours up to two days, then days', () => {
    const t = NOW.getTime();
    expect(ago(t - 59_000, NOW)).toBe('just now');
    expect(ago(t - 60_000, NOW)).toBe('1 minute ago');
    expect(ago(t - 59 * 60_000, NOW)).toBe('59 minutes ago');
    expect(ago(t - 47 * HOUR, NOW)).toBe('47 hours ago');
    expect(ago(t - 2 * DAY, NOW)).toBe('2 days ago');
  });
});
