import type { Day } from '../shared/day.js';
import type { CostFilter, Dimension } from './cost-query.types.js';
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

/** `Only: service "Amazon EC2", account 111122223333` for a filtered answer; null when nothing is filtered. */
export function filterContext(filter: CostFilter): string | null {
  const parts = [
    ...(filter.providers ?? []).map((v) => `provider ${v}`),
    ...(filter.subAccountIds ?? []).map((v) => `account ${v}`),
    ...(filter.services ?? []).map((v) => `service "${v}"`),
    ...(filter.categories ?? []).map((v) => `category ${v}`),
    ...(filter.regions ?? []).map((v) => `region ${v}`),
    ...(filter.resourceIds ?? []).map((v) => `resource ${v}`),
    ...(filter.tags ?? []).map((t) => `tag ${t.key}=${t.value}`),
  ];
  return parts.length ? `Only: ${parts.join(', ')}` : null;
}
