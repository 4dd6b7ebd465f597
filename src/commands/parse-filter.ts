import type { CostFilter, CostValueLists } from '../costs/cost-query.types.js';
import { FILTER_FIELDS } from '../costs/cost-query.types.js';
import { matchDimension } from './grammar-words.js';
import type { Token } from './tokenize.js';

const FILTER_WORDS = new Set(['for', 'where', 'only', 'on']);
/** Words that make the filter an exclusion: `excluding charge Tax`, `not tag:env=prod`. */
const EXCLUDE_WORDS = new Set(['excluding', 'except', 'without', 'not', 'exclude']);

/**
 * Filters: `for service "Amazon Simple Storage Service"`, `where region = eu-west-1`, `service=AWS Lambda` is two
 * tokens so quote it, `tag:team=payments`, `for tag team payments`, `for charge Tax`; exclusions: `excluding charge
 * Tax`, `not tag:env=prod`, `except provider AWS`. Adds to `filter`; returns tokens read or 0.
 */
export function matchFilter(t: Token[], i: number, filter: CostFilter): number {
  const w = t[i];
  if (!w) return 0;
  if (!w.quoted && EXCLUDE_WORDS.has(w.lower)) {
    const exclude: CostValueLists = { ...filter.exclude };
    // `not tag:env=prod` (an inline pair after the word), or `excluding charge Tax` (the word leads like `for`).
    const inline = t[i + 1] && inlinePair(t[i + 1]!) ? matchValues(t, i + 1, exclude, false) : 0;
    const read = inline ? inline + 1 : matchValues(t, i, exclude, true);
    if (read) filter.exclude = exclude;
    return read;
  }
  return matchValues(t, i, filter, false);
}

const inlinePair = (w: Token) => (!w.quoted ? /^([a-z-]+|tag:[^=]+)=(.+)$/i.exec(w.text) : null);

/** `for <dimension> <value>` or `<dimension>=<value>`; with `led`, the word at `i` has already been judged a lead. */
function matchValues(t: Token[], i: number, filter: CostValueLists, led: boolean): number {
  const w = t[i];
  if (!w) return 0;
  const inline = inlinePair(w);
  if (inline) return addFilter(filter, inline[1]!, inline[2]!) ? 1 : 0;
  if (w.quoted || !(led || FILTER_WORDS.has(w.lower))) return 0;
  const pair = t[i + 1] ? inlinePair(t[i + 1]!) : null; // `for tag:team=payments`
  if (pair) return addFilter(filter, pair[1]!, pair[2]!) ? 2 : 0;
  const dim = matchDimension(t, i + 1);
  if (!dim) return 0;
  let j = i + 1 + dim.length;
  if (t[j] && !t[j]!.quoted && (t[j]!.lower === '=' || t[j]!.lower === 'is')) j++;
  const value = t[j];
  if (!value) return 0;
  const name = dim.value.kind === 'tag' ? `tag:${dim.value.key}` : dim.value.kind;
  return addFilter(filter, name, value.text) ? j + 1 - i : 0;
}

function addFilter(filter: CostValueLists, name: string, value: string): boolean {
  if (name.toLowerCase().startsWith('tag:')) {
    filter.tags = [...(filter.tags ?? []), { key: name.slice(4), value }];
    return true;
  }
  const dim = matchDimension([{ text: name, lower: name.toLowerCase(), quoted: false }], 0)?.value.kind;
  if (!dim || !Object.hasOwn(FILTER_FIELDS, dim)) return false;
  const field = FILTER_FIELDS[dim as keyof typeof FILTER_FIELDS];
  filter[field] = [...(filter[field] ?? []), value];
  return true;
}
