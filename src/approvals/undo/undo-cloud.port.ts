import type { Tag, TargetRef } from '../../actions/action.types.js';
import type { VolumeAttachment } from './undo.types.js';

/** What a volume's restore needs, read before the volume is deleted. */
export interface VolumeDetails {
  availabilityZone: string;
  volumeType: string;
  sizeGiB: number;
  iops?: number;
  throughput?: number;
  tags: Tag[];
  /** Where it is attached (the first attachment), if it is. */
  attachment?: VolumeAttachment;
}

/** A new volume: from which snapshot, where, of which kind, and its tags (the old ones, plus Tally's own). */
export interface RestoreVolumeInput {
  snapshotId: string;
  availabilityZone: string;
  volumeType: string;
  iops?: number;
  throughput?: number;
  tags: Tag[];
}

/**
 * The cloud calls an undo needs beyond {@link CloudActions} (docs/architecture.md#undo), one primitive each.
 * Implemented on the AWS SDK in `adapters/aws/aws-ec2-undo.ts`. `ref` names the account and region (and the
 * resource the action was on). Failures are `TallyError`s, as for `CloudActions`.
 */
export interface UndoCloud {
  /** The volume's zone, kind, tags and attachment; null when it no longer exists. */
  volumeDetails(ref: TargetRef): Promise<VolumeDetails | null>;
  /** Creates a volume from a snapshot and waits until it is available; returns its id. */
  createVolume(ref: TargetRef, input: RestoreVolumeInput): Promise<string>;
  /** The id of a volume carrying `tag` that is not deleted, if one exists (an undo resumed after a failure). */
  findVolume(ref: TargetRef, tag: Tag): Promise<string | null>;
  /** Attaches a volume to an instance at `device` and waits until it is in use. */
  attachVolume(ref: TargetRef, volumeId: string, attachment: VolumeAttachment): Promise<void>;
  /**
   * Asks the cloud for a released address back (EC2 `AllocateAddress` with `Address`); returns the new allocation
   * id. AWS gives it back only while no other account has taken it; otherwise this fails.
   */
  recoverAddress(
    ref: TargetRef,
    input: { publicIp: string; networkBorderGroup?: string; tags: Tag[] },
  ): Promise<string>;
}
