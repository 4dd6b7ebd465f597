import type { Tag } from '../../actions/action.types.js';

/**
 * Undo of an executed action (docs/architecture.md#undo): what is recorded before the action runs, and what became of
 * an undo. Plain data, kept on the approval (`Approval.undo`).
 */

/** Who may undo an executed action, and how many of them it takes (`approvals.undo` of the policy file). */
export interface UndoPolicy {
  /**
   * Entries allowed to undo: `requester` (the approval's requester), `approvers` (anyone who may approve that
   * approval: its tiers' approvers up to the tier it reached), or approver entries (a person's key, a `@group`, a
   * platform user id).
   *
   * @defaultValue ['requester', 'approvers']
   */
  by: string[];
  /** How many of them must ask for the undo before it runs; more than 1 makes an undo need an approval. @defaultValue 1 */
  quorum: number;
}

/** The policy in force without `approvals.undo`: the requester or any approver, alone. */
export const DEFAULT_UNDO_POLICY: UndoPolicy = { by: ['requester', 'approvers'], quorum: 1 };

/** An attachment of a volume, recorded before it is deleted. */
export interface VolumeAttachment {
  instanceId: string;
  /** e.g. `/dev/sdf`. */
  device: string;
}

/**
 * How to reverse one action, recorded from the resource as it was just before the action ran. `snapshotId` of a
 * deleted volume comes from the execution's rollback (`ExecutionRecord.rollback`).
 */
export type UndoPlan =
  | { kind: 'start_instance' }
  | {
      kind: 'resize_back';
      instanceType: string;
      /** The state before the resize: `stopped` stays stopped after the undo. */
      state: string;
    }
  | {
      kind: 'restore_volume';
      availabilityZone: string;
      volumeType: string;
      sizeGiB: number;
      iops?: number;
      throughput?: number;
      tags: Tag[];
      attachment?: VolumeAttachment;
    }
  | { kind: 'recover_address'; publicIp: string; networkBorderGroup?: string; tags: Tag[] }
  /** The action cannot be undone (the reason says why), e.g. a stop of an instance that was already stopped. */
  | { kind: 'none'; reason: string };

type UndoState = 'REQUESTED' | 'UNDOING' | 'UNDONE' | 'FAILED';

export interface UndoRecord {
  plan: UndoPlan;
  /** ISO instant the plan was recorded (the execution's start). */
  recordedAt: string;
  /** ISO instant after which undo is refused: the execution's end plus `TALLY_UNDO_DAYS`. Set when it succeeded. */
  until?: string;
  /** Absent until someone asks for the undo. */
  state?: UndoState;
  /** The persons who asked, in order; the undo runs when the policy's quorum of them asked. */
  requestedBy: string[];
  startedAt?: string;
  finishedAt?: string;
  /** The undo steps done, e.g. `started`, `volume vol-… created from snap-…`. */
  steps: string[];
  /** Why the undo failed. */
  reason?: string;
  /** What the undo created (a restored volume's id, a recovered address's allocation id). */
  createdId?: string;
}
