import type { Reply } from '../../shared/reply.types.js';
import type { Identity } from '../approval.types.js';
import { notice } from '../approval-list-reply.js';
import type { ApprovalMessages } from '../approval-messages.service.js';
import type { ApprovalOutcomes } from '../approval-outcomes.service.js';
import type { ApprovalRepository } from '../approval-repository.port.js';
import { changeApproval } from '../approval-store.js';
import type { UndoService } from '../undo/undo.service.js';

export interface BatchUndoDeps {
  approvals: ApprovalRepository;
  undo: Pick<UndoService, 'undo'>;
  messages: Pick<ApprovalMessages, 'note'>;
  outcomes: Pick<ApprovalOutcomes, 'refresh'>;
}

/**
 * `undo <id>` and `undo <batch id> <resource id>` (docs/architecture.md#batches): an item of a batch is undone as the
 * single action it was executed as (`UndoService`, its own approval, the same policy and deadline); the batch's
 * message then marks it undone and its thread says so. A batch is never undone as a whole.
 */
export class BatchUndo {
  constructor(private readonly deps: BatchUndoDeps) {}

  async undo(approvalId: string, by: Identity, resourceId?: string): Promise<Reply> {
    const approval = await this.deps.approvals.get(approvalId);
    if (!approval?.batch) {
      if (approval && resourceId && approval.action.target.resourceId !== resourceId)
        return notice('Not undone', `${approvalId} acts on ${approval.action.target.resourceId}, not ${resourceId}.`, {
          id: approvalId,
          undone: false,
        });
      return this.deps.undo.undo(approvalId, by);
    }
    const results = approval.batch.results ?? [];
    if (!resourceId)
      return notice(
        'Say which item',
        `${approvalId} is a batch of ${approval.batch.items.length}: undo an item with \`undo ${approvalId} <resource id>\` (or its Undo button).`,
        { id: approvalId, undone: false, items: results.map((r) => r.resourceId) },
      );
    const item = results.find((r) => r.resourceId === resourceId && r.outcome === 'SUCCEEDED');
    if (!item)
      return notice('Not undone', `${resourceId} is not an executed item of ${approvalId}.`, {
        id: approvalId,
        undone: false,
      });
    const reply = await this.deps.undo.undo(item.approvalId, by);
    if (reply.data?.undone !== true) return reply;
    const { written } = await changeApproval(this.deps.approvals, approvalId, (a) =>
      a?.batch?.results
        ? {
            write: {
              ...a,
              batch: {
                ...a.batch,
                results: a.batch.results.map((r) => (r.approvalId === item.approvalId ? { ...r, undone: true } : r)),
              },
            },
            result: null,
          }
        : { result: null },
    );
    await this.deps.outcomes.refresh(approvalId);
    await this.deps.messages.note(
      written ?? approval,
      `${resourceId} undone (${item.approvalId}): ${reply.text ?? ''}`,
    );
    return reply;
  }
}
