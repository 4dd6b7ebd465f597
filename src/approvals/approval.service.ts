import type { ActionKind, ProposedAction, TargetRef } from '../actions/action.types.js';
import { buildAction } from '../actions/action-catalog.js';
import { protectedBy } from '../actions/guardrails.js';
import type { AuditLog } from '../audit/audit.types.js';
import type { ViewScope } from '../costs/view-scope.js';
import { scopeAllows } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import { TallyError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Reply } from '../shared/reply.types.js';
import type { Approval, Identity } from './approval.types.js';
import type { Auditor } from './approval-events.js';
import type { ApprovalInteractions } from './approval-interactions.types.js';
import { approvalDetailsReply, notice, pendingListReply } from './approval-list-reply.js';
import type { ApprovalMessages } from './approval-messages.service.js';
import type { ApprovalOutcomes } from './approval-outcomes.service.js';
import type { ApprovalPolicy } from './approval-policy.types.js';
import type { ApprovalRepository } from './approval-repository.port.js';
import { approvalInScope, scopeOwner } from './approval-scope.js';
import { changeApproval } from './approval-store.js';
import type { ApprovalTimerService } from './approval-timers.service.js';
import type { ApprovalVotes } from './approval-votes.service.js';
import { voteReply } from './approval-votes.service.js';
import { isPolicyPerson, personOf, ruleForApproval } from './approvers.js';
import type { CloudActions } from './execution/cloud-actions.port.js';
import { isScheduled } from './execution/execution-schedule.js';
import { proposalAccount } from './proposal-account.js';

/** A proposal: an action on one resource, by a person, with a reason. */
export interface ProposeInput {
  requester: Identity;
  origin: Approval['origin'];
  kind: ActionKind;
  resourceId: string;
  region: string;
  /** The account named (`account <id>`); absent, the covered account holding the resource. */
  accountId?: string;
  /** The new instance type of a resize. */
  instanceType?: string;
  reason: string;
  /** Set by the agent's tool: the proposal came through the agent on the requester's behalf. */
  viaAgent?: boolean;
  /** The proposer's scope here (channel and person): the resource must be inside it. */
  scope?: ViewScope;
}

/** How many pending approvals are searched for a duplicate proposal, or for those a scope allows. */
const PENDING_SCAN_LIMIT = 1000;
/** How often a proposal tries to take over a claim whose holder is no longer pending. */
const CLAIM_ATTEMPTS = 5;
/** How long a claim's approval is waited for before the claim counts as left by a crashed proposer: 20 × 100 ms. */
const HOLDER_WAITS = 20;
const HOLDER_WAIT_MS = 100;
/** The most pending approvals `approvals` lists. */
const PENDING_LIST_LIMIT = 50;

/** The answer to a proposal of what a pending approval already asks for. */
function duplicateReply(duplicate: Approval): Reply {
  return notice(
    `Approval ${duplicate.id} is already pending`,
    `${duplicate.action.summary} is already waiting for approval as ${duplicate.id}; nothing new was requested.`,
    { id: duplicate.id, state: duplicate.state, duplicate: true },
  );
}

const RESOURCE_TYPE: Record<ActionKind, TargetRef['resourceType']> = {
  stop_instance: 'instance',
  resize_instance: 'instance',
  delete_volume: 'volume',
  release_address: 'address',
};

export interface ApprovalServiceDeps {
  approvals: ApprovalRepository;
  auditLog: AuditLog;
  audit: Auditor;
  policy: ApprovalPolicy;
  cloud: CloudActions;
  accountId: () => Promise<string>;
  /** Every covered account, the credentials' own first (README "Every account"); absent, `accountId`'s alone. */
  accounts?: () => Promise<string[]>;
  messages: ApprovalMessages;
  votes: ApprovalVotes;
  timers: ApprovalTimerService;
  outcomes: ApprovalOutcomes;
  clock: Clock;
  /** A person's own scope (docs/architecture.md#who-sees-what), for the details a button shows; none: all. */
  viewerScope?: (viewer: Identity) => Promise<ViewScope | undefined>;
}

/**
 * Approvals of cost-saving actions (docs/architecture.md#approvals). Proposing is the only way an approval comes to
 * exist, and it only creates a PENDING approval; execution happens in the `execute` job once the quorum is met.
 */
export class ApprovalService implements ApprovalInteractions {
  /** Proposals under way in this process, per action and resource: the next one waits for the one before. */
  private readonly proposing = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: ApprovalServiceDeps) {}

  async propose(input: ProposeInput): Promise<Reply> {
    const { deps } = this;
    const covered = deps.accounts ? await deps.accounts() : [await deps.accountId()];
    // Without a named account, the resource is looked for in the accounts the proposer may see.
    const visible = covered.filter((a) =>
      scopeAllows(input.scope && { ...input.scope, tags: [] }, { provider: 'AWS', accountId: a }),
    );
    const where = {
      provider: 'AWS' as const,
      region: input.region,
      resourceType: RESOURCE_TYPE[input.kind],
      resourceId: input.resourceId,
    };
    const located = await proposalAccount(
      { ...where, ...(input.accountId ? { accountId: input.accountId } : {}) },
      input.accountId || visible.length === 0 ? covered : visible,
      deps.cloud,
    );
    if (!located.ok) return notice('Account not covered', located.message);
    const { accountId } = located;
    if (input.scope && !scopeAllows({ ...input.scope, tags: [] }, { provider: 'AWS', accountId }))
      return notice('Outside your scope', `Account ${accountId} is outside ${scopeOwner(input.scope)}.`);
    const target: TargetRef = {
      provider: 'AWS',
      accountId,
      region: input.region,
      resourceType: RESOURCE_TYPE[input.kind],
      resourceId: input.resourceId,
    };
    // One proposal at a time per action and resource in this process, so two at once cannot both miss the other.
    const key = `${input.kind}|${accountId}|${input.region}|${input.resourceId}`;
    const before = this.proposing.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(() => this.proposeOnce(input, target));
    this.proposing.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.proposing.get(key) === mine) this.proposing.delete(key);
    }
  }

  /** A pending approval of the same action on the same resource, if there is one. */
  private async pendingDuplicate(kind: ActionKind, target: TargetRef): Promise<Approval | undefined> {
    const pending = await this.deps.approvals.list({
      states: ['PENDING'],
      accountId: target.accountId,
      limit: PENDING_SCAN_LIMIT,
    });
    return pending.find(
      (a) =>
        a.action.kind === kind &&
        a.action.target.resourceId === target.resourceId &&
        a.action.target.region === target.region,
    );
  }

  private async proposeOnce(input: ProposeInput, target: TargetRef): Promise<Reply> {
    const { deps } = this;
    const duplicate = await this.pendingDuplicate(input.kind, target);
    if (duplicate) return duplicateReply(duplicate);
    const facts = await deps.cloud.describe(target);
    if (!facts)
      return notice(
        'Not found',
        `${input.resourceId} does not exist in ${input.region} (account ${target.accountId}).`,
      );
    const built = buildAction(
      input.kind,
      target,
      facts,
      input.instanceType ? { instanceType: input.instanceType } : {},
    );
    if (!built.ok) return notice('Cannot propose that', built.message);
    const { action } = built;
    if (input.scope && !scopeAllows(input.scope, { provider: 'AWS', accountId: target.accountId, tags: facts.tags }))
      return notice('Outside your scope', `${input.resourceId} lacks the tags of ${scopeOwner(input.scope)}.`);
    const guard = protectedBy(deps.policy.guardrails, facts.tags);
    if (guard)
      return notice('Protected', `${input.resourceId} carries the protected tag ${guard}; Tally never touches it.`);
    const approval = this.draft(input, action);
    if ('kind' in approval) return approval;
    // Across processes: one pending approval per action and resource, claimed before it is created.
    const claimKey = `${action.kind}|${target.accountId}|${target.region}|${target.resourceId}`;
    const holder = await this.claim(claimKey, approval.id);
    if (holder) return duplicateReply(holder);
    return this.open(approval, [claimKey], input.viaAgent === true);
  }

  /**
   * A new PENDING approval of `action` with a copy of the policy rule for its risk level, not stored yet; a refusal
   * when no one may approve that level.
   */
  draft(input: Pick<ProposeInput, 'requester' | 'origin' | 'reason'>, action: ProposedAction): Approval | Reply {
    const { deps } = this;
    const requester = { person: personOf(deps.policy, input.requester), via: input.requester };
    const rule = ruleForApproval(deps.policy.risk[action.risk], {
      requesterKnown: isPolicyPerson(deps.policy, requester.person),
      lowerAfterEscalation: deps.policy.quorumAfterEscalation === true,
    });
    if (rule.tiers.length === 0)
      return notice(
        'No approvers configured',
        `No approvers are configured for ${action.risk}-risk actions; add them under approvals.risk.${action.risk} in the policy file.`,
      );
    const now = deps.clock.now();
    return {
      // 48 random bits: unique across millions of approvals, still short enough to type in `approve <id>`.
      id: newId('apr', 6),
      version: 1,
      state: 'PENDING',
      action,
      reason: input.reason,
      requester,
      rule,
      tier: 0,
      votes: [],
      origin: input.origin,
      messages: [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + rule.expireAfterMs).toISOString(),
    };
  }

  /**
   * Stores a new PENDING approval whose claims are held, audits the proposal, arms its first tier's timers and posts
   * it; the reply is the requester's. A batch approval (src/approvals/batch) is opened this way too.
   */
  async open(approval: Approval, claimKeys: string[], viaAgent: boolean): Promise<Reply> {
    const { deps } = this;
    const { action, requester } = approval;
    try {
      await deps.approvals.create(approval);
    } catch (err) {
      for (const key of claimKeys) await deps.approvals.releaseClaim(key, approval.id).catch(() => undefined);
      throw err;
    }
    await deps.audit({
      kind: 'proposal',
      event: 'proposal.created',
      approvalId: approval.id,
      actor: requester.person,
      what: `${deps.messages.nameOf(requester.person)} proposed: ${action.summary}${viaAgent ? ' (through the agent)' : ''}`,
      why: approval.reason,
      data: { risk: action.risk, monthlySavings: action.monthlySavings, kind: action.kind },
    });
    await deps.timers.armTier(approval, 0);
    const posted = await this.publish(approval);
    return this.proposedReply(posted);
  }

  /**
   * Claims one action on one resource for `approvalId`; resolves the pending approval that holds it instead, if
   * any. A claim whose holder is no longer pending (decided, or never created after a crash) is taken over.
   */
  async claim(key: string, approvalId: string): Promise<Approval | null> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const holderId = await this.deps.approvals.claim(key, approvalId);
      if (holderId === null) return null;
      const holder = holderId ? await this.holderOf(holderId) : null;
      if (holder?.state === 'PENDING') return holder;
      await this.deps.approvals.releaseClaim(key, holderId);
    }
    throw new TallyError('STORE_UNAVAILABLE', `Could not claim ${key} for a proposal.`, {
      metadata: { operation: 'approvals.claim', key },
    });
  }

  /**
   * The approval holding a claim. A claim comes just before its approval is created, so a missing one is waited for
   * briefly; still missing after that, it never will be (its proposer died) and the claim is stale.
   */
  private async holderOf(approvalId: string): Promise<Approval | null> {
    for (let wait = 0; wait < HOLDER_WAITS; wait++) {
      const holder = await this.deps.approvals.get(approvalId);
      if (holder) return holder;
      await new Promise((resolve) => setTimeout(resolve, HOLDER_WAIT_MS));
    }
    return this.deps.approvals.get(approvalId);
  }

  /** Posts the approval message and stores where it went; with no channel, the approvers get it directly. */
  private async publish(approval: Approval): Promise<Approval> {
    const refs = await this.deps.messages.publish(approval);
    if (refs.length === 0) {
      const waiting = await this.deps.timers.waitingOn(approval);
      const reply = { ...this.deps.messages.render(approval), title: `Your vote is requested on ${approval.id}` };
      for (const person of waiting) await this.deps.messages.direct(approval, person, reply);
      return approval;
    }
    const { written } = await changeApproval(this.deps.approvals, approval.id, (a) =>
      a ? { write: { ...a, messages: [...a.messages, ...refs] }, result: null } : { result: null },
    );
    // A vote may have landed while the message was being posted: show the latest state.
    if (written && (written.state !== 'PENDING' || written.votes.length > 0))
      await this.deps.outcomes.refresh(approval.id);
    return written ?? approval;
  }

  private proposedReply(approval: Approval): Reply {
    const card = this.deps.messages.render(approval);
    const where = approval.messages.map((m) => m.channel);
    // See ruleForApproval: a requester the policy does not name costs one approval more.
    const unknown =
      !approval.rule.requesterMayVote && !isPolicyPerson(this.deps.policy, approval.requester.person)
        ? ` You are not a person of the policy file (approvals.people), so it needs ${approval.rule.tiers[0]?.quorum ?? 1} approvals, one more than usual: Tally cannot tell your other accounts from the approvers.`
        : '';
    if (approval.origin.platform === 'slack' || approval.origin.platform === 'teams')
      return notice(
        `Approval ${approval.id} requested`,
        `${approval.action.summary}. The approval request is posted${where.length ? ` in ${where.join(', ')}` : ' to the approvers directly'}.${unknown}`,
        {
          id: approval.id,
          state: approval.state,
          monthlySavings: approval.action.monthlySavings,
          risk: approval.action.risk,
        },
      );
    return {
      ...card,
      title: `Approval requested: ${card.title}`,
      ...(unknown ? { context: [...(card.context ?? []), unknown.trim()] } : {}),
    };
  }

  vote: ApprovalInteractions['vote'] = async (input) =>
    voteReply(await this.deps.votes.vote(input), input.decision, this.deps.messages.scheduleText);

  async checkVoter(approvalId: string, voter: Identity) {
    const refusal = await this.deps.votes.check(await this.deps.approvals.get(approvalId), voter);
    if (!refusal) return { ok: true as const };
    return { ok: false as const, reply: voteReply({ ok: false, reason: refusal, approval: null }, 'approve') };
  }

  /** An approval's details and audit trail for one viewer; one outside the viewer's own scope is "not found". */
  async details(approvalId: string, viewer: Identity): Promise<Reply> {
    const approval = await this.deps.approvals.get(approvalId);
    const scope = await this.deps.viewerScope?.(viewer);
    if (!approval || !approvalInScope(approval, scope))
      return notice('Not found', `There is no approval ${approvalId}.`);
    const trail = await this.deps.auditLog.list({ approvalId, limit: 200 });
    return approvalDetailsReply(this.deps.messages.render(approval), trail);
  }

  /**
   * The requester withdraws a request: a pending one, or an approved one whose execution has not started (it waits
   * for a change window); its execute job is removed (`ApprovalOutcomes.decided`). Once EXECUTING it is too late.
   */
  async cancel(approvalId: string, by: Identity): Promise<Reply> {
    const person = personOf(this.deps.policy, by);
    const now = this.deps.clock.now().toISOString();
    const { result, written } = await changeApproval(this.deps.approvals, approvalId, (a) => {
      if (!a) return { result: 'There is no approval with that id.' };
      if (a.state !== 'PENDING' && a.state !== 'APPROVED')
        return { result: `It is already ${a.state}; nothing changed.` };
      if (a.requester.person !== person) return { result: 'Only the requester can cancel a request.' };
      return {
        write: {
          ...a,
          state: 'CANCELLED',
          decidedAt: now,
          updatedAt: now,
          decision: { by: person, reason: 'cancelled by the requester' },
        },
        result: 'Cancelled.',
      };
    });
    if (written) {
      await this.deps.audit({
        kind: 'decision',
        event: 'decision.cancelled',
        approvalId,
        actor: person,
        what: `cancelled${written.scheduledFor ? ' before its scheduled execution' : ''}: ${written.action.summary}`,
      });
      await this.deps.outcomes.decided(written);
    }
    return notice(written ? `Approval ${approvalId} cancelled` : 'Nothing cancelled', result);
  }

  /**
   * Pending approvals, and approved ones waiting for a change window, that the viewer's scope allows (all without
   * one), newest first.
   */
  async pending(scope?: ViewScope): Promise<Reply> {
    const limit = PENDING_LIST_LIMIT;
    const all = await this.deps.approvals.list({
      states: ['PENDING', 'APPROVED'],
      limit: scope ? PENDING_SCAN_LIMIT : limit,
    });
    const waiting = all.filter((a) => a.state === 'PENDING' || isScheduled(a));
    const list = waiting.filter((a) => approvalInScope(a, scope)).slice(0, limit);
    return pendingListReply(list, this.deps.messages.nameOf, this.deps.messages.scheduleText);
  }

  /** One approval; one outside the viewer's scope is "not found", as if it did not exist. */
  async show(approvalId: string, scope?: ViewScope): Promise<Reply> {
    const approval = await this.deps.approvals.get(approvalId);
    return approval && approvalInScope(approval, scope)
      ? this.deps.messages.render(approval)
      : notice('Not found', `There is no approval ${approvalId}.`);
  }
}
