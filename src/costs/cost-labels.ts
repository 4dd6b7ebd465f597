import type { Day } from '../shared/day.js';
import type { CostFilter, CostValueLists, Dimension } from './cost-query.types.js';
import { UNTAGGED } from './cost-query.types.js';
import type { Metric } from './cost-record.types.js';
import type { CoverageNotes } from './cost-repository.port.js';
import type { Period } from './period.js';

export const METRIC_LABELS: Record<Metric, string> = {
  effective: 'effective cost (amortised)',
  billed: 'billed cost (invoiced)',
  list: 'list cost (before discounts)',
};

const METRIC_TITLES: Record<Metric, string> = { effective: 'Cost', billed: 'Billed cost', list: 'List cost' };

export function metricTitle(metric: Metric): string {
  return METRIC_TITLES[metric];
}

export function dimensionLabel(d: Dimension): string {
  switch (d.kind) {
    case 'provider':
      return 'Provider';
    case 'account':
      return 'Account';
    case 'service':
      return 'Service';
    case 'category':
      return 'Category';
    case 'subcategory':
      return 'Subcategory';
    case 'day':
      return 'Day';
    case 'week':
      return 'Week of';
    case 'month':
      return 'Month';
    case 'region':
      return 'Region';
    case 'charge':
      return 'Charge category';
    case 'resource':
      return 'Resource';
    case 'tag':
      return `Tag ${d.key}`;
  }
}

/** The plural for "top 5 services": `services`, `categories`, `tag team values`. */
export function dimensionPlural(d: Dimension): string {
  switch (d.kind) {
    case 'category':
      return 'categories';
    case 'subcategory':
      return 'subcategories';
    case 'day':
      return 'days';
    case 'week':
      return 'weeks';
    case 'month':
      return 'months';
    case 'charge':
      return 'charge categories';
    case 'tag':
      return `tag ${d.key} values`;
    default:
      return `${dimensionLabel(d).toLowerCase()}s`;
  }
}

/** `dimensionName(d)` as used in JSON and commands: `service`, `tag:team`. */
export function dimensionName(d: Dimension): string {
  return d.kind === 'tag' ? `tag:${d.key}` : d.kind;
}

export function periodText(p: Period): string {
  const range = p.from === p.to ? p.from : `${p.from} to ${p.to}`;
  return p.label === range ? range : `${p.label} (${range})`;
}

/**
 * The context lines every cost answer carries: metric, period, how fresh the data is, and what the figures may
 * lack or double (rows rejected on import; two sources covering the same billing account and days).
 */
export function costContext(
  metric: Metric,
  periods: Period[],
  dataRange: { from: Day; to: Day } | null,
  coverage?: CoverageNotes,
): string[] {
  const lines = [`Metric: ${METRIC_LABELS[metric]}`, `Period: ${periods.map(periodText).join(' vs ')}`];
  lines.push(dataRange ? `Data: ${dataRange.from} to ${dataRange.to} (UTC days)` : 'Data: none loaded');
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  for (const r of coverage?.rejected ?? []) {
    const parts = [
      ...(r.rows ? [`${rows(r.rows)} of ${r.source} in this period`] : []),
      ...(r.undated ? [`${rows(r.undated)} of ${r.source} with an unreadable date, which may belong to it`] : []),
    ];
    lines.push(`Incomplete: ${parts.join(' and ')} were rejected on import and are not counted (see \`status\`)`);
  }
  for (const o of coverage?.overlaps ?? [])
    lines.push(
      `May be counted twice: ${o.sources[0]} and ${o.sources[1]} both cover billing account ${o.billingAccountId} from ${o.from} to ${o.to} (see \`status\`; \`tally sources remove NAME\` drops one)`,
    );
  return lines;
}

/**
 * `Only: service "Amazon EC2", account 111122223333; excluding: charge Tax` for a filtered answer; null when nothing
 * is filtered.
 */
export function filterContext(filter: CostFilter): string | null {
  const only = valueParts(filter);
  const except = filter.exclude ? valueParts(filter.exclude) : [];
  const parts = [
    ...(only.length ? [`Only: ${only.join(', ')}`] : []),
    ...(except.length ? [`excluding: ${except.join(', ')}`] : []),
  ];
  return parts.length ? parts.join('; ') : null;
}

function valueParts(v: CostValueLists): string[] {
  return [
    ...(v.providers ?? []).map((x) => `provider ${x}`),
    ...(v.subAccountIds ?? []).map((x) => `account ${x}`),
    ...(v.services ?? []).map((x) => `service "${x}"`),
    ...(v.categories ?? []).map((x) => `category ${x}`),
    ...(v.subcategories ?? []).map((x) => `subcategory "${x}"`),
    ...(v.regions ?? []).map((x) => `region ${x}`),
    ...(v.charges ?? []).map((x) => `charge ${x}`),
    ...(v.resourceIds ?? []).map((x) => `resource ${x}`),
    ...(v.tags ?? []).map((t) => (t.value === UNTAGGED ? `no tag ${t.key}` : `tag ${t.key}=${t.value}`)),
  ];
}
