import type { AggregateQuery, CostFilter, Dimension } from '../../src/costs/cost-query.types.js';
import { FILTER_FIELDS, NO_RESOURCE, UNTAGGED } from '../../src/costs/cost-query.types.js';
import type { Metric } from '../../src/costs/cost-record.types.js';
import { literal } from './cost-table.schema.js';

/** A compiled query: SQL with `$n` parameters and their values (every value from a user is bound, never spliced). */
export interface CompiledQuery {
  sql: string;
  params: string[];
  /** How many group keys the rows have, and whether a names column follows each key. */
  keys: number;
  names: boolean[];
}

/**
 * Compiles an aggregation into one DuckDB statement over the given Parquet partitions. Amounts are summed as
 * `DECIMAL(38,16)` and returned as text, so the exact sum reaches the caller (docs/cost-data.md).
 */
export function compileAggregate(query: AggregateQuery, files: string[]): CompiledQuery {
  const params: string[] = [];
  const bind = (value: string) => {
    params.push(value);
    return `$${params.length}`;
  };
  const select: string[] = [];
  const names: boolean[] = [];
  query.groupBy.forEach((d, i) => {
    select.push(`${dimensionSql(d, bind)} AS k${i}`);
    names.push(d.kind === 'resource');
    if (d.kind === 'resource') select.push(`max(NULLIF(resource_name, '')) AS n${i}`);
  });
  if (query.byDay) select.push('CAST(day AS VARCHAR) AS day');
  select.push('currency');
  const metrics: Metric[] = query.metrics ?? ['billed', 'effective', 'list'];
  for (const m of ['billed', 'effective', 'list'] as const) {
    select.push(metrics.includes(m) ? `sum("${m}") AS "${m}"` : `CAST(0 AS DECIMAL(38,16)) AS "${m}"`);
  }
  select.push(query.metrics ? 'CAST(0 AS BIGINT) AS n' : 'CAST(sum("rows") AS BIGINT) AS n');
  const where = [
    `day BETWEEN CAST(${bind(query.from)} AS DATE) AND CAST(${bind(query.to)} AS DATE)`,
    ...filterSql(query.filter, bind),
  ];
  const groups = [...query.groupBy.map((_, i) => `k${i}`), ...(query.byDay ? ['day'] : []), 'currency'];
  const from = `read_parquet([${files.map(literal).join(', ')}], union_by_name = true)`;
  const grouped = `SELECT ${select.join(', ')} FROM ${from} WHERE ${where.join(' AND ')} GROUP BY ${groups.join(', ')}`;
  const outer = [
    ...query.groupBy.flatMap((d, i) => (d.kind === 'resource' ? [`k${i}`, `n${i}`] : [`k${i}`])),
    ...(query.byDay ? ['day'] : []),
    'currency',
    // Daily series (anomaly scans, trends, forecasts) need no exact decimals, and are the large results: they come
    // back as doubles, which are cheaper to hand to JavaScript; everything else as exact decimal text.
    ...['billed', 'effective', 'list'].map((m) => `CAST("${m}" AS ${query.byDay ? 'DOUBLE' : 'VARCHAR'}) AS "${m}"`),
    'n',
  ];
  const top = query.top;
  if (!top || query.groupBy.length !== 1 || query.byDay) {
    return {
      sql: `SELECT ${outer.join(', ')}, 0 AS folded FROM (${grouped})`,
      params,
      keys: query.groupBy.length,
      names,
    };
  }
  // Top N per currency in SQL: the N largest groups, and the rest folded into one row per currency, so that a
  // breakdown over 200,000 resources hands 11 rows to JavaScript, not 200,000 (docs/cost-data.md).
  const rank = `"${top.metric}"`;
  const folded = [
    'NULL AS k0',
    ...(names[0] ? ['NULL AS n0'] : []),
    'currency',
    ...['billed', 'effective', 'list'].map((m) => `CAST(sum("${m}") AS VARCHAR) AS "${m}"`),
    'CAST(sum(n) AS BIGINT) AS n',
    'count(*) AS folded',
  ];
  return {
    sql:
      `WITH g AS (${grouped}), r AS (SELECT *, row_number() OVER (PARTITION BY currency ORDER BY ${rank} DESC, k0) AS rn FROM g) ` +
      `SELECT ${outer.join(', ')}, 0 AS folded FROM r WHERE rn <= ${Math.floor(top.n)} ` +
      `UNION ALL SELECT ${folded.join(', ')} FROM r WHERE rn > ${Math.floor(top.n)} GROUP BY currency`,
    params,
    keys: 1,
    names,
  };
}

function dimensionSql(d: Dimension, bind: (v: string) => string): string {
  switch (d.kind) {
    case 'provider':
      return 'provider';
    case 'account':
      return 'sub_account_id';
    case 'service':
      return 'service_name';
    case 'category':
      return 'service_category';
    case 'subcategory':
      return 'service_subcategory';
    case 'region':
      return 'region';
    case 'charge':
      return 'charge_category';
    case 'resource':
      return `COALESCE(NULLIF(resource_id, ''), ${literal(NO_RESOURCE)})`;
    case 'tag':
      return `COALESCE(tags[${bind(d.key)}], ${literal(UNTAGGED)})`;
    case 'day':
      return `strftime(day, '%Y-%m-%d')`;
    case 'week':
      return `strftime(date_trunc('week', day), '%Y-%m-%d')`;
    case 'month':
      return `strftime(day, '%Y-%m')`;
  }
}

type FilterField = (typeof FILTER_FIELDS)[keyof typeof FILTER_FIELDS];

function filterSql(filter: CostFilter | undefined, bind: (v: string) => string): string[] {
  if (!filter) return [];
  const out: string[] = [];
  const list = (values: string[]) => values.map(bind).join(', ');
  for (const [dim, field] of Object.entries(FILTER_FIELDS) as [keyof typeof FILTER_FIELDS, FilterField][]) {
    const column = dimensionSql({ kind: dim }, bind);
    const allowed = filter[field];
    if (allowed && allowed.length > 0) out.push(`${column} IN (${list(allowed)})`);
    const excluded = filter.exclude?.[field];
    if (excluded && excluded.length > 0) out.push(`(${column} IS NULL OR ${column} NOT IN (${list(excluded)}))`);
  }
  // Values of one key are alternatives (a row has one value per key): `tag:env=staging tag:env=dev` is either.
  const byKey = new Map<string, string[]>();
  for (const t of filter.tags ?? []) byKey.set(t.key, [...(byKey.get(t.key) ?? []), t.value]);
  for (const [key, values] of byKey) {
    const named = values.filter((v) => v !== UNTAGGED);
    const either = [
      ...(named.length ? [`tags[${bind(key)}] IN (${list(named)})`] : []),
      ...(named.length < values.length ? [`tags[${bind(key)}] IS NULL`] : []),
    ];
    out.push(either.length === 1 ? either[0]! : `(${either.join(' OR ')})`);
  }
  for (const t of filter.exclude?.tags ?? [])
    out.push(
      t.value === UNTAGGED
        ? `tags[${bind(t.key)}] IS NOT NULL`
        : `(tags[${bind(t.key)}] IS NULL OR tags[${bind(t.key)}] <> ${bind(t.value)})`,
    );
  // An empty list allows nothing here: a scope's tag with no values must not widen to every row.
  for (const t of filter.tagsIn ?? [])
    out.push(t.values.length ? `tags[${bind(t.key)}] IN (${list(t.values)})` : 'FALSE');
  return out;
}
