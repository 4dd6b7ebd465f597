import leven from 'leven';
import type { CostFilter, CostValueLists } from './cost-query.types.js';
import { UNTAGGED } from './cost-query.types.js';

/** The names the data holds, per dimension (the fast path's vocabulary has this shape). */
export interface DataNames {
  providers: string[];
  services: string[];
  categories: string[];
  regions: string[];
  charges: string[];
  accounts: { id: string; name: string }[];
  tags: Map<string, string[]>;
}

/** A filter value the data does not hold, with the nearest names it does. */
export interface UnknownName {
  what: string;
  value: string;
  suggestions: string[];
}

const FIELDS: [keyof CostValueLists, keyof DataNames, string][] = [
  ['providers', 'providers', 'provider'],
  ['services', 'services', 'service'],
  ['categories', 'categories', 'category'],
  ['regions', 'regions', 'region'],
  ['charges', 'charges', 'charge category'],
];

/**
 * Checks a filter's values against the names in the data (docs/architecture.md#questions-as-people-ask-them): a value
 * that differs only in case is read as the data writes it ("aws" → AWS, said in `readings`), an account may be named
 * instead of numbered, and a value the data does not hold is returned in `unknown` with the nearest names, so that
 * the answer says so instead of "No cost data".
 */
export function checkFilterNames(
  filter: CostFilter,
  names: DataNames,
): { filter: CostFilter; readings: string[]; unknown: UnknownName[] } {
  const readings: string[] = [];
  const unknown: UnknownName[] = [];
  const fix = (lists: CostValueLists | undefined): CostValueLists | undefined => {
    if (!lists) return lists;
    const out: CostValueLists = { ...lists };
    for (const [field, source, what] of FIELDS) {
      const values = lists[field] as string[] | undefined;
      if (!values) continue;
      (out[field] as string[]) = values.map((v) => resolve(v, names[source] as string[], what));
    }
    if (lists.subAccountIds) {
      const ids = names.accounts.flatMap((a) => [a.id, a.name]);
      out.subAccountIds = lists.subAccountIds.map((v) => {
        const exact = names.accounts.find((a) => a.id === v);
        if (exact) return v;
        const byName = names.accounts.find(
          (a) => a.name.toLowerCase() === v.toLowerCase() || a.id.toLowerCase() === v.toLowerCase(),
        );
        if (byName) {
          readings.push(`account ${v} as ${byName.id}${byName.name ? ` (${byName.name})` : ''}`);
          return byName.id;
        }
        unknown.push({ what: 'account', value: v, suggestions: nearest(v, ids) });
        return v;
      });
    }
    if (lists.tags)
      out.tags = lists.tags.map((t) => {
        const key = resolveKey(t.key);
        if (key === null) return t;
        if (t.value === UNTAGGED) return { key, value: t.value };
        return { key, value: resolve(t.value, names.tags.get(key) ?? [], `value of tag ${key}`) };
      });
    return out;
  };
  const resolveKey = (key: string): string | null => {
    if (names.tags.has(key)) return key;
    const found = [...names.tags.keys()].find((k) => k.toLowerCase() === key.toLowerCase());
    if (found) return found;
    unknown.push({ what: 'tag key', value: key, suggestions: nearest(key, [...names.tags.keys()]) });
    return null;
  };
  const resolve = (value: string, known: string[], what: string): string => {
    if (known.includes(value)) return value;
    const found = known.find((k) => k.toLowerCase() === value.toLowerCase());
    if (found) {
      readings.push(`${what} ${value} as ${found}`);
      return found;
    }
    unknown.push({ what, value, suggestions: nearest(value, known) });
    return value;
  };
  const checked = fix(filter) as CostFilter;
  const exclude = fix(filter.exclude);
  return { filter: { ...checked, ...(exclude ? { exclude } : {}) }, readings, unknown };
}

function nearest(value: string, known: string[]): string[] {
  const v = value.toLowerCase();
  return known
    .map((k) => ({ k, d: k.toLowerCase().includes(v) || v.includes(k.toLowerCase()) ? 1 : leven(v, k.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(value.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map((x) => x.k);
}
