import type { Approval } from '../approval.types.js';
import type { StepRecorder } from './action-steps.js';
import type { CloudActions } from './cloud-actions.port.js';

/**
 * After a resize failed midway (docs/architecture.md#undo): puts the instance back to the type and state it had
 * before — the recorded undo plan's, else the facts of the proposal — stopping it to change the type back and
 * starting it if it was running. Returns what it did, in words ("" when nothing needed doing).
 */
export async function restoreFailedResize(
  approval: Approval,
  cloud: CloudActions,
  record: Pick<StepRecorder, 'intent' | 'done'>,
): Promise<string> {
  const ref = approval.action.target;
  const plan = approval.undo?.plan;
  const before =
    plan?.kind === 'resize_back'
      ? plan
      : approval.action.facts.resourceType === 'instance'
        ? { instanceType: approval.action.facts.instanceType, state: approval.action.facts.state }
        : null;
  if (!before) return '';
  let now = await cloud.describe(ref);
  if (now?.resourceType !== 'instance') return '';
  const done: string[] = [];
  const act = async (intent: string, step: string, call: () => Promise<unknown>) => {
    await record.intent(intent);
    await call();
    await record.done(step);
    done.push(step);
  };
  if (now.instanceType !== before.instanceType) {
    if (now.state !== 'stopped') await act(`stopping ${ref.resourceId}`, 'stopped', () => cloud.stopInstance(ref));
    await act(`modifying ${ref.resourceId} back to ${before.instanceType}`, `put back to ${before.instanceType}`, () =>
      cloud.modifyInstanceType(ref, before.instanceType),
    );
    now = await cloud.describe(ref);
  }
  const state = now?.resourceType === 'instance' ? now.state : 'stopped';
  if (before.state === 'running' && state !== 'running')
    await act(`starting ${ref.resourceId} again`, 'started again', () => cloud.startInstance(ref));
  return done.join(', ');
}
