import { describe, expect, it } from 'vitest';
import {
  type RecommendationsReview,
  recommendationsReply,
} from '../../../src/conversation/replies/recommendations.reply.js';
import { recommendRegion } from '../../../src/recommendations/recommendation.rules.js';
import type { Recommendation, RecommendationList } from '../../../src/recommendations/recommendation.types.js';
import type { ReviewedRecommendation } from '../../../src/recommendations/recommendation-review.js';
import { ACTIONS } from '../../../src/shared/action-ids.js';
import { testAddress, testCpu, testInstance } from '../../support/memory-inventory.js';

const NOW = new Date('2026-06-15T12:00:00Z');

function listOf(recommendations: Recommendation[]): RecommendationList {
  return {
    accountIds: ['123456789012'],
    failures: [],
    regions: ['us-east-1', 'eu-west-1'],
    generatedAt: NOW.toISOString(),
    recommendations,
  };
}

function recs(instances = [testInstance('i-0abc', 't3.large', { name: 'web-1' })], addressCount = 1) {
  const addresses = Array.from({ length: addressCount }, (_, n) => testAddress(`eipalloc-${n}`, `54.1.2.${n}`));
  const cpu = new Map([['i-0abc', testCpu(1.2, 3.4, 14)]]);
  return recommendRegion(
    { accountId: '123456789012', region: 'us-east-1', instances, volumes: [], addresses, cpu },
    NOW,
  );
}

describe('recommendationsReply', () => {
  it('states the total and lists each recommendation with a Request approval button', () => {
    const list = listOf(recs());
    const reply = recommendationsReply(list);
    expect(reply.kind).toBe('answer');
    expect(reply.title).toBe('Savings recommendations');
    // t3.large stopped for a month, plus one Elastic IP: 60.74 + 3.65.
    expect(reply.text).toContain('64.39 USD');
    expect(reply.items).toEqual([
      {
        title: 'Stop i-0abc (t3.large, web-1) in us-east-1, account 123456789012',
        fields: [
          { label: 'Savings/month', value: '60.74 USD' },
          { label: 'Confidence', value: 'high' },
          { label: 'Risk', value: 'medium' },
          { label: 'Evidence', value: 'CPU averaged 1.2% (peak 3.4%) over 14 days' },
        ],
        button: {
          actionId: ACTIONS.REQUEST_APPROVAL,
          label: 'Request approval',
          value: list.recommendations[0]!.proposeCommand,
        },
      },
      expect.objectContaining({ title: 'Release 54.1.2.0 (eipalloc-0) in us-east-1, account 123456789012' }),
    ]);
    expect(reply.items![0]!.button!.value).toMatch(/^propose stop i-0abc in us-east-1 account 123456789012 because /);
    expect(reply.visibility).toBe('channel');
  });

  it('names the account, the regions and the price source', () => {
    const context = recommendationsReply(listOf(recs())).context ?? [];
    expect(context).toEqual(
      expect.arrayContaining([
        expect.stringContaining('123456789012'),
        expect.stringContaining('us-east-1, eu-west-1'),
        'Prices: on-demand us-east-1 list prices, see docs',
      ]),
    );
  });

  it('names each account scanned and each that could not be, with why', () => {
    const failure = { accountId: '333333333333', message: 'Cannot assume arn:aws:iam::333333333333:role/Tally' };
    const list = { ...listOf(recs()), accountIds: ['123456789012', '333333333333'], failures: [failure] };
    const context = recommendationsReply(list).context ?? [];
    expect(context).toEqual(
      expect.arrayContaining([
        'Accounts: 123456789012, 333333333333',
        `Account 333333333333 not scanned: ${failure.message}`,
      ]),
    );
  });

  it('gives every recommendation to tally ask --json', () => {
    const list = listOf(recs());
    const data = recommendationsReply(list).data!;
    expect(data).toMatchObject({ accountIds: ['123456789012'], failures: [], regions: ['us-east-1', 'eu-west-1'] });
    expect(data.totalMonthlySavings).toBeCloseTo(60.74 + 3.65, 10);
    expect(data.recommendations).toEqual([
      {
        id: list.recommendations[0]!.id,
        rule: 'idle-instance',
        kind: 'stop_instance',
        accountId: '123456789012',
        resourceId: 'i-0abc',
        region: 'us-east-1',
        monthlySavings: 60.74,
        confidence: 'high',
        risk: 'medium',
        evidence: 'CPU averaged 1.2% (peak 3.4%) over 14 days',
        proposeCommand: list.recommendations[0]!.proposeCommand,
      },
      expect.objectContaining({ rule: 'unassociated-address', kind: 'release_address', resourceId: 'eipalloc-0' }),
    ]);
  });

  it('answers kindly when there is nothing to recommend', () => {
    const reply = recommendationsReply(listOf([]));
    expect(reply.kind).toBe('answer');
    expect(reply.text).toBe('No recommendations: nothing idle, oversized or unattached in us-east-1, eu-west-1.');
    expect(reply.items).toBeUndefined();
    expect(reply.data).toMatchObject({ totalMonthlySavings: 0, recommendations: [] });
  });

  it('lists at most 15 items and counts the rest', () => {
    const list = listOf(recs([], 20));
    const reply = recommendationsReply(list);
    expect(reply.items).toHaveLength(15);
    expect(reply.context?.some((line) => line.includes('and 5 more'))).toBe(true);
    expect((reply.data!.recommendations as unknown[]).length).toBe(20);
    expect(reply.text).toContain(`${(20 * 3.65).toFixed(2)} USD`);
  });

  it('honours a smaller limit but never exceeds 15', () => {
    const list = listOf(recs([], 20));
    expect(recommendationsReply(list, { limit: 3 }).items).toHaveLength(3);
    expect(recommendationsReply(list, { limit: 3 }).context?.some((l) => l.includes('and 17 more'))).toBe(true);
    expect(recommendationsReply(list, { limit: 40 }).items).toHaveLength(15);
  });

  it('does not mention more when everything is listed', () => {
    const reply = recommendationsReply(listOf(recs()));
    expect(reply.context?.some((line) => line.includes('more'))).toBe(false);
  });
});

describe('recommendationsReply with a review', () => {
  const list = () => listOf(recs());
  const [idle, address] = recs();
  const later = new Date(NOW.getTime() + 4 * 60_000);
  const review = (
    listed: ReviewedRecommendation[],
    over: Partial<RecommendationsReview> = {},
  ): RecommendationsReview => ({
    listed,
    hidden: { protected: 0, protectedTags: [], dismissed: 0 },
    all: false,
    now: later,
    ...over,
  });

  it('gives an approvable one Request approval, Dismiss and Snooze 30 days', () => {
    const item = recommendationsReply(list(), { review: review([{ recommendation: idle! }]) }).items![0]!;
    expect(item.button).toEqual({
      actionId: ACTIONS.REQUEST_APPROVAL,
      label: 'Request approval',
      value: idle!.proposeCommand,
    });
    expect(item.buttons).toEqual([
      {
        actionId: ACTIONS.RECOMMENDATION_DISMISS,
        label: 'Dismiss',
        value: `dismiss ${idle!.id} because dismissed with the Dismiss button`,
      },
      { actionId: ACTIONS.RECOMMENDATION_SNOOZE, label: 'Snooze 30 days', value: `snooze ${idle!.id} 30d` },
    ]);
  });

  it('says why one cannot be approved, without the Request button, and leaves it out of the total', () => {
    const refusal = {
      kind: 'protected' as const,
      tag: 'tally:protected',
      text: 'carries the protected tag tally:protected',
    };
    const reply = recommendationsReply(list(), {
      review: review([{ recommendation: idle!, refusal }, { recommendation: address! }], { all: true }),
    });
    const item = reply.items![0]!;
    expect(item.fields).toContainEqual({
      label: 'Cannot be approved',
      value: 'carries the protected tag tally:protected',
    });
    expect(item.button).toBeUndefined();
    expect(reply.text).toBe(
      '1 recommendation could save 3.65 USD per month. 1 more cannot be requested now (see each).',
    );
    expect(reply.data).toMatchObject({ totalMonthlySavings: 3.65 });
    expect((reply.data!.recommendations as { approvable: boolean }[]).map((r) => r.approvable)).toEqual([false, true]);
  });

  it('shows an action under way with a button to its approval instead of Request approval', () => {
    const activity = { approvalId: 'apr_1a2b3c', text: 'pending approval apr_1a2b3c, requested by Rita just now' };
    const item = recommendationsReply(list(), { review: review([{ recommendation: idle!, activity }]) }).items![0]!;
    expect(item.fields).toContainEqual({ label: 'Action', value: activity.text });
    expect(item.button).toEqual({
      actionId: ACTIONS.RUN_COMMAND,
      label: 'Show apr_1a2b3c',
      value: 'approval apr_1a2b3c',
    });
  });

  it('marks a dismissed one in `recommendations all` with Undismiss for what was dismissed', () => {
    const dismissal = {
      conversation: 'slack:C0OPS',
      target: 'i-0abc',
      kind: 'snoozed' as const,
      by: 'alice',
      at: NOW.toISOString(),
      until: '2026-07-15T12:00:00.000Z',
    };
    const item = recommendationsReply(list(), { review: review([{ recommendation: idle!, dismissal }], { all: true }) })
      .items![0]!;
    expect(item.fields).toContainEqual({ label: 'Snoozed', value: 'by alice until 2026-07-15' });
    expect(item.button).toBeUndefined();
    expect(item.buttons).toEqual([{ actionId: ACTIONS.RUN_COMMAND, label: 'Undismiss', value: 'undismiss i-0abc' }]);
  });

  it("names the scan's age, the change windows and what was left out", () => {
    const context =
      recommendationsReply(list(), {
        review: review([{ recommendation: idle! }], {
          hidden: { protected: 2, protectedTags: ['tally:protected', 'env=prod'], dismissed: 3 },
          changeWindows: 'Mon–Fri 08:00–18:00 Europe/Berlin',
        }),
      }).context ?? [];
    expect(context).toEqual(
      expect.arrayContaining([
        'Scanned: 2026-06-15 12:00 UTC (4 minutes ago; `recommendations refresh` scans again)',
        'Change windows: Mon–Fri 08:00–18:00 Europe/Berlin; an approval outside them runs when the next one opens',
        '2 hidden: protected (tally:protected, env=prod); Tally never touches them (show with `recommendations all`)',
        '3 dismissed or snoozed (show with `recommendations all`)',
      ]),
    );
  });
});
