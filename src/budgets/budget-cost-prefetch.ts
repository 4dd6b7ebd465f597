import type { AggregateQuery, AggregateRow, CostFilter, Dimension } from '../costs/cost-query.types.js';
import type { Metric } from '../costs/cost-record.types.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import type { Day } from '../shared/day.js';

/** A budget filter split into the one value that tells it from budgets like it (the pivot) and the rest (the shape). */
interface Pivot {
  dimension: Dimension;
  value: string;
  shape: CostFilter;
}

/** The filter lists a pivot may be taken from, after a tag: one value of one of them. */
const PIVOT_LISTS = [
  ['subAccountIds', 'account'],
  ['services', 'service'],
  ['providers', 'provider'],
  ['categories', 'category'],
  ['subcategories', 'subcategory'],
  ['regions', 'region'],
  ['resourceIds', 'resource'],
] as const;

/**
 * The pivot of a filter: a tag key with one value, else the first list of {@link PIVOT_LISTS} with one value. Null
 * for a filter without one (all costs, or only lists of several values): its queries go to the store as they are.
 */
function pivotOf(filter: CostFilter): Pivot | null {
  const tags = filter.tags ?? [];
  const single = tags.find((t) => tags.filter((o) => o.key === t.key).length === 1);
  if (single) {
    const { tags: _tags, ...rest } = filter;
    const others = tags.filter((t) => t !== single);
    const shape: CostFilter = others.length ? { ...rest, tags: others } : rest;
    return { dimension: { kind: 'tag', key: single.key }, value: single.value, shape };
  }
  for (const [field, kind] of PIVOT_LISTS) {
    const list = filter[field];
    if (list?.length !== 1) continue;
    const shape: CostFilter = { ...filter };
    delete shape[field];
    return { dimension: { kind }, value: list[0]!, shape };
  }
  return null;
}

/** JSON with sorted object keys, so that equal filters give equal keys. */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Budgets of one shape, pivot dimension and metric, and the pivot values they ask for. */
interface ShapeGroup {
  dimension: Dimension;
  shape: CostFilter;
  metric: Metric;
  values: Set<string>;
  /** Rows by pivot value, per query kind: by day (`none`) or by day and charge (`charge`), fetched once. */
  fetched: Map<'none' | 'charge', Promise<Map<string, AggregateRow[]>>>;
}

/**
 * A `CostRepository` in front of the cost store that answers the daily queries of many budgets' status
 * (docs/budgets.md#alerts) with one grouped query per budget shape: budgets whose filters differ only in one value
 * (`tag:team=payments`, `tag:team=search`, …) are summed together, grouped by that dimension, over one window of days,
 * and each budget's query is answered with its value's rows. A group's rows are exactly what the store sums for one
 * value alone (the same rows, the same decimal sums), so a status reads the same whichever way it was computed.
 * Anything else (another query, a day outside the window) goes to the store, identical queries once.
 */
export class BudgetCostPrefetch implements CostRepository {
  private readonly groups = new Map<string, ShapeGroup>();
  private readonly memo = new Map<string, Promise<AggregateRow[]>>();
  private sourcesOnce: ReturnType<CostRepository['sources']> | null = null;

  constructor(
    private readonly store: CostRepository,
    /** The days prefetched: every budget period's start through today. */
    private readonly window: { from: Day; to: Day },
  ) {}

  /** Registers a budget's scope and metric: its daily queries are then answered from its shape's grouped rows. */
  register(filter: CostFilter, metric: Metric): void {
    const pivot = pivotOf(filter);
    if (!pivot) return;
    const key = groupKey(pivot, metric);
    const group = this.groups.get(key) ?? {
      dimension: pivot.dimension,
      shape: pivot.shape,
      metric,
      values: new Set<string>(),
      fetched: new Map(),
    };
    group.values.add(pivot.value);
    this.groups.set(key, group);
  }

  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    const kind = queryKind(query);
    const metric = query.metrics?.length === 1 ? query.metrics[0] : undefined;
    const pivot = query.filter ? pivotOf(query.filter) : null;
    const group = pivot && metric ? this.groups.get(groupKey(pivot, metric)) : undefined;
    const inWindow = query.from >= this.window.from && query.to <= this.window.to;
    if (!kind || !group || !pivot || !group.values.has(pivot.value) || !inWindow) return this.once(query);
    const rows = (await this.rowsOf(group, kind)).get(pivot.value) ?? [];
    return rows.filter((r) => (r.day ?? '') >= query.from && (r.day ?? '') <= query.to);
  }

  private rowsOf(group: ShapeGroup, kind: 'none' | 'charge'): Promise<Map<string, AggregateRow[]>> {
    let rows = group.fetched.get(kind);
    if (!rows) {
      rows = this.fetch(group, kind);
      group.fetched.set(kind, rows);
    }
    return rows;
  }

  private async fetch(group: ShapeGroup, kind: 'none' | 'charge'): Promise<Map<string, AggregateRow[]>> {
    const values = [...group.values].sort();
    const d = group.dimension;
    const filter: CostFilter =
      d.kind === 'tag'
        ? { ...group.shape, tags: [...(group.shape.tags ?? []), ...values.map((value) => ({ key: d.key, value }))] }
        : { ...group.shape, [fieldOf(d)]: values };
    const rows = await this.store.aggregate({
      ...this.window,
      filter,
      groupBy: kind === 'charge' ? [d, { kind: 'charge' }] : [d],
      byDay: true,
      metrics: [group.metric],
    });
    const byValue = new Map<string, AggregateRow[]>();
    for (const r of rows) {
      const [value = '', ...rest] = r.keys;
      const { names: _names, ...row } = r;
      const list = byValue.get(value) ?? [];
      list.push({ ...row, keys: rest });
      byValue.set(value, list);
    }
    return byValue;
  }

  /** A query for the store, sent once however many budgets ask it. */
  private once(query: AggregateQuery): Promise<AggregateRow[]> {
    const key = stableKey(query);
    let rows = this.memo.get(key);
    if (!rows) {
      rows = this.store.aggregate(query);
      this.memo.set(key, rows);
    }
    return rows;
  }

  /** Read once per check: every budget's forecast asks for the sources' last days. */
  sources(): ReturnType<CostRepository['sources']> {
    this.sourcesOnce ??= this.store.sources();
    return this.sourcesOnce;
  }

  replaceRollups(...args: Parameters<CostRepository['replaceRollups']>) {
    return this.store.replaceRollups(...args);
  }
  writer(source: string) {
    return this.store.writer(source);
  }
  dataRange() {
    return this.store.dataRange();
  }
  accounts() {
    return this.store.accounts();
  }
  tagKeys() {
    return this.store.tagKeys();
  }
  removeSource(name: string) {
    return this.store.removeSource(name);
  }
  coverage(range: { from: Day; to: Day }) {
    return this.store.coverage(range);
  }
}

function groupKey(pivot: Pivot, metric: Metric): string {
  return stableKey([pivot.dimension, pivot.shape, metric]);
}

/** The daily queries a budget status makes: by day (spend), or by day and charge (the forecast). */
function queryKind(q: AggregateQuery): 'none' | 'charge' | null {
  if (!q.byDay || q.top || q.sources) return null;
  if (q.groupBy.length === 0) return 'none';
  return q.groupBy.length === 1 && q.groupBy[0]?.kind === 'charge' ? 'charge' : null;
}

function fieldOf(d: Dimension): (typeof PIVOT_LISTS)[number][0] {
  const found = PIVOT_LISTS.find(([, kind]) => kind === d.kind);
  if (!found) throw new Error(`no filter list for ${d.kind}`);
  return found[0];
}
