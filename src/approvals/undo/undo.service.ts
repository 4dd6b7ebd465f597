import type { ResourceFacts } from '../../actions/action.types.js';
import type { Clock } from '../../shared/clock.js';
import { TallyError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.port.js';
import type { Reply } from '../../shared/reply.types.js';
import type { Actor, Approval, Identity } from '../approval.types.js';
import type { Auditor } from '../approval-events.js';
import { notice } from '../approval-list-reply.js';
import type { ApprovalMessages } from '../approval-messages.service.js';
import type { ApprovalOutcomes } from '../approval-outcomes.service.js';
import type { ApprovalPolicy } from '../approval-policy.types.js';
import type { ApprovalRepository } from '../approval-repository.port.js';
import { changeApproval } from '../approval-store.js';
import { eligibleVoters, isRequester, personOf, tierEntries } from '../approvers.js';
import type { CloudActions } from '../execution/cloud-actions.port.js';
import { DEFAULT_UNDO_POLICY, type UndoRecord } from './undo.types.js';
import type { UndoCloud } from './undo-cloud.port.js';
import { describePlan, planUndo } from './undo-plan.js';
import { performUndo } from './undo-steps.js';

const DAY_MS = 86_400_000;
/** An undo left UNDOING this long (its process died) may be started again. */
const STALE_UNDO_MS = 30 * 60_000;

export interface UndoServiceDeps {
  approvals: ApprovalRepository;
  policy: ApprovalPolicy;
  cloud: CloudActions;
  undoCloud: UndoCloud;
  messages: ApprovalMessages;
  outcomes: ApprovalOutcomes;
  audit: Auditor;
  clock: Clock;
  logger: Logger;
  /** `TALLY_UNDO_DAYS`: how long after the execution an undo is allowed; 0: never. */
  undoDays: number;
}

/**
 * Undo of executed actions (docs/architecture.md#undo). Before an action runs, the executor has `record` keep how to
 * reverse it on the approval; `undo <id>` (or the Undo button) reverses it within `TALLY_UNDO_DAYS`, when asked by
 * whom the policy's `approvals.undo` allows (by default the requester or any approver, alone). Every request, refusal
 * and step is audited.
 */
export class UndoService {
  constructor(private readonly deps: UndoServiceDeps) {}

  /**
   * Records how to reverse the approval's action from the resource as it is now, before the action changes it. The
   * first record stays: a resumed execution, which may find the resource already changed, records nothing.
   */
  async record(approval: Approval, current: ResourceFacts | null): Promise<void> {
    if (approval.undo) return;
    const plan = await planUndo(approval, current, this.deps.undoCloud);
    const at = this.deps.clock.now();
    const record: UndoRecord = {
      plan,
      recordedAt: at.toISOString(),
      until: new Date(at.getTime() + this.deps.undoDays * DAY_MS).toISOString(),
      requestedBy: [],
      steps: [],
    };
    const { written } = await changeApproval(this.deps.approvals, approval.id, (a) =>
      a && a.state === 'EXECUTING' && !a.undo ? { write: { ...a, undo: record }, result: null } : { result: null },
    );
    if (written)
      await this.deps.audit({
        kind: 'execution',
        event: 'undo.recorded',
        approvalId: approval.id,
        actor: 'tally',
        what: `undo recorded before acting: ${describePlan(approval, plan)}`,
        data: { plan: plan.kind },
      });
  }

  /** `undo <id>` or the Undo button, by `by`. The reply is for the person who asked. */
  async undo(approvalId: string, by: Identity): Promise<Reply> {
    const person = personOf(this.deps.policy, by);
    const approval = await this.deps.approvals.get(approvalId);
    if (!approval) return notice('Not found', `There is no approval ${approvalId}.`);
    const refusal = await this.refusal(approval, person);
    if (refusal) {
      await this.deps.audit({
        kind: 'execution',
        event: 'undo.refused',
        approvalId,
        actor: person,
        what: `undo refused: ${approval.action.summary}`,
        why: refusal,
      });
      return notice('Not undone', refusal, { id: approvalId, undone: false });
    }
    const asked = await this.ask(approvalId, { person, via: by });
    if (typeof asked === 'string') return notice('Not undone', asked, { id: approvalId, undone: false });
    const quorum = this.policy().quorum;
    const count = asked.undo?.requestedBy.length ?? 0;
    if (asked.undo?.state === 'REQUESTED') {
      const more = quorum - count;
      await this.deps.messages.note(
        asked,
        `${this.deps.messages.nameOf(person)} asked to undo; ${more} more needed (\`undo ${approvalId}\`)`,
      );
      return notice(
        'Undo requested',
        `Undo of ${approvalId} needs ${quorum} people; ${more} more must ask (\`undo ${approvalId}\`).`,
        { id: approvalId, undone: false, requested: count, quorum },
      );
    }
    return this.run(asked, person);
  }

  private policy() {
    return this.deps.policy.undo ?? DEFAULT_UNDO_POLICY;
  }

  /** Why `person` may not undo this approval now; null when they may. */
  private async refusal(approval: Approval, person: string): Promise<string | null> {
    const { undoDays } = this.deps;
    if (undoDays === 0) return 'Undo is turned off here (TALLY_UNDO_DAYS=0).';
    if (approval.state !== 'SUCCEEDED')
      return `Only an executed action can be undone; ${approval.id} is ${approval.state}.`;
    const undo = approval.undo;
    if (!undo) return `${approval.id} was executed before Tally recorded how to undo it.`;
    if (undo.plan.kind === 'none') return `This action cannot be undone: ${undo.plan.reason}.`;
    if (undo.state === 'UNDONE') return `${approval.id} was already undone (${undo.finishedAt?.slice(0, 16)} UTC).`;
    const now = this.deps.clock.now();
    const until = undo.until ?? new Date(Date.parse(undo.recordedAt) + undoDays * DAY_MS).toISOString();
    if (now.toISOString() > until) {
      const days = Math.floor((now.getTime() - Date.parse(undo.recordedAt)) / DAY_MS);
      return `Too late: undo was possible until ${until.slice(0, 16).replace('T', ' ')} UTC, ${undoDays} days after the execution (TALLY_UNDO_DAYS); it ran ${days} days ago.`;
    }
    if (!(await this.mayUndo(approval, person)))
      return `You may not undo ${approval.id}: ${this.whoMayText()} (approvals.undo in the policy file).`;
    return null;
  }

  /** Whether the person is among `approvals.undo.by`: the requester, an approver of this approval, or an entry. */
  private async mayUndo(approval: Approval, person: string): Promise<boolean> {
    const { by } = this.policy();
    if (by.includes('requester') && isRequester(this.deps.policy, approval.requester, person)) return true;
    const entries = by.filter((e) => e !== 'requester' && e !== 'approvers');
    if (by.includes('approvers')) entries.push(...tierEntries(approval.rule, approval.tier));
    const groupMembers = (platform: 'slack' | 'teams', id: string) => this.deps.messages.groupMembers(platform, id);
    return (await eligibleVoters(this.deps.policy, entries, groupMembers)).has(person);
  }

  private whoMayText(): string {
    const words: Record<string, string> = { requester: 'the requester', approvers: 'its approvers' };
    return `it may be undone by ${this.policy()
      .by.map((e) => words[e] ?? this.deps.messages.nameOf(e))
      .join(', ')}`;
  }

  /**
   * Adds the asker (once per person) and, when the quorum is reached, claims the undo (UNDOING). Returns the approval
   * written, or why nothing was done.
   */
  private async ask(approvalId: string, actor: Actor): Promise<Approval | string> {
    const now = this.deps.clock.now();
    const quorum = this.policy().quorum;
    const { written, result } = await changeApproval<string | null>(this.deps.approvals, approvalId, (a) => {
      const undo = a?.undo;
      if (!a || !undo) return { result: 'There is nothing to undo.' };
      if (undo.state === 'UNDONE') return { result: `${approvalId} was already undone.` };
      if (undo.state === 'UNDOING' && now.getTime() - Date.parse(undo.startedAt ?? '') < STALE_UNDO_MS)
        return { result: `The undo of ${approvalId} is under way.` };
      const already = undo.requestedBy.includes(actor.person);
      if (already && undo.state === 'REQUESTED') return { result: 'You already asked for this undo.' };
      const requestedBy = already ? undo.requestedBy : [...undo.requestedBy, actor.person];
      const ready = requestedBy.length >= quorum;
      const next: UndoRecord = ready
        ? { ...undo, requestedBy, state: 'UNDOING', startedAt: now.toISOString() }
        : { ...undo, requestedBy, state: 'REQUESTED' };
      return { write: { ...a, undo: next, updatedAt: now.toISOString() }, result: null };
    });
    if (!written) return result ?? 'Nothing changed.';
    await this.deps.audit({
      kind: 'execution',
      event: written.undo?.state === 'UNDOING' ? 'undo.started' : 'undo.requested',
      approvalId,
      actor: actor.person,
      what: `${this.deps.messages.nameOf(actor.person)} asked to undo: ${describePlan(written, written.undo!.plan)}`,
      data: { requested: written.undo?.requestedBy.length ?? 0, quorum },
    });
    return written;
  }

  /** Runs the undo's steps (each audited, and kept on the approval), then records how it ended and tells the thread. */
  private async run(approval: Approval, person: string): Promise<Reply> {
    const id = approval.id;
    const undo = approval.undo!;
    const record = {
      intent: (what: string) =>
        this.deps.audit({ kind: 'execution', event: 'undo.intent', approvalId: id, actor: 'tally', what }),
      done: async (step: string) => {
        await changeApproval(this.deps.approvals, id, (a) =>
          a?.undo
            ? { write: { ...a, undo: { ...a.undo, steps: [...a.undo.steps, step] } }, result: null }
            : { result: null },
        );
        await this.deps.audit({ kind: 'execution', event: 'undo.step', approvalId: id, actor: 'tally', what: step });
      },
    };
    let reason: string | undefined;
    let createdId: string | undefined;
    try {
      ({ createdId } = await performUndo(
        approval,
        undo.plan,
        { actions: this.deps.cloud, undo: this.deps.undoCloud },
        record,
      ));
    } catch (err) {
      this.deps.logger.warn({ err, approvalId: id }, 'undo failed');
      const code = err instanceof TallyError ? err.code : 'INTERNAL';
      reason = `${code}: ${err instanceof Error ? err.message : String(err)}`;
    }
    const now = this.deps.clock.now().toISOString();
    const failed = reason !== undefined;
    const { written } = await changeApproval(this.deps.approvals, id, (a) => {
      if (!a?.undo) return { result: null };
      const next: UndoRecord = {
        ...a.undo,
        state: failed ? 'FAILED' : 'UNDONE',
        finishedAt: now,
        ...(reason ? { reason } : {}),
        ...(createdId ? { createdId } : {}),
      };
      return { write: { ...a, undo: next, updatedAt: now }, result: null };
    });
    const what = describePlan(approval, undo.plan);
    await this.deps.audit({
      kind: 'execution',
      event: failed ? 'undo.failed' : 'undo.succeeded',
      approvalId: id,
      actor: person,
      what: `${failed ? 'undo failed' : 'undone'}: ${what}`,
      ...(reason ? { why: reason } : {}),
      ...(createdId ? { data: { created: createdId } } : {}),
    });
    await this.deps.outcomes.refresh(id);
    const steps = written?.undo?.steps ?? [];
    const text = failed
      ? `Undo failed: ${reason}`
      : `Undone by ${this.deps.messages.nameOf(person)}: ${what}${steps.length ? ` (${steps.join(', ')})` : ''}`;
    await this.deps.messages.note(written ?? approval, text);
    return notice(failed ? 'Undo failed' : `Approval ${id} undone`, text, {
      id,
      undone: !failed,
      ...(reason ? { reason } : {}),
      ...(createdId ? { created: createdId } : {}),
    });
  }
}
