import type { ViewScope } from '../costs/view-scope.js';
import { scopeAllows } from '../costs/view-scope.js';
import type { Approval } from './approval.types.js';

/**
 * Whether a viewer's scope allows an approval (docs/architecture.md#who-sees-what): its target's provider and account,
 * and the resource's tags as they were when it was proposed.
 */
export function approvalInScope(a: Approval, scope: ViewScope | undefined): boolean {
  const { provider, accountId } = a.action.target;
  return scopeAllows(scope, { provider, accountId, tags: a.action.facts.tags });
}

/** "this channel's scope" or "your scope", for a refusal. */
export function scopeOwner(scope: ViewScope): string {
  return scope.of === 'channel'
    ? "this channel's scope"
    : scope.of === 'both'
      ? 'the scope you have here'
      : 'your scope';
}
