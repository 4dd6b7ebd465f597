import type { CostFilter } from '../costs/cost-query.types.js';
import { matchDimension } from './grammar-words.js';
import type { Token } from './tokenize.js';

const FILTER_WORDS = new Set(['for', 'where', 'only', 'on']);

/**
 * Filters: `for service "Amazon Simple Storage Service"`, `where region = eu-west-1`, `service=AWS Lambda` is two
 * tokens so quote it, `tag:team=payments`, `for tag team payments`. Adds to `filter`; returns tokens read or 0.
 */
export function matchFilter(t: Token[], i: number, filter: CostFilter): number {
  const w = t[i];
  if (!w) return 0;
  const inline = !w.quoted ? /^([a-z-]+|tag:[^=]+)=(.+)$/i.exec(w.text) : null;
  if (inline) return addFilter(filter, inline[1]!, inline[2]!) ? 1 : 0;
  if (w.quoted || !FILTER_WORDS.has(w.lower)) return 0;
  const dim = matchDimension(t, i + 1);
  if (!dim) return 0;
  let j = i + 1 + dim.length;
  if (t[j] && !t[j]!.quoted && (t[j]!.lower === '=' || t[j]!.lower === 'is')) j++;
  const value = t[j];
  if (!value) return 0;
  const name = dim.value.kind === 'tag' ? `tag:${dim.value.key}` : dim.value.kind;
  return addFilter(filter, name, value.text) ? j + 1 - i : 0;
}

function addFilter(filter: CostFilter, name: string, value: string): boolean {
  if (name.toLowerCase().startsWith('tag:')) {
    filter.tags = [...(filter.tags ?? []), { key: name.slice(4), value }];
    return true;
  }
  const dim = matchDimension([{ text: name, lower: name.toLowerCase(), quoted: false }], 0)?.value.kind;
  const push = (list: string[] | undefined) => [...(list ?? []), value];
  switch (dim) {
    case 'provider':
      filter.providers = push(filter.providers);
      return true;
    case 'account':
      filter.subAccountIds = push(filter.subAccountIds);
      return true;
    case 'service':
      filter.services = push(filter.services);
      return true;
    case 'category':
      filter.categories = push(filter.categories);
      return true;
    case 'region':
      filter.regions = push(filter.regions);
      return true;
    case 'resource':
      filter.resourceIds = push(filter.resourceIds);
      return true;
    default:
      return false;
  }
}
