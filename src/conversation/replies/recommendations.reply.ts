import type { Recommendation, RecommendationList } from '../../recommendations/recommendation.types.js';
import { ACTIONS } from '../../shared/action-ids.js';
import { formatMoney, roundCents, sumAmounts } from '../../shared/money.js';
import type { Reply, ReplyItem } from '../../shared/reply.types.js';

/**
 * At most this many recommendations are listed as items: each becomes a few Slack blocks, and a message holds 50.
 * The rest are counted in the context and all of them are in `data`.
 */
const MAX_RECOMMENDATION_ITEMS = 15;

export interface RecommendationsReplyOptions {
  /**
   * How many recommendations to list as items, at most {@link MAX_RECOMMENDATION_ITEMS}.
   * @defaultValue 15
   */
  limit?: number;
}

const total = (recs: Recommendation[]) => roundCents(sumAmounts(recs.map((r) => r.action.monthlySavings)));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The answer to `recommendations`: the total monthly savings, then one item per recommendation (highest savings
 * first) with its savings, confidence, risk, evidence and a "Request approval" button whose value is the
 * recommendation's `propose …` command. The context names the accounts scanned and each account that could not be
 * scanned, with why. `data` holds every recommendation for `tally ask --json`.
 */
export function recommendationsReply(result: RecommendationList, options: RecommendationsReplyOptions = {}): Reply {
  const recs = result.recommendations;
  const limit = Math.max(0, Math.min(options.limit ?? MAX_RECOMMENDATION_ITEMS, MAX_RECOMMENDATION_ITEMS));
  const shown = recs.slice(0, limit);
  const hidden = recs.slice(limit);
  const where = result.regions.join(', ');
  const context = [
    `${result.accountIds.length === 1 ? 'Account' : 'Accounts'}: ${result.accountIds.join(', ')}`,
    `Regions: ${where}`,
    `Scanned: ${result.generatedAt.slice(0, 16).replace('T', ' ')} UTC`,
    'Prices: on-demand us-east-1 list prices, see docs',
  ];
  for (const f of result.failures) context.push(`Account ${f.accountId} not scanned: ${f.message}`);
  if (hidden.length) {
    context.push(`…and ${hidden.length} more, worth ${formatMoney(total(hidden), 'USD')} per month`);
  }
  return {
    kind: 'answer',
    title: 'Savings recommendations',
    text: recs.length
      ? `${plural(recs.length, 'recommendation')} could save ${formatMoney(total(recs), 'USD')} per month.`
      : `No recommendations: nothing idle, oversized or unattached in ${where}.`,
    ...(shown.length ? { items: shown.map(itemOf) } : {}),
    context,
    data: {
      accountIds: result.accountIds,
      failures: result.failures,
      regions: result.regions,
      generatedAt: result.generatedAt,
      totalMonthlySavings: total(recs),
      recommendations: recs.map((r) => ({
        id: r.id,
        rule: r.rule,
        kind: r.action.kind,
        accountId: r.action.target.accountId,
        resourceId: r.action.target.resourceId,
        region: r.action.target.region,
        monthlySavings: r.action.monthlySavings,
        confidence: r.confidence,
        risk: r.action.risk,
        evidence: r.evidence,
        proposeCommand: r.proposeCommand,
      })),
    },
    visibility: 'channel',
  };
}

function itemOf(r: Recommendation): ReplyItem {
  return {
    title: r.action.summary,
    fields: [
      { label: 'Savings/month', value: formatMoney(r.action.monthlySavings, r.action.currency) },
      { label: 'Confidence', value: r.confidence },
      { label: 'Risk', value: r.action.risk },
      { label: 'Evidence', value: r.evidence },
    ],
    button: { actionId: ACTIONS.REQUEST_APPROVAL, label: 'Request approval', value: r.proposeCommand },
  };
}
