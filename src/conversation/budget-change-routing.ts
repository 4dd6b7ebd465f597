import type { ApprovalInteractions } from '../approvals/approval-interactions.types.js';
import type { NameOf } from '../approvals/approval-reply.js';
import type { BudgetChangeService } from '../budgets/budget-change.service.js';
import type { BudgetChange } from '../budgets/budget-change.types.js';
import { isBudgetChangeId } from '../budgets/budget-change.types.js';
import { budgetChangeData, budgetChangeItem } from '../budgets/budget-change-reply.js';
import type { Reply } from '../shared/reply.types.js';
import type { ApprovalCommandRunner } from './handle-turn.service.js';

/**
 * Budget changes (docs/budgets.md#budget-changes) answer to the approval commands and buttons by their `bch_` id:
 * `approve`, `reject`, `approval`, `cancel` and the Approve / Reject / Details buttons of their cards go to the
 * budget change service, everything else to the approvals of actions; `approvals` lists both.
 */
export function routeBudgetChangeCommands(
  actions: ApprovalCommandRunner,
  changes: BudgetChangeService,
  nameOf: NameOf,
): ApprovalCommandRunner {
  return async (command, turn, scope) => {
    const who = {
      platform: turn.location.platform,
      id: turn.user.id,
      ...(turn.user.name ? { name: turn.user.name } : {}),
    };
    switch (command.kind) {
      case 'vote':
        if (!isBudgetChangeId(command.id)) break;
        return changes.vote({
          approvalId: command.id,
          voter: who,
          decision: command.decision,
          ...(command.reason ? { reason: command.reason } : {}),
        });
      case 'approval':
        if (isBudgetChangeId(command.id)) return changes.show(command.id, scope);
        break;
      case 'cancel':
        if (isBudgetChangeId(command.id)) return changes.cancel(command.id, who);
        break;
      case 'approvals':
        return withBudgetChanges(await actions(command, turn, scope), await changes.pending(scope), nameOf);
    }
    return actions(command, turn, scope);
  };
}

/** The Approve / Reject / Details buttons of a budget change's card reach the budget change service. */
export function routeBudgetChangeInteractions(
  actions: ApprovalInteractions | null,
  changes: BudgetChangeService,
): ApprovalInteractions {
  const pick = (id: string) => (isBudgetChangeId(id) || !actions ? changes : actions);
  return {
    vote: (input) => pick(input.approvalId).vote(input),
    checkVoter: (id, voter) => pick(id).checkVoter(id, voter),
    details: (id, viewer) => pick(id).details(id, viewer),
  };
}

/**
 * `approvals` with the pending budget changes after the actions' approvals. Where approvals of actions are not
 * available (no AWS), the budget changes alone, with that answer's reason as context.
 */
function withBudgetChanges(actions: Reply, changes: BudgetChange[], nameOf: NameOf): Reply {
  if (changes.length === 0) return actions;
  const listed = Array.isArray(actions.data?.approvals) ? (actions.data.approvals as unknown[]) : null;
  const items = changes.slice(0, 15).map((c) => budgetChangeItem(c, nameOf));
  const text = `${changes.length} budget ${changes.length === 1 ? 'change' : 'changes'} waiting for a decision`;
  return {
    kind: 'answer',
    title: 'Pending approvals',
    text:
      listed && listed.length > 0
        ? `${actions.text ?? ''}\n${text}.`
        : `${text}. Vote with the buttons on each request, or \`approve <id>\` / \`reject <id> because <reason>\`.`,
    items: [...(listed ? (actions.items ?? []) : []), ...items],
    ...(listed ? {} : { context: [`Approvals of actions: ${actions.text ?? actions.title}`] }),
    data: { ...(actions.data ?? {}), approvals: listed ?? [], budgetChanges: changes.map(budgetChangeData) },
    visibility: 'channel',
  };
}
