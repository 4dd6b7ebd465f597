import type { CostFilter, Dimension } from './cost-query.types.js';
import { UNTAGGED } from './cost-query.types.js';
import type { DailyRollup } from './cost-record.types.js';

/** The key of a rollup for one dimension. Shared by every repository so that all of them group alike. */
export function dimensionValue(rollup: DailyRollup, dimension: Dimension): string {
  switch (dimension.kind) {
    case 'provider':
      return rollup.provider;
    case 'account':
      return rollup.subAccountId;
    case 'service':
      return rollup.serviceName;
    case 'category':
      return rollup.serviceCategory;
    case 'region':
      return rollup.region;
    case 'charge':
      return rollup.chargeCategory;
    case 'tag':
      return rollup.tags.find((t) => t.key === dimension.key)?.value ?? UNTAGGED;
  }
}

/** True when the rollup passes every allow-list in the filter. */
export function matchesFilter(rollup: DailyRollup, filter: CostFilter | undefined): boolean {
  if (!filter) return true;
  const allows = (list: string[] | undefined, v: string) => !list || list.length === 0 || list.includes(v);
  if (!allows(filter.providers, rollup.provider)) return false;
  if (!allows(filter.subAccountIds, rollup.subAccountId)) return false;
  if (!allows(filter.services, rollup.serviceName)) return false;
  if (!allows(filter.categories, rollup.serviceCategory)) return false;
  if (!allows(filter.regions, rollup.region)) return false;
  for (const t of filter.tags ?? []) {
    if (!rollup.tags.some((x) => x.key === t.key && x.value === t.value)) return false;
  }
  return true;
}
