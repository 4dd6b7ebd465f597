import type { CostFilter } from '../costs/cost-query.types.js';
import { isEmptyScope, type ViewScope } from '../costs/view-scope.js';

/**
 * Whether a viewer may see a budget (docs/architecture.md#who-sees-what): all of its scope must lie inside the
 * viewer's, so that its spend is never a figure narrowed to part of it, nor one that shows more than they may see.
 * Without a viewer scope, every budget is visible.
 */
export function budgetVisibleIn(filter: CostFilter, scope: ViewScope | undefined): boolean {
  if (!scope) return true;
  if (isEmptyScope(scope)) return false;
  const within = (asked: string[] | undefined, allowed: string[] | undefined) =>
    !allowed || (!!asked && asked.length > 0 && asked.every((a) => allowed.includes(a)));
  if (!within(filter.providers, scope.providers) || !within(filter.subAccountIds, scope.subAccountIds)) return false;
  return (scope.tags ?? []).every((t) =>
    within(
      (filter.tags ?? []).filter((f) => f.key === t.key).map((f) => f.value),
      t.values,
    ),
  );
}
