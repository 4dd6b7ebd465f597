import type { Auditor } from '../approvals/approval-events.js';
import type { ApprovalTimers } from '../approvals/approval-jobs.port.js';
import type { Clock } from '../shared/clock.js';
import { formatMoney } from '../shared/money.js';
import type { Reply } from '../shared/reply.types.js';
import type { Budget, BudgetRepository } from './budget.types.js';
import type { BudgetChange } from './budget-change.types.js';
import type { BudgetChangeMessages } from './budget-change-messages.js';
import { changeSummary, changeText } from './budget-change-reply.js';
import type { BudgetChangeRepository } from './budget-change-repository.port.js';
import { changedBudget } from './budget-override.js';

/** Reads a budget by name, whoever asks (the policy file's with its approved changes). */
export type BudgetOf = (name: string) => Promise<Budget | null>;

/**
 * What follows a budget change's decision, once, by whoever made the state change: cancel its timers, change the
 * budget when approved (nothing else: a reject, an expiry or a cancellation leaves it as it is), record it in the
 * audit log, update the cards, tell the request's thread, the budget's channel and the requester.
 */
export class BudgetChangeOutcomes {
  constructor(
    private readonly deps: {
      changes: BudgetChangeRepository;
      budgets: BudgetRepository;
      budgetOf: BudgetOf;
      timers: ApprovalTimers;
      messages: BudgetChangeMessages;
      audit: Auditor;
      clock: Clock;
    },
  ) {}

  async decided(change: BudgetChange): Promise<void> {
    const { timers, audit, messages } = this.deps;
    await timers.cancelAll(change.id, change.rule.tiers.length);
    await audit({
      kind: 'timer',
      event: 'timer.cancelled',
      approvalId: change.id,
      actor: 'tally',
      what: `timers cancelled: ${change.state.toLowerCase()}`,
    });
    const applied = change.state === 'APPROVED' ? await this.apply(change) : null;
    await this.refresh(change.id);
    const text = this.outcomeText(change, applied);
    await messages.note(change, text);
    if (applied?.channel) await messages.toChannel(change, applied.channel, this.notice(change, text));
    const latest = (await this.deps.changes.get(change.id)) ?? change;
    await messages.direct(latest, latest.requester.person, { ...messages.render(latest), buttons: [] });
  }

  /** Updates every card from the latest stored state. */
  async refresh(id: string): Promise<void> {
    for (let round = 0; round < 3; round++) {
      const latest = await this.deps.changes.get(id);
      if (!latest) return;
      await this.deps.messages.refresh(latest);
      if ((await this.deps.changes.get(id))?.version === latest.version) return;
    }
  }

  /** Changes the budget; null when it no longer exists (removed while the request waited). */
  private async apply(change: BudgetChange): Promise<Budget | null> {
    const { budgets, audit, clock } = this.deps;
    const before = await this.deps.budgetOf(change.budget);
    if (!before) {
      await audit({
        kind: 'execution',
        event: 'budget.change-failed',
        approvalId: change.id,
        actor: 'tally',
        what: `budget ${change.budget} no longer exists; nothing changed`,
      });
      return null;
    }
    const at = clock.now().toISOString();
    const after = changedBudget(before, change, at);
    await budgets.save(after);
    const from =
      change.oneOff && before.exception?.period === change.oneOff.period ? before.exception.amount : before.amount;
    const approvers = change.votes.filter((v) => v.decision === 'approve').map((v) => v.voter.person);
    await audit({
      kind: 'execution',
      event: 'budget.changed',
      approvalId: change.id,
      actor: 'tally',
      what: `${changeSummary({ ...change, oldAmount: from })}; requested by ${change.requester.person}, approved by ${approvers.join(', ')}`,
      why: change.reason,
      data: {
        budget: change.budget,
        currency: change.currency,
        oldAmount: from,
        newAmount: change.newAmount,
        oneOffPeriod: change.oneOff?.period ?? null,
        requester: change.requester.person,
        approvers: approvers.join(','),
        spentAtRequest: change.figures.spent,
        forecastAtRequest: change.figures.forecast,
      },
    });
    return after;
  }

  private outcomeText(change: BudgetChange, applied: Budget | null): string {
    const by = change.votes
      .filter((v) => v.decision === 'approve')
      .map((v) => this.deps.messages.nameOf(v.voter.person));
    switch (change.state) {
      case 'APPROVED':
        return applied
          ? `Approved by ${by.join(', ')}: budget ${change.budget} is now ${formatMoney(change.newAmount, change.currency)} ${change.oneOff ? `for ${change.oneOff.label} only` : 'from now on'} (was ${formatMoney(change.oldAmount, change.currency)})`
          : `Approved, but budget ${change.budget} no longer exists: nothing changed`;
      case 'REJECTED':
        return `Rejected by ${this.deps.messages.nameOf(change.decision?.by ?? '')}: ${change.decision?.reason ?? ''}. Budget ${change.budget} is unchanged`;
      default:
        return `${change.state === 'EXPIRED' ? 'Expired without a decision' : 'Cancelled by the requester'}: budget ${change.budget} is unchanged (${changeText(change)} was not applied)`;
    }
  }

  private notice(change: BudgetChange, text: string): Reply {
    return {
      kind: 'notice',
      title: `Budget ${change.budget} changed`,
      text: `${text}. Reason: ${change.reason}`,
      visibility: 'channel',
    };
  }
}
