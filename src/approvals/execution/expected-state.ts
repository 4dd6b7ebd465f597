import type { ResourceFacts, RollbackInfo } from '../../actions/action.types.js';
import type { Approval } from '../approval.types.js';
import type { PostCheckCloud } from './post-check.port.js';

/** One look at an executed action's resource. */
export interface Look {
  /** The resource is as the action should leave it. */
  ok: boolean;
  /** What was found, in words: `i-0abc stopped`, `vol-0abc gone, snap-0abc completed`. */
  found: string;
  /** What the action should leave, in words: `stopped`, `t3.small, running`, `gone, snap-0abc completed`. */
  want: string;
  /** Waiting cannot change it (the instance is gone, the snapshot failed): stop looking. */
  final: boolean;
}

/**
 * Looks once at what an executed action should have left (docs/architecture.md#after-the-action): a stopped
 * instance; a resized one with the new type and the state it had before (running again, or still stopped); a
 * deleted volume gone and its snapshot completed; a released address gone.
 */
export async function lookAfterAction(
  approval: Approval,
  rollback: RollbackInfo,
  cloud: PostCheckCloud,
): Promise<Look> {
  const { kind, target, params, facts } = approval.action;
  const id = target.resourceId;
  const now = await cloud.describe(target);
  switch (kind) {
    case 'stop_instance':
      return instanceLook(id, now, 'stopped');
    case 'resize_instance': {
      const state = facts.resourceType === 'instance' && facts.state === 'running' ? 'running' : 'stopped';
      return instanceLook(id, now, state, params.instanceType);
    }
    case 'delete_volume': {
      const snapshotId = rollback.snapshotId;
      const snapshot = snapshotId ? await cloud.snapshotState(target, snapshotId) : null;
      const snapshotText = snapshotId ? `${snapshotId} ${snapshot ?? 'missing'}` : 'no snapshot';
      return {
        ok: !now && snapshot === 'completed',
        found: `${id} ${now?.resourceType === 'volume' ? now.state : 'gone'}, ${snapshotText}`,
        want: `gone, ${snapshotId ?? 'its snapshot'} completed`,
        final: !snapshotId || snapshot === null || snapshot === 'error',
      };
    }
    case 'release_address':
      return { ok: !now, found: `${id} ${now ? 'still allocated' : 'released'}`, want: 'released', final: false };
  }
}

function instanceLook(id: string, now: ResourceFacts | null, state: string, instanceType?: string): Look {
  const want = instanceType ? `${instanceType}, ${state}` : state;
  if (now?.resourceType !== 'instance') return { ok: false, found: `${id} gone`, want, final: true };
  const typeOk = !instanceType || now.instanceType === instanceType;
  return {
    ok: typeOk && now.state === state,
    found: instanceType ? `${id} ${now.instanceType}, ${now.state}` : `${id} ${now.state}`,
    want,
    final: now.state === 'terminated' || now.state === 'shutting-down',
  };
}
