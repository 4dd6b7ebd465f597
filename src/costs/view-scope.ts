import type { CostFilter } from './cost-query.types.js';

/**
 * What a viewer may see (docs/architecture.md#who-sees-what): allow-lists of providers, sub-account ids and tag
 * values; an absent list allows all, an empty one allows nothing. A channel's scope comes from `channels:` in the
 * policy file, a person's from `access:`; where both apply the viewer sees their intersection.
 */
export interface ViewScope {
  providers?: string[];
  subAccountIds?: string[];
  /** Each listed tag must be on a row (or resource) with one of its values. */
  tags?: ScopeTag[];
  /** Whose scope narrows the view, for the line under an answer. */
  of?: 'channel' | 'you' | 'both';
}

/** A tag a scope requires: `team` with one of `payments`, `search`. */
export interface ScopeTag {
  key: string;
  values: string[];
}

/** A scope that allows nothing, e.g. for a person the policy gives no access. */
export const NOTHING: ViewScope = { providers: [], of: 'you' };

/** Whether a scope allows nothing at all. */
export function isEmptyScope(scope: ViewScope): boolean {
  return (
    scope.providers?.length === 0 || scope.subAccountIds?.length === 0 || !!scope.tags?.some((t) => !t.values.length)
  );
}

/**
 * Narrows a command's filter to what the viewer may see. Returns null when the command asks only for data outside
 * the scope (e.g. `for provider Microsoft` in an AWS-only channel, or `for tag team=search` for a payments person).
 */
export function applyScope(filter: CostFilter, scope: ViewScope | undefined): CostFilter | null {
  if (!scope) return filter;
  if (isEmptyScope(scope)) return null;
  const providers = intersect(filter.providers, scope.providers);
  const subAccountIds = intersect(filter.subAccountIds, scope.subAccountIds);
  if (providers?.length === 0 || subAccountIds?.length === 0) return null;
  for (const t of scope.tags ?? []) {
    const asked = (filter.tags ?? []).filter((f) => f.key === t.key);
    if (asked.some((f) => !t.values.includes(f.value))) return null;
  }
  const tagsIn = [...(filter.tagsIn ?? []), ...(scope.tags ?? [])];
  return {
    ...filter,
    ...(providers ? { providers } : {}),
    ...(subAccountIds ? { subAccountIds } : {}),
    ...(tagsIn.length ? { tagsIn } : {}),
  };
}

function intersect(asked: string[] | undefined, allowed: string[] | undefined): string[] | undefined {
  if (!allowed) return asked;
  if (!asked || asked.length === 0) return [...allowed];
  return asked.filter((a) => allowed.includes(a));
}

/** What both scopes allow (absent = no limit); `undefined` when neither limits anything. */
export function intersectScopes(a: ViewScope | undefined, b: ViewScope | undefined): ViewScope | undefined {
  if (!a) return b;
  if (!b) return a;
  const both = (x: string[] | undefined, y: string[] | undefined) =>
    x && y ? x.filter((v) => y.includes(v)) : (x ?? y);
  const tags = new Map<string, string[]>();
  for (const t of [...(a.tags ?? []), ...(b.tags ?? [])]) tags.set(t.key, both(tags.get(t.key), t.values) ?? []);
  const providers = both(a.providers, b.providers);
  const subAccountIds = both(a.subAccountIds, b.subAccountIds);
  return {
    ...(providers ? { providers } : {}),
    ...(subAccountIds ? { subAccountIds } : {}),
    ...(tags.size ? { tags: [...tags].map(([key, values]) => ({ key, values })) } : {}),
    of: a.of === b.of ? a.of : 'both',
  };
}

/** What a scope is checked against: a resource's provider, account and (when known) tags. */
export interface ScopedThing {
  provider: string;
  accountId: string;
  /** Unknown tags never satisfy a tag scope. */
  tags?: readonly { key: string; value: string }[];
}

/** Whether the scope allows a resource (an approval's target, a recommendation, an anomaly's account). */
export function scopeAllows(scope: ViewScope | undefined, thing: ScopedThing): boolean {
  if (!scope) return true;
  if (scope.providers && !scope.providers.includes(thing.provider)) return false;
  if (scope.subAccountIds && !scope.subAccountIds.includes(thing.accountId)) return false;
  return (scope.tags ?? []).every((t) => thing.tags?.some((r) => r.key === t.key && t.values.includes(r.value)));
}

/** Whether everything `inner` allows, `outer` allows too (a digest subscription needs the channel inside one's scope). */
export function scopeCovers(outer: ViewScope | undefined, inner: ViewScope | undefined): boolean {
  if (!outer) return true;
  if (!inner) return false;
  const within = (o: string[] | undefined, i: string[] | undefined) => !o || (!!i && i.every((v) => o.includes(v)));
  if (!within(outer.providers, inner.providers) || !within(outer.subAccountIds, inner.subAccountIds)) return false;
  return (outer.tags ?? []).every((t) => within(t.values, inner.tags?.find((x) => x.key === t.key)?.values));
}

/** One line describing a scope, for answers it narrowed: "This channel sees only providers AWS." */
export function describeScope(scope: ViewScope): string {
  const who = scope.of === 'you' ? 'You see' : scope.of === 'both' ? 'Here you see' : 'This channel sees';
  if (isEmptyScope(scope)) return `${who} no cost data.`;
  const parts: string[] = [];
  if (scope.providers) parts.push(`providers ${scope.providers.join(', ')}`);
  if (scope.subAccountIds) parts.push(`accounts ${scope.subAccountIds.join(', ')}`);
  for (const t of scope.tags ?? []) parts.push(`tag ${t.key}=${t.values.join('|')}`);
  return `${who} only ${parts.join(' and ')}.`;
}

/**
 * `access:` of the policy file: who sees which scope outside channels' own scopes (direct messages, the App Home,
 * the agent), and who is an admin. Entries are written like approvers: people keys, `@group`, `slack-group:S…`, ids.
 */
export interface AccessPolicy {
  /** Admins see everything a channel allows and may run policy-level commands (`access` for everyone). */
  admins: string[];
  /** A person matched by several rules sees the union of their scopes. */
  rules: { who: string[]; scope: ViewScope }[];
  /** What a person no rule names sees: everything (the default) or nothing. */
  others: 'all' | 'none';
}

/** No `access:` in the policy: everyone sees everything (channels keep their scopes), nobody is an admin. */
export const OPEN_ACCESS: AccessPolicy = { admins: [], rules: [], others: 'all' };
