import type { AggregateQuery, AggregateRow, CostFilter, Dimension } from '../costs/cost-query.types.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import type { Day } from '../shared/day.js';

/**
 * A budget filter split into the values that tell it from budgets like it (the pivot: every tag key with one value
 * and every list with one value) and the rest (the shape: lists of several values, exclusions, scopes).
 */
interface Pivot {
  dimensions: Dimension[];
  values: string[];
  shape: CostFilter;
}

/** The filter lists a pivot takes a value from, in this order after the tags. */
const PIVOT_LISTS = [
  ['subAccountIds', 'account'],
  ['services', 'service'],
  ['providers', 'provider'],
  ['categories', 'category'],
  ['subcategories', 'subcategory'],
  ['regions', 'region'],
  ['charges', 'charge'],
  ['resourceIds', 'resource'],
] as const;
type PivotField = (typeof PIVOT_LISTS)[number][0];

/** The pivot of a filter; null for one without any single value (all costs, lists of several values only). */
function pivotOf(filter: CostFilter): Pivot | null {
  const dimensions: Dimension[] = [];
  const values: string[] = [];
  const shape: CostFilter = { ...filter };
  const tags = filter.tags ?? [];
  const single = tags
    .filter((t) => tags.filter((o) => o.key === t.key).length === 1)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const t of single) {
    dimensions.push({ kind: 'tag', key: t.key });
    values.push(t.value);
  }
  const others = tags.filter((t) => !single.includes(t));
  if (others.length) shape.tags = others;
  else delete shape.tags;
  for (const [field, kind] of PIVOT_LISTS) {
    const list = filter[field];
    if (list?.length !== 1) continue;
    dimensions.push({ kind });
    values.push(list[0]!);
    delete shape[field];
  }
  return dimensions.length ? { dimensions, values, shape } : null;
}

/** JSON with sorted object keys, so that equal filters give equal keys. */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** The queries a budget check makes: spend by day, by day and charge (the forecast), by service and account. */
type QueryKind = 'day' | 'charge' | 'drivers';

/** Budgets of one shape and pivot dimensions, the pivot values they ask for, and the rows fetched for them. */
interface ShapeGroup {
  pivot: Omit<Pivot, 'values'>;
  /** Each dimension's values, over every budget of the group. */
  values: Set<string>[];
  /** Budgets' value tuples (JSON) registered. */
  tuples: Set<string>;
  /** The first day of its budgets' periods: the spend by day is read from there. */
  from: Day;
  /** Rows by value tuple, per query kind and day range, fetched once. */
  fetched: Map<string, Promise<Map<string, AggregateRow[]>>>;
}

/**
 * A `CostRepository` in front of the cost store that answers the queries of many budgets' checks
 * (docs/budgets.md#alerts) with one grouped query per budget shape: budgets whose filters differ only in their single
 * values (`tag:team=payments`, `tag:team=search`, `account A service S`, …) are summed together, grouped by those
 * dimensions, and each budget's query is answered with its values' rows. A group's rows are exactly what the store
 * sums for one budget alone (the same rows, the same decimal sums), so a status reads the same whichever way it was
 * computed. The daily queries read one window of days; the drivers' query one per day range asked. Anything else goes
 * to the store, identical queries once.
 */
export class BudgetCostPrefetch implements CostRepository {
  private readonly groups = new Map<string, ShapeGroup>();
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: CostRepository,
    /**
     * The days the daily queries read: the spend by day from each shape's earliest period start, the spend by day and
     * charge (the month-end forecast's) from `forecastFrom`; both through `to` (today).
     */
    private readonly window: { forecastFrom: Day; to: Day },
  ) {}

  /** Registers a budget's scope and the first day of its period: its queries are then answered from grouped rows. */
  register(filter: CostFilter, periodFrom: Day): void {
    const pivot = pivotOf(filter);
    if (!pivot) return;
    const key = stableKey([pivot.dimensions, pivot.shape]);
    const group: ShapeGroup = this.groups.get(key) ?? {
      pivot: { dimensions: pivot.dimensions, shape: pivot.shape },
      values: pivot.dimensions.map(() => new Set<string>()),
      tuples: new Set(),
      from: periodFrom,
      fetched: new Map(),
    };
    for (const [i, v] of pivot.values.entries()) group.values[i]!.add(v);
    group.tuples.add(JSON.stringify(pivot.values));
    if (periodFrom < group.from) group.from = periodFrom;
    this.groups.set(key, group);
  }

  /** Runs every shape's daily queries at once (DuckDB runs them side by side), before the budgets ask for them. */
  async warm(): Promise<void> {
    const all = [...this.groups.values()].flatMap((g) =>
      (['day', 'charge'] as const).map((kind) => this.rowsOf(g, kind, this.daysOf(g, kind))),
    );
    await Promise.all(all);
  }

  private daysOf(group: ShapeGroup, kind: 'day' | 'charge'): { from: Day; to: Day } {
    return { from: kind === 'day' ? group.from : this.window.forecastFrom, to: this.window.to };
  }

  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    const kind = queryKind(query);
    const pivot = kind && query.filter ? pivotOf(query.filter) : null;
    const group = pivot ? this.groups.get(stableKey([pivot.dimensions, pivot.shape])) : undefined;
    const tuple = pivot ? JSON.stringify(pivot.values) : '';
    const days = !group || kind === 'drivers' || !kind ? { from: query.from, to: query.to } : this.daysOf(group, kind);
    const inWindow = query.from >= days.from && query.to <= days.to;
    if (!kind || !group?.tuples.has(tuple) || !inWindow)
      return this.once('aggregate', query, () => this.store.aggregate(query));
    const rows = (await this.rowsOf(group, kind, days)).get(tuple) ?? [];
    return kind === 'drivers' ? rows : rows.filter((r) => (r.day ?? '') >= query.from && (r.day ?? '') <= query.to);
  }

  private rowsOf(group: ShapeGroup, kind: QueryKind, days: { from: Day; to: Day }) {
    const key = `${kind} ${days.from} ${days.to}`;
    let rows = group.fetched.get(key);
    if (!rows) {
      rows = this.fetch(group, kind, days);
      group.fetched.set(key, rows);
    }
    return rows;
  }

  private async fetch(group: ShapeGroup, kind: QueryKind, days: { from: Day; to: Day }) {
    const { dimensions, shape } = group.pivot;
    const filter: CostFilter = { ...shape };
    dimensions.forEach((d, i) => {
      const values = [...group.values[i]!].sort();
      if (d.kind === 'tag') filter.tags = [...(filter.tags ?? []), ...values.map((value) => ({ key: d.key, value }))];
      else filter[fieldOf(d)] = values;
    });
    const rest: Dimension[] =
      kind === 'charge' ? [{ kind: 'charge' }] : kind === 'drivers' ? [{ kind: 'service' }, { kind: 'account' }] : [];
    // All three metrics in one query: budgets of every metric share it.
    const rows = await this.store.aggregate({
      ...days,
      filter,
      groupBy: [...dimensions, ...rest],
      ...(kind === 'drivers' ? {} : { byDay: true }),
    });
    const byTuple = new Map<string, AggregateRow[]>();
    const n = dimensions.length;
    for (const r of rows) {
      const tuple = JSON.stringify(r.keys.slice(0, n));
      const { names, ...row } = r;
      const list = byTuple.get(tuple) ?? [];
      list.push({ ...row, keys: r.keys.slice(n), ...(names ? { names: names.slice(n) } : {}) });
      byTuple.set(tuple, list);
    }
    return byTuple;
  }

  /** A call to the store made once however many budgets ask it. */
  private once<T>(name: string, args: unknown, call: () => Promise<T>): Promise<T> {
    const key = `${name} ${stableKey(args)}`;
    let result = this.memo.get(key) as Promise<T> | undefined;
    if (!result) {
      result = call();
      this.memo.set(key, result);
    }
    return result;
  }

  /** Read once per check: every budget's forecast asks for the sources' last days. */
  sources() {
    return this.once('sources', null, () => this.store.sources());
  }
  dataRange() {
    return this.once('dataRange', null, () => this.store.dataRange());
  }
  coverage(range: { from: Day; to: Day }) {
    return this.once('coverage', range, () => this.store.coverage(range));
  }
  accounts() {
    return this.once('accounts', null, () => this.store.accounts());
  }
  replaceRollups(...args: Parameters<CostRepository['replaceRollups']>) {
    return this.store.replaceRollups(...args);
  }
  writer(source: string) {
    return this.store.writer(source);
  }
  tagKeys() {
    return this.store.tagKeys();
  }
  removeSource(name: string) {
    return this.store.removeSource(name);
  }
}

/**
 * What a query is, for the prefetch: a daily query of one metric (`day`, or `charge` when by charge too), or the
 * drivers' breakdown by service and account (no days, no top). Null: anything else.
 */
function queryKind(q: AggregateQuery): QueryKind | null {
  if (q.top || q.sources || q.metrics?.length !== 1) return null;
  const kinds = q.groupBy.map((d) => d.kind).join(',');
  if (q.byDay) return kinds === '' ? 'day' : kinds === 'charge' ? 'charge' : null;
  return kinds === 'service,account' ? 'drivers' : null;
}

function fieldOf(d: Dimension): PivotField {
  const found = PIVOT_LISTS.find(([, kind]) => kind === d.kind);
  if (!found) throw new Error(`no filter list for ${d.kind}`);
  return found[0];
}
