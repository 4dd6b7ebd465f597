import type { ActionKind } from '../../actions/action.types.js';
import { BATCH_PHRASES } from '../../actions/batch-phrases.js';
import type { Recommendation, RecommendationList } from '../../recommendations/recommendation.types.js';
import { ago, type ReviewedRecommendation } from '../../recommendations/recommendation-review.js';
import { ACTIONS } from '../../shared/action-ids.js';
import { formatMoney, roundCents, sumAmounts } from '../../shared/money.js';
import type { Reply, ReplyButton, ReplyField, ReplyItem } from '../../shared/reply.types.js';

/**
 * At most this many recommendations are listed as items: each becomes a few Slack blocks, and a message holds 50.
 * The rest are counted in the context and all of them are in `data`.
 */
const MAX_RECOMMENDATION_ITEMS = 15;

/** How long the Snooze button hides a recommendation. */
const SNOOZE_BUTTON_DAYS = 30;

/**
 * What the conversation should see of the recommendations (`recommendations`, `recommendations all`): each listed one
 * reviewed against the guardrails, the approvals and the conversation's dismissals, and how many were left out.
 */
export interface RecommendationsReview {
  /** The recommendations listed, in order (they replace the list's own). */
  listed: ReviewedRecommendation[];
  /** Left out: protected by a tag (with the tags), and dismissed or snoozed here. */
  hidden: { protected: number; protectedTags: string[]; dismissed: number };
  /** `recommendations all`: nothing is left out. */
  all: boolean;
  now: Date;
  /** The change windows as `describeWindows` says them; absent when actions may run any time. */
  changeWindows?: string;
}

export interface RecommendationsReplyOptions {
  /**
   * How many recommendations to list as items, at most {@link MAX_RECOMMENDATION_ITEMS}.
   * @defaultValue 15
   */
  limit?: number;
  /** Without it every recommendation is listed as approvable, with only its Request approval button. */
  review?: RecommendationsReview;
}

const total = (recs: Recommendation[]) => roundCents(sumAmounts(recs.map((r) => r.action.monthlySavings)));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** Approvable now: not refused by the guardrails, nothing under way or just done, not hidden here. */
const open = (r: ReviewedRecommendation) => !r.refusal && !r.activity && !r.dismissal;

/**
 * The answer to `recommendations`: the total monthly savings, then one item per recommendation (highest savings
 * first) with its savings, confidence, risk and evidence. An approvable one has a "Request approval" button whose
 * value is its `propose …` command, and Dismiss and Snooze 30 days; one that cannot be approved says why (a protected
 * tag, no approvers for its risk) and one with an action under way or done in the last days says which, without the
 * button. The context names the accounts scanned (and those that could not be, with why), the scan's age, the
 * change windows and what was left out. `data` holds every listed recommendation for `tally ask --json`.
 */
export function recommendationsReply(result: RecommendationList, options: RecommendationsReplyOptions = {}): Reply {
  const { review } = options;
  const reviewed: ReviewedRecommendation[] =
    review?.listed ?? result.recommendations.map((recommendation) => ({ recommendation }));
  const limit = Math.max(0, Math.min(options.limit ?? MAX_RECOMMENDATION_ITEMS, MAX_RECOMMENDATION_ITEMS));
  const shown = reviewed.slice(0, limit);
  const rest = reviewed.slice(limit);
  const approvable = reviewed.filter(open).map((r) => r.recommendation);
  const where = result.regions.join(', ');
  const scanned = `Scanned: ${result.generatedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const age = review ? ago(Date.parse(result.generatedAt), review.now) : null;
  const context = [
    `${result.accountIds.length === 1 ? 'Account' : 'Accounts'}: ${result.accountIds.join(', ')}`,
    `Regions: ${where}`,
    age && age !== 'just now' ? `${scanned} (${age}; \`recommendations refresh\` scans again)` : scanned,
    'Prices: on-demand us-east-1 list prices, see docs',
  ];
  for (const f of result.failures) context.push(`Account ${f.accountId} not scanned: ${f.message}`);
  if (rest.length) {
    const worth = total(rest.map((r) => r.recommendation));
    context.push(`…and ${rest.length} more, worth ${formatMoney(worth, 'USD')} per month`);
  }
  if (review) context.push(...reviewContext(review));
  const recs = reviewed.map((r) => r.recommendation);
  const batchButtons = batchRequestButtons(approvable, result.regions);
  return {
    kind: 'answer',
    title: 'Savings recommendations',
    text: headline(review ? approvable : recs, reviewed.length, where),
    ...(shown.length ? { items: shown.map((r) => (review ? reviewedItem(r) : itemOf(r.recommendation))) } : {}),
    context,
    ...(batchButtons.length ? { buttons: batchButtons } : {}),
    data: {
      accountIds: result.accountIds,
      failures: result.failures,
      regions: result.regions,
      generatedAt: result.generatedAt,
      totalMonthlySavings: total(review ? approvable : recs),
      ...(review ? { hidden: review.hidden } : {}),
      recommendations: reviewed.map((r) => ({
        id: r.recommendation.id,
        rule: r.recommendation.rule,
        kind: r.recommendation.action.kind,
        accountId: r.recommendation.action.target.accountId,
        resourceId: r.recommendation.action.target.resourceId,
        region: r.recommendation.action.target.region,
        monthlySavings: r.recommendation.action.monthlySavings,
        confidence: r.recommendation.confidence,
        risk: r.recommendation.action.risk,
        evidence: r.recommendation.evidence,
        proposeCommand: r.recommendation.proposeCommand,
        ...(review ? { approvable: open(r) } : {}),
        ...(r.refusal ? { cannotBeApproved: r.refusal.text } : {}),
        ...(r.activity ? { approvalId: r.activity.approvalId, activity: r.activity.text } : {}),
        ...(r.dismissal ? { dismissed: { ...r.dismissal } } : {}),
      })),
    },
    visibility: 'channel',
  };
}

/**
 * "Request approval for all N" per kind and account with more than one approvable recommendation: the button runs
 * `propose stop all idle instances in account … because …`, one batch approval (docs/architecture.md#batches).
 */
function batchRequestButtons(approvable: Recommendation[], regions: string[]): ReplyButton[] {
  const groups = new Map<string, { phrase: (typeof BATCH_PHRASES)[ActionKind]; account: string; count: number }>();
  for (const r of approvable) {
    const phrase = BATCH_PHRASES[r.action.kind];
    if (r.rule !== phrase.rule) continue;
    const key = `${r.action.kind}|${r.action.target.accountId}`;
    const group = groups.get(key) ?? { phrase, account: r.action.target.accountId, count: 0 };
    group.count++;
    groups.set(key, group);
  }
  const region = regions.length === 1 ? ` in ${regions[0]}` : '';
  const accounts = new Set([...groups.values()].map((g) => g.account));
  return [...groups.values()]
    .filter((g) => g.count > 1)
    .map((g) => ({
      actionId: ACTIONS.REQUEST_APPROVAL,
      label: `Request approval for all ${g.count} ${g.phrase.noun}${accounts.size > 1 ? ` (account ${g.account})` : ''}`,
      value: `propose ${g.phrase.verb} all ${g.phrase.noun}${region} in account ${g.account} because requested for all ${g.count} from the recommendations`,
    }));
}

function headline(approvable: Recommendation[], listed: number, where: string): string {
  if (listed === 0) return `No recommendations: nothing idle, oversized or unattached in ${where}.`;
  const saving = `${plural(approvable.length, 'recommendation')} could save ${formatMoney(total(approvable), 'USD')} per month.`;
  const others = listed - approvable.length;
  return others ? `${saving} ${others} more cannot be requested now (see each).` : saving;
}

function reviewContext(review: RecommendationsReview): string[] {
  const lines: string[] = [];
  if (review.changeWindows)
    lines.push(`Change windows: ${review.changeWindows}; an approval outside them runs when the next one opens`);
  const { hidden } = review;
  if (hidden.protected)
    lines.push(
      `${hidden.protected} hidden: protected (${hidden.protectedTags.join(', ')}); Tally never touches them (show with \`recommendations all\`)`,
    );
  if (hidden.dismissed) lines.push(`${hidden.dismissed} dismissed or snoozed (show with \`recommendations all\`)`);
  return lines;
}

function fieldsOf(r: Recommendation): ReplyField[] {
  return [
    { label: 'Savings/month', value: formatMoney(r.action.monthlySavings, r.action.currency) },
    { label: 'Confidence', value: r.confidence },
    { label: 'Risk', value: r.action.risk },
    { label: 'Evidence', value: r.evidence },
  ];
}

function requestButton(r: Recommendation): ReplyButton {
  return { actionId: ACTIONS.REQUEST_APPROVAL, label: 'Request approval', value: r.proposeCommand };
}

function itemOf(r: Recommendation): ReplyItem {
  return { title: r.action.summary, fields: fieldsOf(r), button: requestButton(r) };
}

const run = (label: string, command: string): ReplyButton => ({ actionId: ACTIONS.RUN_COMMAND, label, value: command });

/**
 * A reviewed item: Request approval only when it is approvable; why not otherwise (the refusal, the action under way
 * with a button to show its approval); Dismiss and Snooze unless it is hidden, then Undismiss.
 */
function reviewedItem(reviewed: ReviewedRecommendation): ReplyItem {
  const { recommendation: r, refusal, activity, dismissal } = reviewed;
  const fields = fieldsOf(r);
  if (refusal) fields.push({ label: 'Cannot be approved', value: refusal.text });
  if (activity) fields.push({ label: 'Action', value: activity.text });
  if (dismissal) {
    const word = dismissal.kind === 'dismissed' ? 'Dismissed' : 'Snoozed';
    const why = dismissal.reason ? `: ${dismissal.reason}` : '';
    fields.push({ label: word, value: `by ${dismissal.by} until ${dismissal.until.slice(0, 10)}${why}` });
  }
  const hide = dismissal
    ? [run('Undismiss', `undismiss ${dismissal.target}`)]
    : [
        {
          actionId: ACTIONS.RECOMMENDATION_DISMISS,
          label: 'Dismiss',
          value: `dismiss ${r.id} because dismissed with the Dismiss button`,
        },
        {
          actionId: ACTIONS.RECOMMENDATION_SNOOZE,
          label: `Snooze ${SNOOZE_BUTTON_DAYS} days`,
          value: `snooze ${r.id} ${SNOOZE_BUTTON_DAYS}d`,
        },
      ];
  const first = activity ? run(`Show ${activity.approvalId}`, `approval ${activity.approvalId}`) : undefined;
  const main = open(reviewed) ? requestButton(r) : first;
  return {
    title: r.action.summary,
    fields,
    ...(main ? { button: main } : {}),
    buttons: hide,
  };
}
