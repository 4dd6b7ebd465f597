import type { ResourceFacts } from '../../actions/action.types.js';
import { describeWindows, type Guardrails, insideChangeWindow, protectedBy } from '../../actions/guardrails.js';
import type { Approval } from '../approval.types.js';

export interface TargetCheckContext {
  guardrails: Guardrails;
  /** When the execution started: outside a window it was rescheduled instead, unless no window ever opens. */
  now: Date;
  /** Actions already executed today on the same account. */
  executedToday: number;
  /** The execution was interrupted and runs again. */
  resumed: boolean;
}

/**
 * Why the executor must not touch the target now, or null. The target must still exist and be as it was proposed
 * (same type, size, attachment), carry no protected tag, and the action must fall in a change window (as it started:
 * one that started outside every window waits for the next instead, `ExecutorService`) and under the daily limit. A resumed execution accepts the state its own earlier steps left behind.
 */
export function checkTarget(approval: Approval, current: ResourceFacts | null, ctx: TargetCheckContext): string | null {
  const { action } = approval;
  const steps = approval.execution?.steps ?? [];
  const midway = ctx.resumed && steps.some((s) => s !== 'dry run permitted');
  if (!current) {
    if (ctx.resumed && (action.kind === 'release_address' || steps.some((s) => s.startsWith('snapshot')))) return null;
    return `${action.target.resourceId} no longer exists`;
  }
  const changed = changedSince(approval, current, ctx.resumed);
  if (changed) return changed;
  const tag = protectedBy(ctx.guardrails, current.tags);
  if (tag) return `${action.target.resourceId} now carries the protected tag ${tag}`;
  if (midway) return null;
  if (!insideChangeWindow(ctx.guardrails, ctx.now))
    return `outside the change window (${describeWindows(ctx.guardrails)})`;
  if (ctx.executedToday >= ctx.guardrails.dailyLimitPerAccount)
    return `the daily limit of ${ctx.guardrails.dailyLimitPerAccount} actions for account ${action.target.accountId} is reached`;
  return null;
}

function changedSince(approval: Approval, current: ResourceFacts, resumed: boolean): string | null {
  const { facts, kind, params, target } = approval.action;
  const id = target.resourceId;
  if (current.resourceType !== facts.resourceType) return `${id} is not the same kind of resource`;
  if (current.resourceType === 'instance' && facts.resourceType === 'instance') {
    const resizedByUs = resumed && kind === 'resize_instance' && current.instanceType === params.instanceType;
    if (current.instanceType !== facts.instanceType && !resizedByUs)
      return `${id} changed type since the proposal (${facts.instanceType} → ${current.instanceType})`;
    if (kind === 'stop_instance' && current.state !== 'running' && !resumed)
      return `${id} is ${current.state}, not running as when it was proposed`;
    if (!['running', 'stopped', 'stopping', 'pending'].includes(current.state)) return `${id} is ${current.state}`;
  }
  if (current.resourceType === 'volume' && facts.resourceType === 'volume') {
    if (current.state !== 'available') return `${id} is ${current.state} (attached) now`;
    if (current.sizeGiB !== facts.sizeGiB) return `${id} changed size (${facts.sizeGiB} → ${current.sizeGiB} GiB)`;
  }
  if (current.resourceType === 'address' && current.associationId)
    return `${id} is associated${current.instanceId ? ` with ${current.instanceId}` : ''} now`;
  return null;
}
