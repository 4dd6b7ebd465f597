import type { CostQuery } from '../costs/cost-query.schema.js';
import { COST_QUERY_VERSION } from '../costs/cost-query.schema.js';
import type { CostFilter, CostValueLists, Dimension } from '../costs/cost-query.types.js';
import { FILTER_FIELDS } from '../costs/cost-query.types.js';
import type { Period } from '../costs/period.js';
import type { Command } from './command.types.js';

type ValueFilter = NonNullable<CostQuery['where']>;

/** A query dimension as the cost services name it: `tag:team` → `{ kind: 'tag', key: 'team' }`. */
function dimensionOf(name: string): Dimension {
  return name.startsWith('tag:') ? { kind: 'tag', key: name.slice(4) } : ({ kind: name } as Dimension);
}

const nameOf = (d: Dimension) => (d.kind === 'tag' ? `tag:${d.key}` : d.kind);

function listsOf(f: ValueFilter | undefined): CostValueLists {
  const out: CostValueLists = {};
  if (!f) return out;
  for (const [dim, field] of Object.entries(FILTER_FIELDS) as [keyof typeof FILTER_FIELDS, keyof CostValueLists][]) {
    const v = f[dim];
    if (v) (out[field] as string[]) = [...v];
  }
  if (f.tags) out.tags = Object.entries(f.tags).flatMap(([key, vs]) => vs.map((value) => ({ key, value })));
  return out;
}

function filterOf(lists: CostValueLists | undefined): ValueFilter | undefined {
  if (!lists) return undefined;
  const out: ValueFilter = {};
  for (const [dim, field] of Object.entries(FILTER_FIELDS) as [keyof typeof FILTER_FIELDS, keyof CostValueLists][]) {
    const v = lists[field] as string[] | undefined;
    if (v?.length) out[dim] = [...v];
  }
  for (const t of lists.tags ?? []) out.tags = { ...out.tags, [t.key]: [...(out.tags?.[t.key] ?? []), t.value] };
  return Object.keys(out).length ? out : undefined;
}

/** The command a query runs as (its periods as day ranges). */
export function commandOfQuery(q: CostQuery, fallback: Period): Command {
  const filter: CostFilter = { ...listsOf(q.where), ...(q.exclude ? { exclude: listsOf(q.exclude) } : {}) };
  const groupBy = q.groupBy ? { groupBy: dimensionOf(q.groupBy) } : {};
  const p = q.period ?? fallback;
  switch (q.kind) {
    case 'forecast':
      return { kind: 'forecast', metric: q.metric, filter, ...groupBy };
    case 'compare':
      return {
        kind: 'compare',
        metric: q.metric,
        current: { kind: 'range', from: p.from, to: p.to },
        previous: q.previous ? { kind: 'range', from: q.previous.from, to: q.previous.to } : { kind: 'previous' },
        filter,
        ...groupBy,
        ...(q.top ? { top: q.top } : {}),
      };
    case 'cost':
      return {
        kind: 'cost',
        metric: q.metric,
        period: { kind: 'range', from: p.from, to: p.to },
        filter,
        ...groupBy,
        ...(q.top ? { top: q.top } : {}),
      };
  }
}

/** The query a command ran as, with its periods resolved (`periods`: the current one, and the previous one of a compare). */
export function queryOfCommand(c: Command, periods: { period?: Period; previous?: Period }): CostQuery | null {
  if (c.kind !== 'cost' && c.kind !== 'compare' && c.kind !== 'forecast') return null;
  const where = filterOf(c.filter);
  const exclude = filterOf(c.filter.exclude);
  const day = (p: Period) => ({ from: p.from, to: p.to });
  return {
    version: COST_QUERY_VERSION,
    kind: c.kind,
    metric: c.metric,
    ...(periods.period ? { period: day(periods.period) } : {}),
    ...(periods.previous ? { previous: day(periods.previous) } : {}),
    ...(where ? { where } : {}),
    ...(exclude ? { exclude } : {}),
    ...('groupBy' in c && c.groupBy ? { groupBy: nameOf(c.groupBy) } : {}),
    ...(c.kind === 'cost' && c.thenBy ? { thenBy: nameOf(c.thenBy) } : {}),
    ...('top' in c && c.top ? { top: c.top } : {}),
    ...(c.kind === 'cost' && c.order ? { order: c.order } : {}),
    ...(c.kind === 'cost' && c.runRate ? { runRate: true } : {}),
  };
}
