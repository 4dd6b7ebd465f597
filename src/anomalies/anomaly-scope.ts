import type { ViewScope } from '../costs/view-scope.js';
import type { Anomaly } from './anomaly.types.js';

/**
 * Whether a viewer's scope allows an anomaly (docs/architecture.md#who-sees-what). With an account scope only
 * anomalies of those accounts qualify: a service or total anomaly sums every account, including ones the viewer may
 * not see. With a tag scope none does: anomalies are not found per tag.
 */
export function anomalyInScope(a: Anomaly, scope: ViewScope | undefined): boolean {
  if (!scope) return true;
  if (scope.tags?.length) return false;
  if (scope.providers && !(a.provider && scope.providers.includes(a.provider))) return false;
  if (scope.subAccountIds) return a.dimension === 'account' && scope.subAccountIds.includes(a.key);
  return true;
}
