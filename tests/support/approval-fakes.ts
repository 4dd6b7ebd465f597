// Hand-written fakes of the ports the approval core needs besides its stores: the approval-timer and execution queues
// (src/approvals/approval-jobs.port.ts), the cloud (src/approvals/execution/cloud-actions.port.ts), a clock that tests
// move by hand, and a chat platform that refuses everything. They implement ports only; Tally's own modules run as
// they are (docs/architecture.md#testing). The BullMQ and AWS implementations are tested in tests/integration.
import type { ActionKind, ResourceFacts, Tag, TargetRef } from '../../src/actions/action.types.js';
import type { Approval } from '../../src/approvals/approval.types.js';
import type { ApprovalTimers, ExecutionQueue, TimerKind } from '../../src/approvals/approval-jobs.port.js';
import type { ApprovalQuery, ApprovalRepository } from '../../src/approvals/approval-repository.port.js';
import type { ChatMessenger, PostedMessage } from '../../src/approvals/chat-messenger.port.js';
import type { CloudActions, DryRunOutcome } from '../../src/approvals/execution/cloud-actions.port.js';
import { type Clock, fixedClock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Reply } from '../../src/shared/reply.types.js';

/** A clock that stands still until the test moves it (built on `fixedClock`). */
export interface TestClock extends Clock {
  set(at: Date): void;
  advance(ms: number): void;
}

export function testClock(start: Date): TestClock {
  let current = fixedClock(start);
  return {
    now: () => current.now(),
    set(at) {
      current = fixedClock(at);
    },
    advance(ms) {
      current = fixedClock(new Date(current.now().getTime() + ms));
    },
  };
}

/** One armed timer, as the queue would hold it. */
export interface ArmedTimer {
  approvalId: string;
  kind: TimerKind;
  tier: number;
  delayMs: number;
  /** When it was armed, by the core's clock. */
  armedAt: number;
}

/**
 * The approval-timer queue in memory. Like the BullMQ adapter, a timer is keyed by approval, kind and tier, so arming
 * one that is pending arms nothing; `cancelAll` removes the approval's pending timers. Every call is recorded.
 */
export class RecordingApprovalTimers implements ApprovalTimers {
  /** Every `arm` call, in order (including ones that armed nothing because the timer was pending). */
  readonly armCalls: ArmedTimer[] = [];
  /** Every `cancelAll` call, in order. */
  readonly cancelCalls: { approvalId: string; tiers: number }[] = [];
  readonly #pending = new Map<string, ArmedTimer>();

  constructor(private readonly clock: Clock) {}

  static key(approvalId: string, kind: TimerKind, tier: number): string {
    return `${kind}-${approvalId}-t${tier}`;
  }

  async arm(approvalId: string, kind: TimerKind, delayMs: number, tier: number): Promise<void> {
    const timer = { approvalId, kind, tier, delayMs, armedAt: this.clock.now().getTime() };
    this.armCalls.push(timer);
    const key = RecordingApprovalTimers.key(approvalId, kind, tier);
    if (!this.#pending.has(key)) this.#pending.set(key, timer);
  }

  async cancelAll(approvalId: string, tiers: number): Promise<void> {
    this.cancelCalls.push({ approvalId, tiers });
    for (const [key, timer] of this.#pending) {
      if (timer.approvalId === approvalId && timer.tier < tiers) this.#pending.delete(key);
    }
  }

  /** The approval's pending timers, soonest due first (ties in arming order). */
  pending(approvalId: string): ArmedTimer[] {
    return [...this.#pending.values()]
      .filter((t) => t.approvalId === approvalId)
      .sort((a, b) => a.armedAt + a.delayMs - (b.armedAt + b.delayMs));
  }

  /** Takes a pending timer off the queue, as a worker does when it picks the job up; throws when it is not pending. */
  take(approvalId: string, kind: TimerKind, tier: number): ArmedTimer {
    const key = RecordingApprovalTimers.key(approvalId, kind, tier);
    const timer = this.#pending.get(key);
    if (!timer) throw new Error(`no pending timer ${key}; pending: ${[...this.#pending.keys()].join(', ') || 'none'}`);
    this.#pending.delete(key);
    return timer;
  }
}

/** The execution queue in memory: every `enqueue` call is recorded, so a test can count them. */
export class RecordingExecutionQueue implements ExecutionQueue {
  readonly calls: string[] = [];
  /** The delay of each enqueue, in the order of `calls`. */
  readonly delays: number[] = [];
  /** The approvals whose waiting job was removed. */
  readonly removed: string[] = [];

  async enqueue(approvalId: string, delayMs = 0): Promise<void> {
    this.calls.push(approvalId);
    this.delays.push(delayMs);
  }

  async remove(approvalId: string): Promise<boolean> {
    const waiting = this.calls.includes(approvalId) && !this.removed.includes(approvalId);
    if (waiting) this.removed.push(approvalId);
    return waiting;
  }
}

/**
 * An approval repository that counts lost compare-and-set writes (an `update` refused because someone wrote first),
 * around any other repository; everything else is passed through.
 */
export class RaceCountingRepository implements ApprovalRepository {
  lostWrites = 0;

  constructor(private readonly inner: ApprovalRepository) {}

  create(approval: Approval): Promise<void> {
    return this.inner.create(approval);
  }

  get(id: string): Promise<Approval | null> {
    return this.inner.get(id);
  }

  async update(approval: Approval): Promise<boolean> {
    const written = await this.inner.update(approval);
    if (!written) this.lostWrites++;
    return written;
  }

  list(query: ApprovalQuery): Promise<Approval[]> {
    return this.inner.list(query);
  }

  claim(key: string, approvalId: string): Promise<string | null> {
    return this.inner.claim(key, approvalId);
  }

  releaseClaim(key: string, approvalId: string): Promise<void> {
    return this.inner.releaseClaim(key, approvalId);
  }
}

type CloudOp =
  | 'describe'
  | 'dryRun'
  | 'stopInstance'
  | 'startInstance'
  | 'modifyInstanceType'
  | 'createSnapshot'
  | 'findSnapshot'
  | 'deleteVolume'
  | 'releaseAddress';

/** One call the executor made, and whether the cloud acted on it (a crash may come before or after the act). */
export interface CloudCall {
  op: CloudOp;
  resourceId: string;
  /** The new type of `modifyInstanceType`, the action kind of `dryRun`. */
  detail?: string;
  applied: boolean;
}

export interface FakeSnapshot {
  id: string;
  volumeId: string;
  description: string;
  tags: Tag[];
}

type Fault =
  | { op: CloudOp; kind: 'fail'; error: TallyError }
  | { op: CloudOp; kind: 'crash-before' | 'crash-after'; reached: () => void };

/** A promise that never settles: the worker running the call died. */
const never = () => new Promise<never>(() => {});

/**
 * The cloud in memory: instances, volumes and addresses by id, snapshots, and every call made. Stopping and starting
 * take effect at once; `modifyInstanceType` refuses a running instance as EC2 does.
 *
 * Faults for the next call of an operation: `failNext` rejects with a TallyError (e.g. `CLOUD_THROTTLED`), and
 * `crashNext` makes the call never return, before or after the cloud acted, as when the worker dies mid-call.
 */
export class FakeCloudActions implements CloudActions {
  readonly calls: CloudCall[] = [];
  readonly snapshots: FakeSnapshot[] = [];
  /** What `dryRun` answers. */
  dryRunOutcome: DryRunOutcome = { ok: true };
  readonly #resources = new Map<string, ResourceFacts>();
  readonly #faults: Fault[] = [];

  /** Adds or replaces a resource. */
  put(facts: ResourceFacts): void {
    this.#resources.set(facts.id, structuredClone(facts));
  }

  /** The resource as the cloud holds it now, or undefined when it is gone. */
  peek(id: string): ResourceFacts | undefined {
    const found = this.#resources.get(id);
    return found && structuredClone(found);
  }

  failNext(op: CloudOp, error: TallyError): void {
    this.#faults.push({ op, kind: 'fail', error });
  }

  /** Resolves once the call has crashed (the executor is then stuck in it for good). */
  crashNext(op: CloudOp, when: 'before' | 'after'): Promise<void> {
    return new Promise((reached) => {
      this.#faults.push({ op, kind: when === 'before' ? 'crash-before' : 'crash-after', reached });
    });
  }

  /** Calls of one operation that the cloud acted on. */
  applied(op: CloudOp): CloudCall[] {
    return this.calls.filter((c) => c.op === op && c.applied);
  }

  /** The operations that change something, in call order, as `op resourceId[ detail]` (applied ones only). */
  changes(): string[] {
    const reads: CloudOp[] = ['describe', 'dryRun', 'findSnapshot'];
    return this.calls
      .filter((c) => c.applied && !reads.includes(c.op))
      .map((c) => [c.op, c.resourceId, c.detail].filter(Boolean).join(' '));
  }

  async describe(ref: TargetRef): Promise<ResourceFacts | null> {
    return this.#call('describe', ref, undefined, () => this.peek(ref.resourceId) ?? null);
  }

  async dryRun(kind: ActionKind, ref: TargetRef): Promise<DryRunOutcome> {
    return this.#call('dryRun', ref, kind, () => this.dryRunOutcome);
  }

  async stopInstance(ref: TargetRef): Promise<void> {
    return this.#call('stopInstance', ref, undefined, () => {
      this.#instance(ref).state = 'stopped';
    });
  }

  async startInstance(ref: TargetRef): Promise<void> {
    return this.#call('startInstance', ref, undefined, () => {
      this.#instance(ref).state = 'running';
    });
  }

  async modifyInstanceType(ref: TargetRef, instanceType: string): Promise<void> {
    return this.#call('modifyInstanceType', ref, instanceType, () => {
      const instance = this.#instance(ref);
      if (instance.state !== 'stopped')
        throw new TallyError('CLOUD_FAILED', `IncorrectInstanceState: ${ref.resourceId} is ${instance.state}`);
      instance.instanceType = instanceType;
    });
  }

  async createSnapshot(ref: TargetRef, options: { description: string; tags: Tag[] }): Promise<string> {
    return this.#call('createSnapshot', ref, undefined, () => {
      this.#existing(ref, 'volume');
      const id = `snap-${String(this.snapshots.length + 1).padStart(17, '0')}`;
      this.snapshots.push({ id, volumeId: ref.resourceId, description: options.description, tags: options.tags });
      return id;
    });
  }

  async findSnapshot(ref: TargetRef, tag: Tag): Promise<string | null> {
    return this.#call('findSnapshot', ref, undefined, () => {
      const found = this.snapshots.find(
        (s) => s.volumeId === ref.resourceId && s.tags.some((t) => t.key === tag.key && t.value === tag.value),
      );
      return found?.id ?? null;
    });
  }

  async deleteVolume(ref: TargetRef): Promise<void> {
    return this.#call('deleteVolume', ref, undefined, () => {
      this.#existing(ref, 'volume');
      this.#resources.delete(ref.resourceId);
    });
  }

  async releaseAddress(ref: TargetRef): Promise<void> {
    return this.#call('releaseAddress', ref, undefined, () => {
      this.#existing(ref, 'address');
      this.#resources.delete(ref.resourceId);
    });
  }

  async #call<T>(op: CloudOp, ref: TargetRef, detail: string | undefined, act: () => T): Promise<T> {
    const at = this.#faults.findIndex((f) => f.op === op);
    const fault = at >= 0 ? this.#faults.splice(at, 1)[0] : undefined;
    const call: CloudCall = { op, resourceId: ref.resourceId, ...(detail ? { detail } : {}), applied: false };
    this.calls.push(call);
    if (fault?.kind === 'fail') throw fault.error;
    if (fault?.kind === 'crash-before') {
      fault.reached();
      return never();
    }
    const result = act();
    call.applied = true;
    if (fault?.kind === 'crash-after') {
      fault.reached();
      return never();
    }
    return result;
  }

  #existing(ref: TargetRef, type: ResourceFacts['resourceType']): ResourceFacts {
    const found = this.#resources.get(ref.resourceId);
    if (!found || found.resourceType !== type)
      throw new TallyError('CLOUD_NOT_FOUND', `${ref.resourceId} does not exist`, {
        metadata: { resourceId: ref.resourceId },
      });
    return found;
  }

  #instance(ref: TargetRef): Extract<ResourceFacts, { resourceType: 'instance' }> {
    return this.#existing(ref, 'instance') as Extract<ResourceFacts, { resourceType: 'instance' }>;
  }
}

/** A chat platform that refuses every call with `CHAT_FAILED`, recording what was attempted. */
export class RefusingMessenger implements ChatMessenger {
  readonly attempts: string[] = [];

  constructor(readonly platform: 'slack' | 'teams' = 'slack') {}

  async post(channel: string, _reply: Reply, thread?: string): Promise<PostedMessage> {
    return this.#refuse(`post ${channel}${thread ? ` thread ${thread}` : ''}`);
  }

  async update(message: PostedMessage): Promise<void> {
    return this.#refuse(`update ${message.channel} ${message.messageId}`);
  }

  async direct(userId: string): Promise<void> {
    return this.#refuse(`direct ${userId}`);
  }

  async groupMembers(): Promise<string[]> {
    return [];
  }

  #refuse(what: string): never {
    this.attempts.push(what);
    throw new TallyError('CHAT_FAILED', `refused: ${what}`, { metadata: { operation: what } });
  }
}

/** A job state of the execute queue, as the reconciler's fake holds it. */
type FakeJobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

/**
 * The execute queue's job states in memory, for the reconciler (src/approvals/execution/execution-jobs.port.ts): the
 * test sets the state of an approval's job (none means gone); `requeue` records the approval and leaves its job
 * waiting, as BullMQ does.
 */
export class FakeExecutionJobs {
  readonly states = new Map<string, FakeJobState>();
  readonly requeued: string[] = [];

  async pending(approvalId: string): Promise<boolean> {
    const state = this.states.get(approvalId);
    return state === 'waiting' || state === 'active' || state === 'delayed';
  }

  async requeue(approvalId: string): Promise<void> {
    this.requeued.push(approvalId);
    this.states.set(approvalId, 'waiting');
  }
}

/**
 * An approval repository that goes down and comes back, around any other: while `down`, every call fails with
 * `STORE_UNAVAILABLE`, as the MongoDB repository does when the server is gone.
 */
export class OutageApprovalRepository implements ApprovalRepository {
  down = false;

  constructor(private readonly inner: ApprovalRepository) {}

  create(approval: Approval): Promise<void> {
    return this.#call('create', () => this.inner.create(approval));
  }

  get(id: string): Promise<Approval | null> {
    return this.#call('get', () => this.inner.get(id));
  }

  update(approval: Approval): Promise<boolean> {
    return this.#call('update', () => this.inner.update(approval));
  }

  list(query: ApprovalQuery): Promise<Approval[]> {
    return this.#call('list', () => this.inner.list(query));
  }

  claim(key: string, approvalId: string): Promise<string | null> {
    return this.#call('claim', () => this.inner.claim(key, approvalId));
  }

  releaseClaim(key: string, approvalId: string): Promise<void> {
    return this.#call('releaseClaim', () => this.inner.releaseClaim(key, approvalId));
  }

  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.down)
      throw new TallyError('STORE_UNAVAILABLE', `The data store failed during approvals.${operation}.`, {
        metadata: { operation },
      });
    return run();
  }
}
