import type { Identity } from '../approvals/approval.types.js';
import { notice } from '../approvals/approval-list-reply.js';
import type { BudgetService } from '../budgets/budget.service.js';
import type { BudgetChangeService } from '../budgets/budget-change.service.js';
import type { BudgetCommand } from '../commands/command.types.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Reply } from '../shared/reply.types.js';
import {
  budgetInvalidReply,
  budgetRefusedReply,
  budgetRemovedReply,
  budgetSavedReply,
} from './replies/budget-change.reply.js';
import { budgetListReply } from './replies/budget-list.reply.js';
import { budgetStatusReply } from './replies/budget-status.reply.js';
import type { Turn } from './turn.types.js';

/**
 * Runs `budget …` for a turn (docs/budgets.md#commands): the status of one budget or of all the asker may see (with
 * the viewer's scope), and set/remove for budget admins. A budget set in a channel without `in #channel` alerts
 * that channel.
 */
export class BudgetCommandService {
  constructor(
    private readonly budgets: BudgetService,
    /** The person behind an identity (a people key of the policy, or `platform:id`). */
    private readonly personOf: (identity: Identity) => string,
    /** Budget changes approved in chat (docs/budgets.md#budget-changes); null where they are not available. */
    private readonly changes: BudgetChangeService | null = null,
  ) {}

  async run(command: BudgetCommand, turn: Turn, scope?: ViewScope): Promise<Reply> {
    const identity: Identity = { platform: turn.location.platform, id: turn.user.id };
    const actor = { identity, person: this.personOf(identity) };
    switch (command.action) {
      case 'list': {
        // Computed together: budgets of one scope shape share their queries (docs/budgets.md#alerts).
        const all = await this.budgets.statuses(await this.budgets.list(scope));
        return budgetListReply(all.map((s) => s.status));
      }
      case 'show': {
        const budget = await this.budgets.get(command.name, scope);
        if (!budget) return budgetRefusedReply('NOT_FOUND', command.name);
        const { status, daily } = await this.budgets.status(budget);
        const chart = turn.location.platform === 'slack' || turn.location.platform === 'teams';
        return budgetStatusReply(status, daily, { chart, readOnly: budget.origin === 'policy' });
      }
      case 'set': {
        const here = turn.location.platform === 'slack' || turn.location.platform === 'teams';
        const draft =
          command.draft.channel === undefined && here && turn.location.channel
            ? { ...command.draft, channel: turn.location.channel }
            : command.draft;
        const outcome = await this.budgets.set(draft, actor);
        if (outcome.ok) return budgetSavedReply(outcome.budget, outcome.created);
        if (outcome.reason === 'INVALID') return budgetInvalidReply(draft.name, outcome.problems);
        return budgetRefusedReply(outcome.reason, draft.name);
      }
      case 'request': {
        if (!this.changes)
          return notice('Budget changes are not available', 'Budget changes need Redis (REDIS_URL) for their timers.');
        const { platform, channel, thread } = turn.location;
        return this.changes.request({
          requester: identity,
          origin: { platform, ...(channel ? { channel } : {}), ...(thread ? { thread } : {}) },
          budget: command.name,
          amount: command.amount,
          ...(command.currency ? { currency: command.currency } : {}),
          oneOff: command.oneOff,
          reason: command.reason,
          ...(scope ? { scope } : {}),
        });
      }
      case 'remove': {
        const outcome = await this.budgets.remove(command.name, actor);
        return outcome.ok ? budgetRemovedReply(outcome.budget) : budgetRefusedReply(outcome.reason, command.name);
      }
    }
  }
}
