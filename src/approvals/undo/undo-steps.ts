import { TallyError } from '../../shared/errors.js';
import type { Approval } from '../approval.types.js';
import type { StepRecorder } from '../execution/action-steps.js';
import type { CloudActions } from '../execution/cloud-actions.port.js';
import type { UndoPlan } from './undo.types.js';
import type { UndoCloud } from './undo-cloud.port.js';

/** The tag put on what an undo creates, naming the approval (to find it again when an undo is tried again). */
const UNDO_TAG_KEY = 'tally:undo';

/**
 * The cloud calls that reverse one action, each skipped when the resource already shows its effect (so an undo tried
 * again after a failure does not repeat what is done). Returns the id of what it created (a volume, an address).
 */
export async function performUndo(
  approval: Approval,
  plan: UndoPlan,
  cloud: { actions: CloudActions; undo: UndoCloud },
  record: Pick<StepRecorder, 'intent' | 'done'>,
): Promise<{ createdId?: string }> {
  const ref = approval.action.target;
  const id = ref.resourceId;
  const act = async (intent: string, step: string, call: () => Promise<unknown>) => {
    await record.intent(intent);
    await call();
    await record.done(step);
  };
  switch (plan.kind) {
    case 'none':
      throw new TallyError('USAGE', `This action cannot be undone: ${plan.reason}.`);
    case 'start_instance': {
      const now = await cloud.actions.describe(ref);
      if (now?.resourceType !== 'instance') throw gone(id);
      if (now.state !== 'running') await act(`starting ${id}`, `started ${id}`, () => cloud.actions.startInstance(ref));
      return {};
    }
    case 'resize_back': {
      let now = await cloud.actions.describe(ref);
      if (now?.resourceType !== 'instance') throw gone(id);
      if (now.instanceType !== plan.instanceType) {
        if (now.state !== 'stopped')
          await act(`stopping ${id}`, `stopped ${id}`, () => cloud.actions.stopInstance(ref));
        await act(`modifying ${id} back to ${plan.instanceType}`, `modified back to ${plan.instanceType}`, () =>
          cloud.actions.modifyInstanceType(ref, plan.instanceType),
        );
        now = await cloud.actions.describe(ref);
      }
      const state = now?.resourceType === 'instance' ? now.state : 'stopped';
      if (plan.state === 'running' && state !== 'running')
        await act(`starting ${id}`, `started ${id}`, () => cloud.actions.startInstance(ref));
      return {};
    }
    case 'restore_volume': {
      const snapshotId = approval.execution?.rollback?.snapshotId;
      if (!snapshotId)
        throw new TallyError('CLOUD_FAILED', `No snapshot of ${id} was recorded; it cannot be restored.`);
      const tag = { key: UNDO_TAG_KEY, value: approval.id };
      let volumeId = await cloud.undo.findVolume(ref, tag);
      if (!volumeId) {
        await record.intent(`creating a volume from ${snapshotId} in ${plan.availabilityZone}`);
        volumeId = await cloud.undo.createVolume(ref, {
          snapshotId,
          availabilityZone: plan.availabilityZone,
          volumeType: plan.volumeType,
          ...(plan.iops !== undefined ? { iops: plan.iops } : {}),
          ...(plan.throughput !== undefined ? { throughput: plan.throughput } : {}),
          tags: [...plan.tags.filter((t) => t.key !== UNDO_TAG_KEY), tag],
        });
        await record.done(
          `volume ${volumeId} created from ${snapshotId} in ${plan.availabilityZone} with the old tags`,
        );
      }
      const attachment = plan.attachment;
      if (attachment) {
        const restored = await cloud.actions.describe({ ...ref, resourceId: volumeId });
        if (restored?.resourceType === 'volume' && !restored.attachedTo.includes(attachment.instanceId))
          await act(
            `attaching ${volumeId} to ${attachment.instanceId} at ${attachment.device}`,
            `attached ${volumeId} to ${attachment.instanceId} at ${attachment.device}`,
            () => cloud.undo.attachVolume(ref, volumeId!, attachment),
          );
      }
      return { createdId: volumeId };
    }
    case 'recover_address': {
      await record.intent(`asking AWS for ${plan.publicIp} back`);
      const allocationId = await cloud.undo.recoverAddress(ref, {
        publicIp: plan.publicIp,
        ...(plan.networkBorderGroup ? { networkBorderGroup: plan.networkBorderGroup } : {}),
        tags: plan.tags,
      });
      await record.done(`${plan.publicIp} recovered as ${allocationId}`);
      return { createdId: allocationId };
    }
  }
}

function gone(id: string): TallyError {
  return new TallyError('CLOUD_NOT_FOUND', `${id} no longer exists; there is nothing to undo on.`);
}
