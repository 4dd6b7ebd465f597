import type { ResourceFacts, TargetRef } from '../../actions/action.types.js';

/**
 * The cloud reads of the check after an action (docs/architecture.md#after-the-action). Implemented on the AWS SDK
 * in `adapters/aws`; failures are `TallyError`s as for {@link CloudActions}.
 */
export interface PostCheckCloud {
  /** The resource as it is now; `null` when it no longer exists. */
  describe(ref: TargetRef): Promise<ResourceFacts | null>;
  /** A snapshot's state (`pending`, `completed`, `error`) in the account and region of `ref`; `null` when there is none. */
  snapshotState(ref: TargetRef, snapshotId: string): Promise<string | null>;
}
