import { describe, expect, it } from 'vitest';
import { recommendationsReply } from '../../../src/conversation/replies/recommendations.reply.js';
import { recommendRegion } from '../../../src/recommendations/recommendation.rules.js';
import type { Recommendation, RecommendationList } from '../../../src/recommendations/recommendation.types.js';
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
