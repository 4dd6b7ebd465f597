import type { CostFilter, CostValueLists } from '../costs/cost-query.types.js';
import type { Day } from '../shared/day.js';
import type { Budget } from './budget.types.js';

/** A value as the command language reads it: bare when it is one word, else quoted. */
function quote(value: string): string {
  if (/^[\w.:/-]+$/.test(value)) return value;
  if (!value.includes('"')) return `"${value}"`;
  return value.includes("'") ? `“${value}”` : `'${value}'`;
}

function lists(v: CostValueLists, lead: 'for' | 'excluding'): string[] {
  const words: [keyof CostValueLists, string][] = [
    ['providers', 'provider'],
    ['subAccountIds', 'account'],
    ['services', 'service'],
    ['categories', 'category'],
    ['subcategories', 'subcategory'],
    ['regions', 'region'],
    ['charges', 'charge'],
    ['resourceIds', 'resource'],
  ];
  return [
    ...words.flatMap(([field, word]) =>
      ((v[field] as string[] | undefined) ?? []).map((x) => `${lead} ${word} ${quote(x)}`),
    ),
    ...(v.tags ?? []).map((t) => `${lead === 'for' ? 'for ' : 'excluding '}tag:${t.key}=${quote(t.value)}`),
  ];
}

/** A budget's scope as the command language writes it: ` for tag:team=payments excluding charge Tax`. */
function scopeWords(filter: CostFilter): string {
  const parts = [...lists(filter, 'for'), ...(filter.exclude ? lists(filter.exclude, 'excluding') : [])];
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/**
 * What Investigate on a budget alert runs (a command, not a question for the agent): the cost of the budget's scope
 * since the last alert against the same number of days before, by service.
 *
 * @example budgetInvestigateCommand(payments, { from: '2026-06-11', to: '2026-06-20' })
 * // 'compare from 2026-06-11 to 2026-06-20 vs the period before by service for tag:team=payments'
 */
export function budgetInvestigateCommand(
  budget: Pick<Budget, 'filter' | 'metric'>,
  days: { from: Day; to: Day },
): string {
  const metric = budget.metric === 'effective' ? '' : `${budget.metric} `;
  return `${metric}compare from ${days.from} to ${days.to} vs the period before by service${scopeWords(budget.filter)}`;
}
