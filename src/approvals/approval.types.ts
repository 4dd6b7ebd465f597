import type { ProposedAction, RollbackInfo } from '../actions/action.types.js';
import type { RiskRule } from './approval-policy.types.js';
import type { BatchRecord } from './batch/batch.types.js';
import type { UndoRecord } from './undo/undo.types.js';

/**
 * PENDING → APPROVED → EXECUTING → SUCCEEDED | FAILED, or PENDING → REJECTED | EXPIRED | CANCELLED, or APPROVED →
 * CANCELLED while the execution waits for a change window (docs/architecture.md#states).
 */
const APPROVAL_STATES = [
  'PENDING',
  'APPROVED',
  'EXECUTING',
  'SUCCEEDED',
  'FAILED',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** Who did something, on which platform: `{ platform: 'slack', id: 'U0123' }`, or the shell's configured user. */
export interface Identity {
  platform: 'slack' | 'teams' | 'shell' | 'cli' | 'agent';
  id: string;
  name?: string;
}

/** An actor: the person (policy key, or `platform:id` for someone the policy does not name) and the identity used. */
export interface Actor {
  person: string;
  via: Identity;
}

export interface Vote {
  voter: Actor;
  decision: 'approve' | 'reject';
  reason?: string;
  /** ISO instant. */
  at: string;
}

/** A chat message showing the approval, updated in place after every change. */
export interface ApprovalMessageRef {
  platform: 'slack' | 'teams';
  channel: string;
  /** Slack `ts`, or the Teams activity id. */
  messageId: string;
}

export interface ExecutionRecord {
  startedAt: string;
  finishedAt?: string;
  outcome?: 'SUCCEEDED' | 'FAILED';
  /** Why it failed, or why the target was not touched. */
  reason?: string;
  /** The steps done so far, e.g. `snapshot snap-0abc`, `stopped`, `modified to t3.small`. */
  steps: string[];
  rollback?: RollbackInfo;
  /** How many times execution started (a recovered job starts again). */
  attempts: number;
  /** The check after the action: what the resource was found in (docs/architecture.md#after-the-action). */
  verification?: Verification;
}

/**
 * What the check after an execution found. `confirmed`: the resource is as the action should leave it (an instance
 * stopped, a volume gone and its snapshot completed, …); otherwise `reason` says what was found instead.
 */
export interface Verification {
  /** ISO instant of the look that decided: the savings ledger counts from it when confirmed. */
  at: string;
  confirmed: boolean;
  /** The state found, in words: `i-0abc stopped`, `vol-0abc gone, snap-0abc completed`. */
  state: string;
  /** Not confirmed: why, e.g. `i-0abc still stopping after 10 min`. */
  reason?: string;
}

export interface Approval {
  id: string;
  /** Bumped by every change; updates are compare-and-set on it. */
  version: number;
  state: ApprovalState;
  action: ProposedAction;
  reason: string;
  requester: Actor;
  /** The policy rule for the action's risk level, copied when the approval was created. */
  rule: RiskRule;
  /** Index of the current tier in `rule.tiers`. */
  tier: number;
  votes: Vote[];
  /** Where it was proposed; the approval message goes there too. */
  origin: { platform: Identity['platform']; channel?: string; thread?: string };
  messages: ApprovalMessageRef[];
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  decidedAt?: string;
  /** Who or what decided, and why (a reject reason, "quorum reached", "expired"). */
  decision?: { by: string; reason: string };
  execution?: ExecutionRecord;
  /**
   * APPROVED outside every change window: when the next window opens and the execute job runs (ISO instant). Kept
   * after the execution starts, as a record (docs/architecture.md#execution).
   */
  scheduledFor?: string;
  /** How to reverse the executed action, recorded before it ran, and the undo once asked for (docs/architecture.md#undo). */
  undo?: UndoRecord;
  /** A batch approval: its items and their results (docs/architecture.md#batches). */
  batch?: BatchRecord;
  /** An item of a batch: the batch approval's id. Executed by the batch's job, never on its own. */
  batchOf?: string;
}
