import type { ResourceFacts, RollbackInfo } from '../../actions/action.types.js';
import { describeWindows, type Guardrails } from '../../actions/guardrails.js';
import type { Clock } from '../../shared/clock.js';
import { TallyError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.port.js';
import type { Approval, ExecutionRecord, Verification } from '../approval.types.js';
import type { Auditor } from '../approval-events.js';
import type { ApprovalMessages } from '../approval-messages.service.js';
import type { ApprovalOutcomes } from '../approval-outcomes.service.js';
import type { ApprovalRepository } from '../approval-repository.port.js';
import { changeApproval } from '../approval-store.js';
import { performAction } from './action-steps.js';
import type { CloudActions } from './cloud-actions.port.js';
import { scheduleOnApproval } from './execution-schedule.js';
import { restoreFailedResize } from './resize-restore.js';
import { checkTarget } from './target-check.js';

/**
 * What one run of the execute job did. `rescheduled`: it came outside every change window (the window changed, or the
 * job ran early) and waits `delayMs` for the next one, the approval still APPROVED; the job is delayed, not failed.
 */
export type ExecuteResult = 'SUCCEEDED' | 'FAILED' | 'NOOP' | { rescheduled: string; delayMs: number };

export interface ExecutorDeps {
  approvals: ApprovalRepository;
  cloud: CloudActions;
  guardrails: Guardrails;
  messages: ApprovalMessages;
  outcomes: ApprovalOutcomes;
  audit: Auditor;
  clock: Clock;
  logger: Logger;
  /** Records how to reverse each action before it runs (docs/architecture.md#undo); absent, no undo is offered. */
  undo?: { record(approval: Approval, current: ResourceFacts | null): Promise<void> };
  /** Confirms the new state after the action (docs/architecture.md#after-the-action); absent, none is checked. */
  postCheck?: { verify(approval: Approval, rollback: RollbackInfo): Promise<Verification> };
}

/**
 * Carries out one approved action (docs/architecture.md#execution): re-read the approval, re-validate the target and
 * the guardrails (outside every change window it is rescheduled for the next one, not failed), DryRun, act, record the result and the rollback information, check the new state
 * (`postCheck`: SUCCEEDED either way, with the check's finding on the approval), update the messages and tell the requester.
 *
 * Idempotent: a job that runs twice (a duplicate, or a recovered job of a crashed worker) finds the approval
 * EXECUTING or finished. EXECUTING resumes from the recorded steps and the resource's actual state, so the cloud is
 * changed once. Only throttling is retried (the job throws `CLOUD_THROTTLED`). A store failure (`STORE_UNAVAILABLE`)
 * leaves the approval EXECUTING for the reconciler to resume once the store is back; every other failure ends FAILED.
 * Each cloud call's intent is audited before it and its step after it, so the trail shows a step in flight.
 */
export class ExecutorService {
  constructor(private readonly deps: ExecutorDeps) {}

  async execute(approvalId: string, options: { finalAttempt: boolean }): Promise<ExecuteResult> {
    const at = this.deps.clock.now();
    const started = await this.start(approvalId, at);
    if (!started) return 'NOOP';
    if ('rescheduled' in started) return started;
    const resumed = started.execution!.attempts > 1;
    try {
      const current = await this.deps.cloud.describe(started.action.target);
      const executedToday = await this.executedToday(started);
      const refusal = checkTarget(started, current, {
        guardrails: this.deps.guardrails,
        now: at,
        executedToday,
        resumed,
      });
      if (refusal) return await this.finish(started, 'FAILED', { reason: `Not touched: ${refusal}` });
      if (!resumed || started.execution!.steps.length === 0) {
        const dry = await this.deps.cloud.dryRun(started.action.kind, started.action.target, started.action.params);
        if (!dry.ok)
          return await this.finish(started, 'FAILED', { reason: `Not touched: DryRun ${dry.reason}: ${dry.message}` });
        await this.step(started.id, 'dry run permitted');
      }
      await this.deps.undo?.record(started, current);
      const rollback = await performAction(started, current, this.deps.cloud, {
        intent: (what) => this.intent(started.id, what),
        done: (step) => this.step(started.id, step),
        found: (step) => this.step(started.id, `${step} (found done when resuming)`, { record: false }),
      });
      const verification = await this.deps.postCheck?.verify(started, rollback);
      return await this.finish(started, 'SUCCEEDED', { rollback, ...(verification ? { verification } : {}) });
    } catch (err) {
      const code = err instanceof TallyError ? err.code : 'INTERNAL';
      if (code === 'STORE_UNAVAILABLE') {
        // The store failed (the cloud call may have been made): the approval stays EXECUTING, and the reconciler
        // resumes it from its steps and the resource's state once the store is back (docs/architecture.md#execution).
        this.deps.logger.error({ err, approvalId }, 'execution interrupted: the store failed');
        await this.deps
          .audit({
            kind: 'execution',
            event: 'execution.interrupted',
            approvalId,
            actor: 'tally',
            what: 'the store failed during the execution; it resumes when the store is back',
            why: err instanceof Error ? err.message : String(err),
          })
          .catch(() => undefined);
        throw err;
      }
      if (code === 'CLOUD_THROTTLED' && !options.finalAttempt) {
        await this.deps.audit({
          kind: 'execution',
          event: 'execution.throttled',
          approvalId,
          actor: 'tally',
          what: 'the cloud throttled the call; retrying later',
        });
        throw err;
      }
      this.deps.logger.error({ err, approvalId }, 'execution failed');
      const message = err instanceof Error ? err.message : String(err);
      const restored = started.action.kind === 'resize_instance' ? await this.restoreResize(approvalId) : '';
      return this.finish(started, 'FAILED', { reason: `${code}: ${message}${restored}` });
    }
  }

  /**
   * APPROVED → EXECUTING inside a change window, or EXECUTING again (resumed); APPROVED outside every window stays
   * APPROVED with the next window's start as `scheduledFor` (rescheduled); anything else is not executable.
   */
  private async start(
    approvalId: string,
    at: Date,
  ): Promise<Approval | { rescheduled: string; delayMs: number } | null> {
    const now = at.toISOString();
    const { written, result } = await changeApproval(this.deps.approvals, approvalId, (a) => {
      if (!a) return { result: 'missing' };
      if (a.state !== 'APPROVED' && a.state !== 'EXECUTING') return { result: a.state };
      const wait = a.state === 'APPROVED' ? scheduleOnApproval(this.deps.guardrails, at) : {};
      if (wait.scheduledFor)
        return wait.scheduledFor === a.scheduledFor
          ? { result: 'rescheduled' }
          : { write: { ...a, ...wait, updatedAt: now }, result: 'rescheduled' };
      const previous = a.execution;
      const execution: ExecutionRecord = previous
        ? { ...previous, attempts: previous.attempts + 1 }
        : { startedAt: now, steps: [], attempts: 1 };
      return { write: { ...a, state: 'EXECUTING', updatedAt: now, execution }, result: 'started' };
    });
    if (result === 'rescheduled') return this.rescheduled(approvalId, written, at);
    if (!written) {
      await this.deps.audit({
        kind: 'execution',
        event: 'execution.skipped',
        approvalId,
        actor: 'tally',
        what: `execution job found the approval ${result}; nothing done`,
      });
      return null;
    }
    const resumed = written.execution!.attempts > 1;
    await this.deps.audit({
      kind: 'execution',
      event: resumed ? 'execution.resumed' : 'execution.started',
      approvalId,
      actor: 'tally',
      what: `${resumed ? 'resumed' : 'started'}: ${written.action.summary}`,
      data: { attempt: written.execution!.attempts },
    });
    await this.deps.outcomes.refresh(approvalId);
    return written;
  }

  /**
   * The job came outside every change window: it waits for the next one. A new time (the windows changed) is audited,
   * noted in the thread and shown on the message; the same time again (a job that ran a moment early, or one the
   * reconciler put back) only waits.
   */
  private async rescheduled(
    approvalId: string,
    written: Approval | null,
    at: Date,
  ): Promise<{ rescheduled: string; delayMs: number } | null> {
    const approval = written ?? (await this.deps.approvals.get(approvalId));
    if (!approval?.scheduledFor) return null;
    if (written) {
      const when = this.deps.messages.scheduleText(written);
      await this.deps.audit({
        kind: 'execution',
        event: 'execution.rescheduled',
        approvalId,
        actor: 'tally',
        what: `outside the change windows (${describeWindows(this.deps.guardrails)}): rescheduled for ${written.scheduledFor?.slice(0, 16).replace('T', ' ')} UTC`,
      });
      await this.deps.outcomes.refresh(approvalId);
      await this.deps.messages.note(written, `Outside the change windows now: rescheduled for ${when}`);
    }
    return {
      rescheduled: approval.scheduledFor,
      delayMs: Math.max(0, Date.parse(approval.scheduledFor) - at.getTime()),
    };
  }

  /** A failed resize puts the instance back to its type and state (docs/architecture.md#undo); what it did, as text. */
  private async restoreResize(approvalId: string): Promise<string> {
    const approval = await this.deps.approvals.get(approvalId);
    if (!approval) return '';
    try {
      const done = await restoreFailedResize(approval, this.deps.cloud, {
        intent: (what) => this.intent(approvalId, what),
        done: (step) => this.step(approvalId, step),
      });
      return done ? `; the instance was put back (${done})` : '';
    } catch (err) {
      this.deps.logger.error({ err, approvalId }, 'a failed resize could not be put back');
      return `; putting the instance back failed too: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Before a cloud call that changes something: the audit trail shows the step in flight if the process dies. */
  private async intent(approvalId: string, what: string): Promise<void> {
    await this.deps.audit({ kind: 'execution', event: 'execution.intent', approvalId, actor: 'tally', what });
  }

  /** A step done: on the approval (what a resumed run skips) unless `record` is false, and in the audit trail. */
  private async step(approvalId: string, step: string, options: { record: boolean } = { record: true }): Promise<void> {
    if (options.record)
      await changeApproval(this.deps.approvals, approvalId, (a) =>
        a?.execution && a.state === 'EXECUTING'
          ? { write: { ...a, execution: { ...a.execution, steps: [...a.execution.steps, step] } }, result: null }
          : { result: null },
      );
    await this.deps.audit({ kind: 'execution', event: 'execution.step', approvalId, actor: 'tally', what: step });
  }

  private async finish(
    approval: Approval,
    outcome: 'SUCCEEDED' | 'FAILED',
    details: { reason?: string; rollback?: RollbackInfo; verification?: Verification },
  ): Promise<ExecuteResult> {
    const now = this.deps.clock.now().toISOString();
    const { written } = await changeApproval(this.deps.approvals, approval.id, (a) => {
      if (a?.state !== 'EXECUTING' || !a.execution) return { result: null };
      const execution: ExecutionRecord = { ...a.execution, finishedAt: now, outcome, ...details };
      return { write: { ...a, state: outcome, updatedAt: now, execution }, result: null };
    });
    if (!written) return 'NOOP';
    await this.deps.audit({
      kind: 'execution',
      event: outcome === 'SUCCEEDED' ? 'execution.succeeded' : 'execution.failed',
      approvalId: approval.id,
      actor: 'tally',
      what: `${outcome.toLowerCase()}: ${approval.action.summary}`,
      ...(details.reason ? { why: details.reason } : {}),
      ...(details.rollback ? { data: rollbackData(details.rollback) } : {}),
    });
    await this.deps.outcomes.refresh(approval.id);
    await this.deps.messages.note(
      written,
      outcome === 'SUCCEEDED'
        ? `Done: ${approval.action.summary}${unconfirmedText(details.verification)}`
        : `Failed: ${details.reason ?? ''}`,
    );
    await this.deps.outcomes.tellRequester(written);
    return outcome;
  }

  /** Actions on the same account whose execution started today (UTC), other than this one. */
  private async executedToday(approval: Approval): Promise<number> {
    const today = `${this.deps.clock.now().toISOString().slice(0, 10)}T00:00:00.000Z`;
    const list = await this.deps.approvals.list({
      accountId: approval.action.target.accountId,
      executionStartedFrom: today,
      states: ['EXECUTING', 'SUCCEEDED'],
      limit: 10_000,
    });
    return list.filter((a) => a.id !== approval.id).length;
  }
}

/** ` — not confirmed: …` when the check after the action did not find the expected state. */
function unconfirmedText(v: Verification | undefined): string {
  return v && !v.confirmed ? ` — not confirmed: ${v.reason}` : '';
}

function rollbackData(r: RollbackInfo): Record<string, string> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}
