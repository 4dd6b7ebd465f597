import type { Identity } from '../approvals/approval.types.js';
import { auditor } from '../approvals/approval-events.js';
import type { ApprovalTimers } from '../approvals/approval-jobs.port.js';
import type { ApprovalPolicy, RiskRule } from '../approvals/approval-policy.types.js';
import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import type { AuditLog } from '../audit/audit.types.js';
import type { BudgetService } from '../budgets/budget.service.js';
import type { BudgetRepository } from '../budgets/budget.types.js';
import { BudgetChangeService } from '../budgets/budget-change.service.js';
import { BudgetChangeMessages } from '../budgets/budget-change-messages.js';
import { BudgetChangeOutcomes } from '../budgets/budget-change-outcomes.js';
import type { BudgetChangeRepository } from '../budgets/budget-change-repository.port.js';
import { BudgetChangeTimers } from '../budgets/budget-change-timers.js';
import { BudgetChangeVotes } from '../budgets/budget-change-votes.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.port.js';

/** What budget changes approved in chat are built from (docs/budgets.md#budget-changes). */
export interface BudgetChangeOptions {
  budgets: BudgetService;
  /** Where an approved change is saved (a policy-file budget's as an override under its name). */
  budgetStore: BudgetRepository;
  changes: BudgetChangeRepository;
  /** `budgets.changes` of the policy file. */
  rule: RiskRule | undefined;
}

/** The budget change services of one process, and the timers the approval-timer worker fires for `bch_` ids. */
export interface BudgetChanges {
  service: BudgetChangeService;
  timers: BudgetChangeTimers;
  nameOf: (person: string) => string;
}

/** Wires the budget change services on the approval timer queue and the chat messengers. */
export function createBudgetChanges(
  options: BudgetChangeOptions,
  shared: {
    policy: ApprovalPolicy;
    timers: ApprovalTimers;
    messengers: ChatMessenger[];
    auditLog: AuditLog;
    clock: Clock;
    logger: Logger;
    viewerScope?: (viewer: Identity) => Promise<ViewScope | undefined>;
  },
): BudgetChanges {
  const { policy, timers, messengers, auditLog, clock, logger } = shared;
  const audit = auditor(auditLog, clock);
  const messages = new BudgetChangeMessages({ messengers, policy, audit: auditLog, clock, logger });
  const outcomes = new BudgetChangeOutcomes({
    changes: options.changes,
    budgets: options.budgetStore,
    budgetOf: (name) => options.budgets.get(name),
    timers,
    messages,
    audit,
    clock,
  });
  const votes = new BudgetChangeVotes({ changes: options.changes, policy, messages, outcomes, audit, clock });
  const changeTimers = new BudgetChangeTimers({
    changes: options.changes,
    policy,
    timers,
    messages,
    outcomes,
    audit,
    clock,
  });
  const service = new BudgetChangeService({
    changes: options.changes,
    budgets: options.budgets,
    policy,
    rule: options.rule,
    messages,
    votes,
    timers: changeTimers,
    outcomes,
    audit,
    auditLog,
    clock,
    ...(shared.viewerScope ? { viewerScope: shared.viewerScope } : {}),
  });
  return { service, timers: changeTimers, nameOf: messages.nameOf };
}
