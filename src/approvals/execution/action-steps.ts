import type { ResourceFacts, RollbackInfo } from '../../actions/action.types.js';
import type { Approval } from '../approval.types.js';
import type { CloudActions } from './cloud-actions.port.js';

/** The tag put on snapshots Tally takes, naming the approval (to find it again when resuming). */
const APPROVAL_TAG_KEY = 'tally:approval';

/**
 * The cloud calls of one action, in order, each skipped when the resource already shows its effect (so a resumed
 * execution does not repeat what is done). `step` records progress on the approval. Returns the rollback information.
 */
export async function performAction(
  approval: Approval,
  current: ResourceFacts | null,
  cloud: CloudActions,
  step: (s: string) => Promise<void>,
): Promise<RollbackInfo> {
  const { action } = approval;
  const ref = action.target;
  const where = `--region ${ref.region}`;
  switch (action.kind) {
    case 'stop_instance': {
      if (current?.resourceType === 'instance' && current.state !== 'stopped') {
        await cloud.stopInstance(ref);
        await step('stopped');
      }
      return { note: `start it again: aws ec2 start-instances --instance-ids ${ref.resourceId} ${where}` };
    }
    case 'resize_instance': {
      const to = action.params.instanceType!;
      const from = action.facts.resourceType === 'instance' ? action.facts.instanceType : '';
      const wasRunning = action.facts.resourceType === 'instance' && action.facts.state === 'running';
      let state = current?.resourceType === 'instance' ? current.state : 'stopped';
      if (current?.resourceType === 'instance' && current.instanceType !== to) {
        if (state !== 'stopped') {
          await cloud.stopInstance(ref);
          state = 'stopped';
          await step('stopped');
        }
        await cloud.modifyInstanceType(ref, to);
        await step(`modified to ${to}`);
      }
      if (wasRunning && state !== 'running') {
        await cloud.startInstance(ref);
        await step('started');
      }
      return { previousInstanceType: from, note: `resize back to ${from} (stop, modify, start)` };
    }
    case 'delete_volume': {
      const tag = { key: APPROVAL_TAG_KEY, value: approval.id };
      let snapshotId = await cloud.findSnapshot(ref, tag);
      if (!snapshotId) {
        snapshotId = await cloud.createSnapshot(ref, {
          description: `Tally ${approval.id}: before deleting ${ref.resourceId}`,
          tags: [tag],
        });
        await step(`snapshot ${snapshotId}`);
      }
      if (current) {
        await cloud.deleteVolume(ref);
        await step('volume deleted');
      }
      return { snapshotId, note: `restore: aws ec2 create-volume --snapshot-id ${snapshotId} ${where}` };
    }
    case 'release_address': {
      const ip = action.facts.resourceType === 'address' ? action.facts.publicIp : '';
      if (current) {
        await cloud.releaseAddress(ref);
        await step('released');
      }
      return { publicIp: ip, note: `${ip} is gone; a new Elastic IP can be allocated if needed` };
    }
  }
}
