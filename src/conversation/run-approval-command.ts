import type { ApprovalService } from '../approvals/approval.service.js';
import type { Identity } from '../approvals/approval.types.js';
import { notice } from '../approvals/approval-list-reply.js';
import type { BatchProposals } from '../approvals/batch/batch-proposal.service.js';
import { type SavingsService, savingsReply } from '../approvals/savings.service.js';
import type { ApprovalCommand } from '../commands/command.types.js';
import type { ViewScope } from '../costs/view-scope.js';
import type { Clock } from '../shared/clock.js';
import { dayOf } from '../shared/day.js';
import type { Reply } from '../shared/reply.types.js';
import type { RecommendationCommandService } from './run-recommendation-command.js';

/** The parts behind the approval commands; null when this installation cannot offer them, with the reason. */
export interface ApprovalFeatures {
  approvals: ApprovalService | null;
  /** `recommendations`, `dismiss`, `snooze`, `undismiss`. */
  recommendations: RecommendationCommandService | null;
  savings: SavingsService | null;
  /** `undo <id>` (docs/architecture.md#undo); absent or null where approvals are not available. */
  undo?: { undo(approvalId: string, by: Identity, resourceId?: string): Promise<Reply> } | null;
  /** `propose stop all idle instances in account … because …` (docs/architecture.md#batches); absent: not offered. */
  batches?: Pick<BatchProposals, 'propose'> | null;
  /** Said when a feature is missing, e.g. "Approvals need Redis (REDIS_URL) and AWS credentials". */
  unavailable: string;
}

/**
 * Who runs an approval command, and where: the parts of the chat core's turn that the approval commands use (a turn
 * is one).
 */
export interface ApprovalCommandCaller {
  user: { id: string; name?: string };
  location: { platform: Identity['platform']; channel?: string; thread?: string };
}

/** The caller as an approval identity. */
function identityOf(turn: ApprovalCommandCaller): Identity {
  return { platform: turn.location.platform, id: turn.user.id, ...(turn.user.name ? { name: turn.user.name } : {}) };
}

/** Runs the approval commands of the command language for the person of the turn. */
export class ApprovalCommandService {
  constructor(
    private readonly features: ApprovalFeatures,
    private readonly clock: Clock,
  ) {}

  async run(command: ApprovalCommand, turn: ApprovalCommandCaller, scope?: ViewScope): Promise<Reply> {
    const { approvals, recommendations, savings, unavailable } = this.features;
    const who = identityOf(turn);
    if (command.kind === 'recommendations' || command.kind === 'dismiss' || command.kind === 'undismiss') {
      if (!recommendations) return notice('Recommendations are not available', unavailable);
      return recommendations.run(command, turn, scope);
    }
    if (command.kind === 'savings') {
      if (!savings) return notice('The savings ledger is not available', unavailable);
      return savingsReply(await savings.ledger(scope), dayOf(this.clock.now()));
    }
    if (!approvals) return notice('Approvals are not available', unavailable);
    const origin = {
      platform: turn.location.platform,
      ...(turn.location.channel ? { channel: turn.location.channel } : {}),
      ...(turn.location.thread ? { thread: turn.location.thread } : {}),
    };
    switch (command.kind) {
      case 'propose_batch':
        if (!this.features.batches) return notice('Batches are not available', unavailable);
        return this.features.batches.propose({
          requester: who,
          origin,
          kind: command.action,
          accountId: command.accountId,
          ...(command.region ? { region: command.region } : {}),
          reason: command.reason,
          ...(command.viaAgent ? { viaAgent: true } : {}),
          ...(scope ? { scope } : {}),
        });
      case 'propose':
        return approvals.propose({
          requester: who,
          origin,
          kind: command.action,
          resourceId: command.resourceId,
          region: command.region,
          ...(command.accountId ? { accountId: command.accountId } : {}),
          ...(command.instanceType ? { instanceType: command.instanceType } : {}),
          reason: command.reason,
          ...(command.viaAgent ? { viaAgent: true } : {}),
          ...(scope ? { scope } : {}),
        });
      case 'approvals':
        return approvals.pending(scope);
      case 'approval':
        return approvals.show(command.id, scope);
      case 'vote':
        return approvals.vote({
          approvalId: command.id,
          voter: who,
          decision: command.decision,
          ...(command.reason ? { reason: command.reason } : {}),
        });
      case 'cancel':
        return approvals.cancel(command.id, who);
      case 'undo':
        return this.features.undo
          ? this.features.undo.undo(command.id, who, command.resourceId)
          : notice('Undo is not available', unavailable);
    }
  }
}
