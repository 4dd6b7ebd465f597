import type { CostFilter } from './cost-query.types.js';

/** What a channel may see: allow-lists of providers and sub-account ids (absent = all). */
export interface ChannelScope {
  providers?: string[];
  subAccountIds?: string[];
}

/**
 * Narrows a command's filter to what the channel may see. Returns null when the command asks only for data outside
 * the scope (e.g. `for provider Microsoft` in an AWS-only channel).
 */
export function applyScope(filter: CostFilter, scope: ChannelScope | undefined): CostFilter | null {
  if (!scope) return filter;
  const providers = intersect(filter.providers, scope.providers);
  const subAccountIds = intersect(filter.subAccountIds, scope.subAccountIds);
  if (providers?.length === 0 || subAccountIds?.length === 0) return null;
  return { ...filter, ...(providers ? { providers } : {}), ...(subAccountIds ? { subAccountIds } : {}) };
}

function intersect(asked: string[] | undefined, allowed: string[] | undefined): string[] | undefined {
  if (!allowed) return asked;
  if (!asked || asked.length === 0) return [...allowed];
  return asked.filter((a) => allowed.includes(a));
}

/** One line describing a scope, for answers in a scoped channel. */
export function describeScope(scope: ChannelScope): string {
  const parts: string[] = [];
  if (scope.providers) parts.push(`providers ${scope.providers.join(', ')}`);
  if (scope.subAccountIds) parts.push(`accounts ${scope.subAccountIds.join(', ')}`);
  return `This channel sees only ${parts.join(' and ')}.`;
}
