import type { Logger } from '../../shared/logger.port.js';
import type { Reply } from '../../shared/reply.types.js';
import type { Approval } from '../approval.types.js';
import type { Auditor } from '../approval-events.js';
import type { ApprovalMessages } from '../approval-messages.service.js';
import type { ApprovalRepository } from '../approval-repository.port.js';
import type { ExecutionJobs } from './execution-jobs.port.js';

export interface ExecutionReconcilerDeps {
  approvals: ApprovalRepository;
  jobs: ExecutionJobs;
  messages: Pick<ApprovalMessages, 'note' | 'direct'>;
  audit: Auditor;
  logger: Logger;
}

/** What one pass did: the approvals whose execution was resumed, and the approved ones given their job. */
export interface ReconcileResult {
  resumed: string[];
  enqueued: string[];
}

/** Approvals a pass looks at, per state. */
const PASS_LIMIT = 10_000;

/**
 * Finds executions left half-done (docs/architecture.md#execution): an approval EXECUTING or APPROVED whose execute job
 * is gone (failed after the store went away, removed, or never added because the process died in between). Each gets
 * its job again; the executor resumes an EXECUTING one from its recorded steps and the resource's real state, so the
 * cloud is changed once. The requester of an interrupted execution is told that it resumes (and, by the executor, how
 * it ended). Runs at worker start-up and on a schedule; running it twice, or in two processes, enqueues one job.
 */
export class ExecutionReconciler {
  constructor(private readonly deps: ExecutionReconcilerDeps) {}

  async reconcile(): Promise<ReconcileResult> {
    const result: ReconcileResult = { resumed: [], enqueued: [] };
    const found = await this.deps.approvals.list({ states: ['EXECUTING', 'APPROVED'], limit: PASS_LIMIT });
    for (const approval of found) {
      // An item of a batch runs in its batch's job, which the batch's own pass resumes (docs/architecture.md#batches).
      if (approval.batchOf) continue;
      if (await this.deps.jobs.pending(approval.id)) continue;
      // The job may have just finished the approval: decide on the state read after the job's.
      const latest = await this.deps.approvals.get(approval.id);
      if (!latest || (latest.state !== 'EXECUTING' && latest.state !== 'APPROVED')) continue;
      if (latest.state === 'APPROVED') {
        await this.deps.jobs.requeue(latest.id);
        result.enqueued.push(latest.id);
        continue;
      }
      await this.resume(latest);
      result.resumed.push(latest.id);
    }
    if (result.resumed.length || result.enqueued.length) this.deps.logger.info({ ...result }, 'executions reconciled');
    return result;
  }

  private async resume(approval: Approval): Promise<void> {
    const steps = approval.execution?.steps ?? [];
    const done = steps.length ? steps.join(', ') : 'none';
    await this.deps.audit({
      kind: 'execution',
      event: 'execution.reconciled',
      approvalId: approval.id,
      actor: 'tally',
      what: `execution found interrupted with no job; resuming (steps done: ${done})`,
    });
    await this.deps.jobs.requeue(approval.id);
    const text = `The execution of ${approval.action.summary} was interrupted; Tally is resuming it from the steps done (${done}) and the resource's current state.`;
    await this.deps.messages.note(approval, text);
    const reply: Reply = {
      kind: 'notice',
      title: `Resuming ${approval.id}`,
      text,
      data: { id: approval.id, state: approval.state, resuming: true },
      visibility: 'channel',
    };
    await this.deps.messages.direct(approval, approval.requester.person, reply);
  }
}
