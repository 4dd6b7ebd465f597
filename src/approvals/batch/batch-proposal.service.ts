import { type ActionKind, type ProposedAction, RISK_LEVELS } from '../../actions/action.types.js';
import { buildAction } from '../../actions/action-catalog.js';
import { BATCH_PHRASES } from '../../actions/batch-phrases.js';
import { protectedBy } from '../../actions/guardrails.js';
import type { ViewScope } from '../../costs/view-scope.js';
import { scopeAllows } from '../../costs/view-scope.js';
import { roundCents, sumAmounts } from '../../shared/money.js';
import type { Reply } from '../../shared/reply.types.js';
import type { ApprovalService, ProposeInput } from '../approval.service.js';
import { notice } from '../approval-list-reply.js';
import type { ApprovalPolicy } from '../approval-policy.types.js';
import { scopeOwner } from '../approval-scope.js';
import type { CloudActions } from '../execution/cloud-actions.port.js';
import { DEFAULT_MAX_BATCH } from './batch.types.js';

/** `propose stop all idle instances in account … because …`: the recommended actions of one kind in one account. */
export interface BatchProposeInput extends Pick<ProposeInput, 'requester' | 'origin' | 'reason' | 'viaAgent'> {
  kind: ActionKind;
  accountId: string;
  /** Only this region; absent, every region scanned. */
  region?: string;
  scope?: ViewScope;
}

export interface BatchProposalDeps {
  approvals: Pick<ApprovalService, 'draft' | 'claim' | 'open'>;
  cloud: Pick<CloudActions, 'describe'>;
  policy: ApprovalPolicy;
  /** Every covered account (README "Every account"). */
  accounts: () => Promise<string[]>;
  /** The actions recommended of `kind` in the account (and region), as the recommendations list them. */
  candidates: (query: { kind: ActionKind; accountId: string; region?: string }) => Promise<ProposedAction[]>;
}

/**
 * Proposes one approval for every recommended action of a kind in an account (docs/architecture.md#batches). Each
 * item is described again and refused as a single proposal would be (gone, protected by tag, outside the proposer's
 * scope, already pending in another approval: left out and named); more items than `guardrails.maxBatch` are refused
 * with the limit. The batch's rule is the one of its highest risk level.
 */
export class BatchProposals {
  constructor(private readonly deps: BatchProposalDeps) {}

  async propose(input: BatchProposeInput): Promise<Reply> {
    const { deps } = this;
    const phrase = BATCH_PHRASES[input.kind];
    if (!(await deps.accounts()).includes(input.accountId))
      return notice('Account not covered', `Account ${input.accountId} is not one Tally covers.`);
    if (input.scope && !scopeAllows({ ...input.scope, tags: [] }, { provider: 'AWS', accountId: input.accountId }))
      return notice('Outside your scope', `Account ${input.accountId} is outside ${scopeOwner(input.scope)}.`);
    const candidates = await deps.candidates(input);
    const skipped: string[] = [];
    const items: ProposedAction[] = [];
    for (const candidate of candidates) {
      const refusal = await this.check(candidate, input.scope, items);
      if (refusal) skipped.push(`${candidate.target.resourceId}: ${refusal}`);
    }
    const where = `account ${input.accountId}${input.region ? ` in ${input.region}` : ''}`;
    if (items.length === 0)
      return notice('Nothing to propose', `No ${phrase.noun} to ${phrase.verb} in ${where}.`, { skipped });
    const max = deps.policy.guardrails.maxBatch ?? DEFAULT_MAX_BATCH;
    if (items.length > max)
      return notice(
        'Too many for one batch',
        `${items.length} ${phrase.noun} in ${where}: a batch holds at most ${max} actions (guardrails.maxBatch in the policy file). Propose them by region, or one by one.`,
        { count: items.length, maxBatch: max },
      );
    const draft = deps.approvals.draft(input, headOf(items));
    if ('kind' in draft) return draft;
    const claimed: string[] = [];
    const mine: ProposedAction[] = [];
    for (const item of items) {
      const key = `${item.kind}|${item.target.accountId}|${item.target.region}|${item.target.resourceId}`;
      const holder = await deps.approvals.claim(key, draft.id);
      if (holder) skipped.push(`${item.target.resourceId}: already pending as ${holder.id}`);
      else {
        claimed.push(key);
        mine.push(item);
      }
    }
    if (mine.length === 0)
      return notice('Nothing to propose', `Every ${phrase.noun.replace(/s$/, '')} in ${where} is already pending.`, {
        skipped,
      });
    const approval = { ...draft, action: headOf(mine), batch: { items: mine } };
    const reply = await deps.approvals.open(approval, claimed, input.viaAgent === true);
    return skipped.length
      ? {
          ...reply,
          context: [...(reply.context ?? []), `Left out: ${skipped.join('; ')}`],
          data: { ...reply.data, skipped },
        }
      : reply;
  }

  /** Why a candidate cannot be in the batch, or null after adding it (as described now) to `items`. */
  private async check(
    candidate: ProposedAction,
    scope: ViewScope | undefined,
    items: ProposedAction[],
  ): Promise<string | null> {
    const { target } = candidate;
    const facts = await this.deps.cloud.describe(target);
    if (!facts) return 'no longer exists';
    const built = buildAction(candidate.kind, target, facts, candidate.params);
    if (!built.ok) return built.message;
    const tag = protectedBy(this.deps.policy.guardrails, facts.tags);
    if (tag) return `carries the protected tag ${tag}`;
    if (scope && !scopeAllows(scope, { provider: 'AWS', accountId: target.accountId, tags: facts.tags }))
      return `lacks the tags of ${scopeOwner(scope)}`;
    items.push(built.action);
    return null;
  }
}

/**
 * The action a batch approval shows and is filed under: the items' kind and account, their regions, the sum of their
 * savings and the highest of their risks (which decides the rule), e.g. "Stop 12 idle instances in account … (us-east-1)".
 */
export function headOf(items: ProposedAction[]): ProposedAction {
  const first = items[0]!;
  const phrase = BATCH_PHRASES[first.kind];
  const regions = [...new Set(items.map((i) => i.target.region))].sort();
  const risk = RISK_LEVELS[Math.max(...items.map((i) => RISK_LEVELS.indexOf(i.risk)))]!;
  const account = first.target.accountId;
  return {
    kind: first.kind,
    target: { ...first.target, region: regions.join(', '), resourceId: `${items.length} ${phrase.noun}` },
    facts: { ...first.facts, id: `${items.length} ${phrase.noun}`, tags: [] },
    params: {},
    monthlySavings: roundCents(sumAmounts(items.map((i) => i.monthlySavings))),
    currency: 'USD',
    risk,
    summary: `${phrase.verb[0]!.toUpperCase()}${phrase.verb.slice(1)} ${items.length} ${phrase.noun} in account ${account} (${regions.join(', ')})`,
  };
}
