import type { Approval, Identity } from '../approvals/approval.types.js';
import type { Auditor } from '../approvals/approval-events.js';
import type { ApprovalInteractions } from '../approvals/approval-interactions.types.js';
import { approvalDetailsReply, notice } from '../approvals/approval-list-reply.js';
import type { ApprovalPolicy, RiskRule } from '../approvals/approval-policy.types.js';
import { isPolicyPerson, personOf, ruleForApproval } from '../approvals/approvers.js';
import type { AuditLog } from '../audit/audit.types.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { formatMoney, roundCents } from '../shared/money.js';
import type { Reply } from '../shared/reply.types.js';
import type { BudgetService } from './budget.service.js';
import type { Budget } from './budget.types.js';
import { BUDGET_CHANGE_ID_PREFIX, type BudgetChange } from './budget-change.types.js';
import type { BudgetChangeMessages } from './budget-change-messages.js';
import type { BudgetChangeOutcomes } from './budget-change-outcomes.js';
import { budgetChangeReply, changeSummary, changeText } from './budget-change-reply.js';
import type { BudgetChangeRepository } from './budget-change-repository.port.js';
import { changeBudgetChange } from './budget-change-store.js';
import type { BudgetChangeTimers } from './budget-change-timers.js';
import { budgetChangeVoteReply } from './budget-change-vote-reply.js';
import type { BudgetChangeVotes } from './budget-change-votes.js';
import type { BudgetStatus } from './budget-status.js';

/** `budget request NAME AMOUNT [CURRENCY] because REASON [for this month only]`. */
export interface BudgetChangeInput {
  requester: Identity;
  origin: Approval['origin'];
  budget: string;
  amount: number;
  /** As written; must be the budget's currency. */
  currency?: string;
  /** A one-off exception for the current period only. */
  oneOff: boolean;
  reason: string;
  /** The requester's scope: the budget must be one they may see. */
  scope?: ViewScope;
}

export interface BudgetChangeServiceDeps {
  changes: BudgetChangeRepository;
  budgets: BudgetService;
  policy: ApprovalPolicy;
  /** `budgets.changes` of the policy file; absent, nobody approves budget changes and requests are refused. */
  rule: RiskRule | undefined;
  messages: BudgetChangeMessages;
  votes: BudgetChangeVotes;
  timers: BudgetChangeTimers;
  outcomes: BudgetChangeOutcomes;
  audit: Auditor;
  auditLog: AuditLog;
  clock: Clock;
  /** A person's own scope (docs/architecture.md#who-sees-what), for the details a button shows; none: all. */
  viewerScope?: (viewer: Identity) => Promise<ViewScope | undefined>;
}

/** A request that passed the checks: its budget, the budget's status now, and the amount in force it would replace. */
interface Requestable {
  budget: Budget;
  status: BudgetStatus;
  oldAmount: number;
}

/** How many pending changes `approvals` lists, and are searched for one of the same budget. */
const PENDING_LIMIT = 50;

/**
 * Budget changes approved in chat (docs/budgets.md#budget-changes). Requesting only creates a PENDING change with the
 * budget's spend and forecast as they are; the budget changes when the policy's approvers reach the quorum. The chat
 * buttons and `approve`/`reject`/`approval`/`cancel` reach it by its `bch_` id, like an action's approval.
 */
export class BudgetChangeService implements ApprovalInteractions {
  constructor(private readonly deps: BudgetChangeServiceDeps) {}

  async request(input: BudgetChangeInput): Promise<Reply> {
    const checked = await this.check(input);
    if ('reply' in checked) return checked.reply;
    const change = this.build(input, checked);
    await this.deps.changes.create(change);
    await this.deps.audit({
      kind: 'proposal',
      event: 'budget-change.requested',
      approvalId: change.id,
      actor: change.requester.person,
      what: `${this.deps.messages.nameOf(change.requester.person)} requested ${changeSummary(change)}`,
      why: input.reason,
      data: {
        budget: change.budget,
        currency: change.currency,
        oldAmount: change.oldAmount,
        newAmount: change.newAmount,
        oneOffPeriod: change.oneOff?.period ?? null,
        period: checked.status.period.key,
        spent: change.figures.spent,
        forecast: change.figures.forecast,
        forecastLow: roundCents(checked.status.range.low),
        forecastHigh: roundCents(checked.status.range.high),
      },
    });
    await this.deps.timers.armTier(change, 0);
    return this.requestedReply(await this.publish(change));
  }

  /** What refuses a request (no approvers, no such budget, another currency, no change, one pending), or its budget. */
  private async check(input: BudgetChangeInput): Promise<{ reply: Reply } | Requestable> {
    const { deps } = this;
    if (!deps.rule || deps.rule.tiers.length === 0)
      return {
        reply: notice(
          'No approvers configured',
          'Nobody approves budget changes yet: name them under budgets.changes in the policy file (e.g. approvers: ["@finance"], quorum: 2).',
        ),
      };
    const budget = await deps.budgets.get(input.budget, input.scope);
    if (!budget) return { reply: notice('Not found', `There is no budget ${input.budget}; \`budgets\` lists them.`) };
    const money = (n: number) => formatMoney(n, budget.currency);
    if (input.currency && input.currency.toUpperCase() !== budget.currency)
      return {
        reply: notice('Wrong currency', `Budget ${budget.name} is in ${budget.currency}; ask in ${budget.currency}.`),
      };
    const { status } = await deps.budgets.status(budget);
    const oldAmount = input.oneOff ? status.amount : budget.amount;
    if (input.amount === oldAmount)
      return { reply: notice('Nothing to change', `Budget ${budget.name} is already ${money(oldAmount)}.`) };
    const [pending] = await deps.changes.list({ states: ['PENDING'], budget: budget.name, limit: 1 });
    if (pending)
      return {
        reply: notice(
          `Budget change ${pending.id} is already pending`,
          `${changeSummary(pending)} waits for approval; \`cancel ${pending.id}\` withdraws it (its requester only).`,
          { id: pending.id, duplicate: true },
        ),
      };
    return { budget, status, oldAmount };
  }

  /** A new PENDING change, with the policy's rule as this requester needs it and the figures of now. */
  private build(input: BudgetChangeInput, { budget, status, oldAmount }: Requestable): BudgetChange {
    const { deps } = this;
    const requester = { person: personOf(deps.policy, input.requester), via: input.requester };
    const now = deps.clock.now();
    const rule = ruleForApproval(deps.rule!, {
      requesterKnown: isPolicyPerson(deps.policy, requester.person),
      lowerAfterEscalation: deps.policy.quorumAfterEscalation === true,
    });
    return {
      id: newId(BUDGET_CHANGE_ID_PREFIX, 6),
      version: 1,
      state: 'PENDING',
      budget: budget.name,
      currency: budget.currency,
      oldAmount,
      newAmount: input.amount,
      ...(input.oneOff ? { oneOff: { period: status.period.key, label: status.period.label } } : {}),
      reason: input.reason,
      requester,
      rule,
      tier: 0,
      votes: [],
      // In cents, as the status answers them.
      figures: { period: status.period.label, spent: roundCents(status.spent), forecast: roundCents(status.forecast) },
      origin: input.origin,
      messages: [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + rule.expireAfterMs).toISOString(),
    };
  }

  /** Posts the card and stores where it went; with no channel, the approvers get it directly. */
  private async publish(change: BudgetChange): Promise<BudgetChange> {
    const refs = await this.deps.messages.publish(change);
    if (refs.length === 0) {
      const waiting = await this.deps.timers.waitingOn(change);
      await this.deps.timers.ask(change, `Your vote is requested on budget change ${change.id}`, waiting);
      return change;
    }
    const { written } = await changeBudgetChange(this.deps.changes, change.id, (c) =>
      c ? { write: { ...c, messages: [...c.messages, ...refs] }, result: null } : { result: null },
    );
    if (written && (written.state !== 'PENDING' || written.votes.length > 0))
      await this.deps.outcomes.refresh(change.id);
    return written ?? change;
  }

  private requestedReply(change: BudgetChange): Reply {
    const where = change.messages.map((m) => m.channel);
    if (change.origin.platform === 'slack' || change.origin.platform === 'teams')
      return notice(
        `Budget change ${change.id} requested`,
        `${changeText(change)} for budget ${change.budget}. The request is posted${where.length ? ` in ${where.join(', ')}` : ' to the approvers directly'}.`,
        { id: change.id, state: change.state, kind: 'budget_change' },
      );
    const card = this.deps.messages.render(change);
    return { ...card, title: `Requested: ${card.title}` };
  }

  vote: ApprovalInteractions['vote'] = async (input) =>
    budgetChangeVoteReply(
      await this.deps.votes.vote({
        id: input.approvalId,
        voter: input.voter,
        decision: input.decision,
        ...(input.reason ? { reason: input.reason } : {}),
      }),
      input.decision,
    );

  async checkVoter(id: string, voter: Identity) {
    const refusal = await this.deps.votes.check(await this.deps.changes.get(id), voter);
    if (!refusal) return { ok: true as const };
    return {
      ok: false as const,
      reply: budgetChangeVoteReply({ ok: false, reason: refusal, change: null }, 'approve'),
    };
  }

  /** The change's card and audit trail; one of a budget outside the viewer's scope is "not found". */
  async details(id: string, viewer: Identity): Promise<Reply> {
    const change = await this.visible(id, await this.deps.viewerScope?.(viewer));
    if (!change) return notice('Not found', `There is no approval ${id}.`);
    const trail = await this.deps.auditLog.list({ approvalId: id, limit: 200 });
    return approvalDetailsReply(this.deps.messages.render(change), trail);
  }

  /** `approval <id>`: the card as it reads now. */
  async show(id: string, scope?: ViewScope): Promise<Reply> {
    const change = await this.visible(id, scope);
    return change
      ? budgetChangeReply(change, this.deps.messages.nameOf)
      : notice('Not found', `There is no approval ${id}.`);
  }

  /** Pending changes of budgets the viewer may see, newest first. */
  async pending(scope?: ViewScope): Promise<BudgetChange[]> {
    const all = await this.deps.changes.list({ states: ['PENDING'], limit: PENDING_LIMIT });
    const visible = await Promise.all(
      all.map(async (c) => ((await this.deps.budgets.get(c.budget, scope)) ? c : null)),
    );
    return visible.filter((c): c is BudgetChange => c !== null);
  }

  /** The requester withdraws a pending request; the budget stays as it is. */
  async cancel(id: string, by: Identity): Promise<Reply> {
    const person = personOf(this.deps.policy, by);
    const now = this.deps.clock.now().toISOString();
    const { result, written } = await changeBudgetChange(this.deps.changes, id, (c) => {
      if (!c) return { result: 'There is no approval with that id.' };
      if (c.state !== 'PENDING') return { result: `It is already ${c.state}; nothing changed.` };
      if (c.requester.person !== person) return { result: 'Only the requester can cancel a request.' };
      const decision = { by: person, reason: 'cancelled by the requester' };
      return { write: { ...c, state: 'CANCELLED', decidedAt: now, updatedAt: now, decision }, result: 'Cancelled.' };
    });
    if (written) {
      await this.deps.audit({
        kind: 'decision',
        event: 'decision.cancelled',
        approvalId: id,
        actor: person,
        what: `cancelled: ${changeSummary(written)}`,
      });
      await this.deps.outcomes.decided(written);
    }
    return notice(written ? `Budget change ${id} cancelled` : 'Nothing cancelled', result);
  }

  private async visible(id: string, scope?: ViewScope): Promise<BudgetChange | null> {
    const change = await this.deps.changes.get(id);
    return change && (await this.deps.budgets.get(change.budget, scope)) ? change : null;
  }
}
