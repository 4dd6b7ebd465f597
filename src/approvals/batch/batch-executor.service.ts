import { describeWindows, type Guardrails } from '../../actions/guardrails.js';
import type { Clock } from '../../shared/clock.js';
import type { Approval } from '../approval.types.js';
import type { Auditor } from '../approval-events.js';
import type { ApprovalMessages } from '../approval-messages.service.js';
import type { ApprovalOutcomes } from '../approval-outcomes.service.js';
import type { ApprovalRepository } from '../approval-repository.port.js';
import { changeApproval } from '../approval-store.js';
import { scheduleOnApproval } from '../execution/execution-schedule.js';
import type { ExecuteResult, ExecutorService } from '../execution/executor.service.js';
import { type BatchItemResult, itemApprovalId, skippedReason, summaryOf } from './batch.types.js';

export interface BatchExecutorDeps {
  approvals: ApprovalRepository;
  /** Executes one item's approval, re-checked, recorded and undoable as a single action. */
  executor: Pick<ExecutorService, 'execute'>;
  guardrails: Guardrails;
  messages: ApprovalMessages;
  outcomes: ApprovalOutcomes;
  audit: Auditor;
  clock: Clock;
}

/**
 * The `execute` job's entry (docs/architecture.md#batches): a single approval goes to the `ExecutorService`; a batch
 * approval waits for a change window as a single one does (rescheduled, still APPROVED and cancellable), then becomes
 * EXECUTING and runs its items one by one. Each item is an approval of its own (`<batch id>-<n>`, `batchOf`), created
 * APPROVED by the batch's votes and executed by the `ExecutorService`, so it is re-checked (gone, changed, protected,
 * the daily limit per account, which counts every item), dry-run, recorded for undo and resumed as a single action
 * is. A failure or refusal of one item is its result and the next item runs. Each result is kept on the batch; a job
 * that runs again (a crash, the reconciler) skips the items with a result, so none is repeated. At the end the batch is
 * SUCCEEDED when any item succeeded (else FAILED) and the thread and the requester get the summary.
 */
export class BatchExecutor {
  constructor(private readonly deps: BatchExecutorDeps) {}

  async execute(approvalId: string, options: { finalAttempt: boolean }): Promise<ExecuteResult> {
    const approval = await this.deps.approvals.get(approvalId);
    if (!approval?.batch) return this.deps.executor.execute(approvalId, options);
    const at = this.deps.clock.now();
    const started = await this.start(approvalId, at);
    if (!started || 'rescheduled' in started) return started ?? 'NOOP';
    const items = started.batch?.items ?? [];
    for (let index = 0; index < items.length; index++) {
      const itemId = itemApprovalId(approvalId, index);
      if (started.batch?.results?.some((r) => r.approvalId === itemId)) continue;
      await this.ensureItem(started, index);
      // Throttling and a failed store end the job here (retried, or resumed by the reconciler), items done kept.
      const outcome = await this.deps.executor.execute(itemId, options);
      if (typeof outcome === 'object') return outcome;
      await this.record(approvalId, await this.resultOf(itemId, items[index]!.target.resourceId));
    }
    return this.finish(approvalId);
  }

  /** APPROVED → EXECUTING inside a change window (outside, rescheduled for the next); EXECUTING again is resumed. */
  private async start(id: string, at: Date): Promise<Approval | { rescheduled: string; delayMs: number } | null> {
    const now = at.toISOString();
    const { written, result } = await changeApproval<Approval | 'rescheduled' | null>(this.deps.approvals, id, (a) => {
      if (!a?.batch) return { result: null };
      if (a.state === 'EXECUTING') return { result: a };
      if (a.state !== 'APPROVED') return { result: null };
      const wait = scheduleOnApproval(this.deps.guardrails, at);
      if (wait.scheduledFor)
        return wait.scheduledFor === a.scheduledFor
          ? { result: 'rescheduled' }
          : { write: { ...a, ...wait, updatedAt: now }, result: 'rescheduled' };
      const batch = { ...a.batch, startedAt: now };
      return { write: { ...a, state: 'EXECUTING', updatedAt: now, batch }, result: null };
    });
    if (result === 'rescheduled') return this.rescheduled(id, written, at);
    const running = written ?? result;
    if (!running) return null;
    await this.deps.audit({
      kind: 'execution',
      event: written ? 'execution.started' : 'execution.resumed',
      approvalId: id,
      actor: 'tally',
      what: `${written ? 'started' : 'resumed'}: ${running.action.summary}, one item at a time`,
      data: { items: running.batch?.items.length ?? 0, done: running.batch?.results?.length ?? 0 },
    });
    await this.deps.outcomes.refresh(id);
    return running;
  }

  /** Outside every change window: the batch waits for the next one; a new time is audited and told in the thread. */
  private async rescheduled(id: string, written: Approval | null, at: Date) {
    const approval = written ?? (await this.deps.approvals.get(id));
    if (!approval?.scheduledFor) return null;
    if (written) {
      await this.deps.audit({
        kind: 'execution',
        event: 'execution.rescheduled',
        approvalId: id,
        actor: 'tally',
        what: `outside the change windows (${describeWindows(this.deps.guardrails)}): rescheduled for ${approval.scheduledFor.slice(0, 16).replace('T', ' ')} UTC`,
      });
      await this.deps.outcomes.refresh(id);
      await this.deps.messages.note(
        written,
        `Outside the change windows now: rescheduled for ${this.deps.messages.scheduleText(written)}`,
      );
    }
    return {
      rescheduled: approval.scheduledFor,
      delayMs: Math.max(0, Date.parse(approval.scheduledFor) - at.getTime()),
    };
  }

  /** The item's own approval, APPROVED by the batch's votes; created once (a resumed job finds it). */
  private async ensureItem(batch: Approval, index: number): Promise<void> {
    const id = itemApprovalId(batch.id, index);
    if (await this.deps.approvals.get(id)) return;
    const now = this.deps.clock.now().toISOString();
    const item: Approval = {
      id,
      version: 1,
      state: 'APPROVED',
      action: batch.batch!.items[index]!,
      reason: batch.reason,
      requester: batch.requester,
      rule: batch.rule,
      tier: batch.tier,
      votes: batch.votes,
      origin: batch.origin,
      messages: [],
      createdAt: now,
      updatedAt: now,
      expiresAt: batch.expiresAt,
      ...(batch.decidedAt ? { decidedAt: batch.decidedAt } : {}),
      decision: { by: batch.decision?.by ?? 'tally', reason: `approved as item ${index + 1} of ${batch.id}` },
      batchOf: batch.id,
    };
    try {
      await this.deps.approvals.create(item);
    } catch (err) {
      // Created by a job that ran at the same time: fine; anything else is a store failure.
      if (!(await this.deps.approvals.get(id))) throw err;
    }
  }

  /** What became of an item, from its approval. */
  private async resultOf(itemId: string, resourceId: string): Promise<BatchItemResult> {
    const item = await this.deps.approvals.get(itemId);
    const reason = item?.execution?.reason;
    if (item?.state === 'SUCCEEDED') return { resourceId, approvalId: itemId, outcome: 'SUCCEEDED' };
    if (item?.state === 'FAILED')
      return {
        resourceId,
        approvalId: itemId,
        outcome: skippedReason(reason) ? 'SKIPPED' : 'FAILED',
        reason: (reason ?? 'unknown reason').replace(/^Not touched: /, ''),
      };
    return { resourceId, approvalId: itemId, outcome: 'SKIPPED', reason: `found ${item?.state ?? 'missing'}` };
  }

  /** Keeps an item's result on the batch (once), audits it and shows it on the message. */
  private async record(id: string, result: BatchItemResult): Promise<void> {
    await changeApproval(this.deps.approvals, id, (a) => {
      if (!a?.batch || a.batch.results?.some((r) => r.approvalId === result.approvalId)) return { result: null };
      const results = [...(a.batch.results ?? []), result];
      return { write: { ...a, batch: { ...a.batch, results } }, result: null };
    });
    await this.deps.audit({
      kind: 'execution',
      event: 'execution.step',
      approvalId: id,
      actor: 'tally',
      what: `${result.resourceId} (${result.approvalId}): ${result.outcome.toLowerCase()}${result.reason ? `: ${result.reason}` : ''}`,
    });
    await this.deps.outcomes.refresh(id);
  }

  private async finish(id: string): Promise<ExecuteResult> {
    const now = this.deps.clock.now().toISOString();
    const { written } = await changeApproval(this.deps.approvals, id, (a) => {
      if (a?.state !== 'EXECUTING' || !a.batch) return { result: null };
      const results = a.batch.results ?? [];
      const state = results.some((r) => r.outcome === 'SUCCEEDED') ? 'SUCCEEDED' : 'FAILED';
      const batch = { ...a.batch, finishedAt: now, summary: summaryOf(results) };
      return { write: { ...a, state, updatedAt: now, batch }, result: null };
    });
    if (!written?.batch) return 'NOOP';
    const text = summaryText(written);
    const outcome = written.state === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED';
    await this.deps.audit({
      kind: 'execution',
      event: outcome === 'SUCCEEDED' ? 'execution.succeeded' : 'execution.failed',
      approvalId: id,
      actor: 'tally',
      what: `${outcome.toLowerCase()}: ${written.action.summary}: ${written.batch.summary}`,
      why: text,
    });
    await this.deps.outcomes.refresh(id);
    await this.deps.messages.note(written, text);
    await this.deps.outcomes.tellRequester(written);
    return outcome;
  }
}

/** The batch's summary message: the counts, then each item that failed or was skipped, with why. */
function summaryText(batch: Approval): string {
  const results = batch.batch?.results ?? [];
  const lines = results
    .filter((r) => r.outcome !== 'SUCCEEDED')
    .map((r) => `${r.outcome === 'FAILED' ? 'Failed' : 'Skipped'} ${r.resourceId}: ${r.reason ?? ''}`);
  return [`Batch done: ${summaryOf(results)}.`, ...lines].join('\n');
}
