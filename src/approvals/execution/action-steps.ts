import type { ResourceFacts, RollbackInfo } from '../../actions/action.types.js';
import type { Approval } from '../approval.types.js';
import type { CloudActions } from './cloud-actions.port.js';

/** The tag put on snapshots Tally takes, naming the approval (to find it again when resuming). */
const APPROVAL_TAG_KEY = 'tally:approval';

/** How the executor records progress (docs/architecture.md#execution). */
export interface StepRecorder {
  /** Before a cloud call that changes something: what is about to be done (in the audit trail only). */
  intent(what: string): Promise<void>;
  /** After the call: the step done (on the approval and in the audit trail). */
  done(step: string): Promise<void>;
  /**
   * When resuming: a step whose effect the cloud already shows but that was never recorded (the process or the store
   * failed between the call and its record). It goes to the audit trail, so the trail has every step.
   */
  found(step: string): Promise<void>;
}

/**
 * The cloud calls of one action, in order, each skipped when the resource already shows its effect (so a resumed
 * execution does not repeat what is done). Each call's intent is recorded before it and its step after it. Returns
 * the rollback information.
 */
export async function performAction(
  approval: Approval,
  current: ResourceFacts | null,
  cloud: CloudActions,
  record: StepRecorder,
): Promise<RollbackInfo> {
  const { action } = approval;
  const recorded = approval.execution?.steps ?? [];
  const resumed = (approval.execution?.attempts ?? 1) > 1;
  /** Records a step found done in the cloud, when resuming and it is not recorded yet. */
  const foundDone = async (step: string) => {
    if (resumed && !recorded.includes(step)) await record.found(step);
  };
  const act = async (intent: string, step: string, call: () => Promise<unknown>) => {
    await record.intent(intent);
    await call();
    await record.done(step);
  };
  const ref = action.target;
  const where = `--region ${ref.region}`;
  switch (action.kind) {
    case 'stop_instance': {
      if (current?.resourceType === 'instance' && current.state !== 'stopped')
        await act(`stopping ${ref.resourceId}`, 'stopped', () => cloud.stopInstance(ref));
      else await foundDone('stopped');
      return { note: `start it again: aws ec2 start-instances --instance-ids ${ref.resourceId} ${where}` };
    }
    case 'resize_instance': {
      const to = action.params.instanceType!;
      const from = action.facts.resourceType === 'instance' ? action.facts.instanceType : '';
      const wasRunning = action.facts.resourceType === 'instance' && action.facts.state === 'running';
      let state = current?.resourceType === 'instance' ? current.state : 'stopped';
      if (current?.resourceType === 'instance' && current.instanceType !== to) {
        if (state !== 'stopped') {
          await act(`stopping ${ref.resourceId}`, 'stopped', () => cloud.stopInstance(ref));
          state = 'stopped';
        } else if (wasRunning) await foundDone('stopped');
        await act(`modifying ${ref.resourceId} to ${to}`, `modified to ${to}`, () => cloud.modifyInstanceType(ref, to));
      } else {
        // Already the new type: a running instance was stopped for it.
        if (wasRunning) await foundDone('stopped');
        await foundDone(`modified to ${to}`);
      }
      if (wasRunning && state !== 'running')
        await act(`starting ${ref.resourceId}`, 'started', () => cloud.startInstance(ref));
      else if (wasRunning) await foundDone('started');
      return { previousInstanceType: from, note: `resize back to ${from} (stop, modify, start)` };
    }
    case 'delete_volume': {
      const tag = { key: APPROVAL_TAG_KEY, value: approval.id };
      let snapshotId = await cloud.findSnapshot(ref, tag);
      if (!snapshotId) {
        await record.intent(`snapshotting ${ref.resourceId}`);
        snapshotId = await cloud.createSnapshot(ref, {
          description: `Tally ${approval.id}: before deleting ${ref.resourceId}`,
          tags: [tag],
        });
        await record.done(`snapshot ${snapshotId}`);
      } else await foundDone(`snapshot ${snapshotId}`);
      if (current) await act(`deleting ${ref.resourceId}`, 'volume deleted', () => cloud.deleteVolume(ref));
      else await foundDone('volume deleted');
      return { snapshotId, note: `restore: aws ec2 create-volume --snapshot-id ${snapshotId} ${where}` };
    }
    case 'release_address': {
      const ip = action.facts.resourceType === 'address' ? action.facts.publicIp : '';
      if (current) await act(`releasing ${ref.resourceId}`, 'released', () => cloud.releaseAddress(ref));
      else await foundDone('released');
      return { publicIp: ip, note: `${ip} is gone; a new Elastic IP can be allocated if needed` };
    }
  }
}
