import type { ActionKind, ResourceFacts, Tag, TargetRef } from '../../actions/action.types.js';

/** The DryRun pre-check: permitted, or denied with the cloud's reason. */
export type DryRunOutcome = { ok: true } | { ok: false; reason: 'UNAUTHORIZED' | 'INVALID'; message: string };

/**
 * The cloud calls the executor needs, one primitive each; the executor orders them (stop → modify → start, snapshot →
 * delete). Implemented on the AWS SDK in `adapters/aws`. Failures are `TallyError`s: `CLOUD_THROTTLED` (retry later),
 * `CLOUD_DENIED`, `CLOUD_NOT_FOUND` or `CLOUD_FAILED` (permanent).
 */
export interface CloudActions {
  /** The resource as it is now; `null` when it no longer exists. */
  describe(ref: TargetRef): Promise<ResourceFacts | null>;
  /** Runs the action's first cloud call with `DryRun: true`. */
  dryRun(kind: ActionKind, ref: TargetRef, params: { instanceType?: string }): Promise<DryRunOutcome>;
  /** Stops an instance and waits until it is stopped. */
  stopInstance(ref: TargetRef): Promise<void>;
  /** Starts an instance and waits until it is running. */
  startInstance(ref: TargetRef): Promise<void>;
  /** Changes a stopped instance's type. */
  modifyInstanceType(ref: TargetRef, instanceType: string): Promise<void>;
  /** Snapshots a volume (tagged with `tags`), waits until completed, and returns the snapshot id. */
  createSnapshot(ref: TargetRef, options: { description: string; tags: Tag[] }): Promise<string>;
  /** The id of a snapshot of this volume carrying `tag`, if one exists (to resume an interrupted execution). */
  findSnapshot(ref: TargetRef, tag: Tag): Promise<string | null>;
  deleteVolume(ref: TargetRef): Promise<void>;
  releaseAddress(ref: TargetRef): Promise<void>;
}
