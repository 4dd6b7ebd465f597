import type { ResourceFacts } from '../../actions/action.types.js';
import type { Approval } from '../approval.types.js';
import type { UndoPlan } from './undo.types.js';
import type { UndoCloud } from './undo-cloud.port.js';

/**
 * How to reverse the approval's action, from the resource as it is just before the action runs (`current`), plus
 * what only the cloud knows (a volume's zone and attachment). Recorded before the first change (docs/architecture.md#undo).
 */
export async function planUndo(approval: Approval, current: ResourceFacts | null, cloud: UndoCloud): Promise<UndoPlan> {
  const { action } = approval;
  switch (action.kind) {
    case 'stop_instance':
      return current?.resourceType === 'instance' && current.state === 'stopped'
        ? { kind: 'none', reason: `${action.target.resourceId} was already stopped` }
        : { kind: 'start_instance' };
    case 'resize_instance': {
      const facts = current?.resourceType === 'instance' ? current : action.facts;
      if (facts.resourceType !== 'instance') return { kind: 'none', reason: 'not an instance' };
      return { kind: 'resize_back', instanceType: facts.instanceType, state: facts.state };
    }
    case 'delete_volume': {
      const details = await cloud.volumeDetails(action.target);
      if (!details) return { kind: 'none', reason: `${action.target.resourceId} was already gone` };
      return { kind: 'restore_volume', ...details };
    }
    case 'release_address': {
      const facts = current?.resourceType === 'address' ? current : action.facts;
      if (facts.resourceType !== 'address') return { kind: 'none', reason: 'not an address' };
      return {
        kind: 'recover_address',
        publicIp: facts.publicIp,
        ...(facts.networkBorderGroup ? { networkBorderGroup: facts.networkBorderGroup } : {}),
        tags: facts.tags,
      };
    }
  }
}

/** The plan in words, e.g. "start i-0abc again", for the message and the audit trail. */
export function describePlan(approval: Approval, plan: UndoPlan): string {
  const id = approval.action.target.resourceId;
  switch (plan.kind) {
    case 'start_instance':
      return `start ${id} again`;
    case 'resize_back':
      return `resize ${id} back to ${plan.instanceType}${plan.state === 'stopped' ? ', left stopped' : ''}`;
    case 'restore_volume':
      return `restore ${id} from its snapshot in ${plan.availabilityZone}${plan.attachment ? ` and attach it to ${plan.attachment.instanceId} at ${plan.attachment.device}` : ''}`;
    case 'recover_address':
      return `ask AWS for ${plan.publicIp} back (possible only if no one has taken it since)`;
    case 'none':
      return `cannot be undone: ${plan.reason}`;
  }
}
