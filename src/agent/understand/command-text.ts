import type { Command } from '../../commands/command.types.js';
import type { CostFilter, CostValueLists } from '../../costs/cost-query.types.js';
import type { PeriodSpec } from '../../costs/period.js';

/** A command as a line of the command language, for "Understood as" and for the buttons of a question back. */
export function commandText(c: Command): string {
  const metric = 'metric' in c && c.metric !== 'effective' ? `${c.metric} ` : '';
  const by =
    'groupBy' in c && c.groupBy ? ` by ${c.groupBy.kind === 'tag' ? `tag:${c.groupBy.key}` : c.groupBy.kind}` : '';
  const top = 'top' in c && c.top ? ` ${c.kind === 'cost' && c.order === 'bottom' ? 'bottom' : 'top'} ${c.top}` : '';
  const then =
    c.kind === 'cost' && c.thenBy ? ` by ${c.thenBy.kind === 'tag' ? `tag:${c.thenBy.key}` : c.thenBy.kind}` : '';
  const rate = c.kind === 'cost' && c.runRate ? ' run rate' : '';
  const filter = 'filter' in c ? filterText(c.filter) : '';
  switch (c.kind) {
    case 'cost':
      return `${metric}cost ${periodText(c.period)}${by}${then}${top}${rate}${filter}`;
    case 'compare':
      return `${metric}compare ${periodText(c.current)} vs ${c.previous.kind === 'previous' ? 'the period before' : periodText(c.previous)}${by}${top}${filter}`;
    case 'forecast':
      return `${metric}forecast${by}${filter}`;
    default:
      return c.kind;
  }
}

function periodText(p: PeriodSpec): string {
  switch (p.kind) {
    case 'range':
      return p.from === p.to ? `from ${p.from} to ${p.to}` : `from ${p.from} to ${p.to}`;
    case 'month':
      return p.month;
    case 'month-to-date':
      return 'month to date';
    case 'last-days':
      return `last ${p.days} days`;
    default:
      return p.kind.replace(/-/g, ' ');
  }
}

const q = (v: string) => (/^[\w.:/-]+$/.test(v) ? v : `"${v.replace(/"/g, '')}"`);

function values(v: CostValueLists, lead: string): string[] {
  return [
    ...(v.providers ?? []).map((x) => `${lead} provider ${q(x)}`),
    ...(v.subAccountIds ?? []).map((x) => `${lead} account ${q(x)}`),
    ...(v.services ?? []).map((x) => `${lead} service ${q(x)}`),
    ...(v.categories ?? []).map((x) => `${lead} category ${q(x)}`),
    ...(v.subcategories ?? []).map((x) => `${lead} subcategory ${q(x)}`),
    ...(v.regions ?? []).map((x) => `${lead} region ${q(x)}`),
    ...(v.charges ?? []).map((x) => `${lead} charge ${q(x)}`),
    ...(v.resourceIds ?? []).map((x) => `${lead} resource ${q(x)}`),
    ...(v.tags ?? []).map((t) => `${lead === 'for' ? '' : `${lead} `}tag:${t.key}=${t.value}`),
  ];
}

function filterText(f: CostFilter): string {
  const parts = [...values(f, 'for'), ...(f.exclude ? values(f.exclude, 'excluding') : [])];
  return parts.length ? ` ${parts.join(' ')}` : '';
}
