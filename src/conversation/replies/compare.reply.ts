import { comparisonTable } from '../../costs/comparison-table.js';
import { costContext, dimensionLabel, dimensionName, metricTitle, periodText } from '../../costs/cost-labels.js';
import type { ComparisonResult } from '../../costs/cost-results.types.js';
import { formatMoney, formatPercent, roundCents } from '../../shared/money.js';
import type { Reply } from '../../shared/reply.types.js';

/** A period comparison: per currency, current vs previous with change, percentage, and new/gone items. */
export function compareReply(r: ComparisonResult): Reply {
  const dim = r.groupBy ? dimensionLabel(r.groupBy) : null;
  const title = `${metricTitle(r.metric)}${dim ? ` by ${dim.toLowerCase()}` : ''}: ${r.current.label} vs ${r.previous.label}`;
  const context = [
    ...costContext(r.metric, [r.current, r.previous], r.dataRange, r.coverage),
    ...(r.likeForLike ? [r.likeForLike] : []),
  ];
  const fields = r.currencies.map((c) => ({
    label: `Change (${c.currency})`,
    value: `${formatMoney(c.current, c.currency)} vs ${formatMoney(c.previous, c.currency)}: ${signed(c.change, c.currency)} (${formatPercent(c.ratio)})`,
  }));
  return {
    kind: 'answer',
    title,
    ...(r.currencies.length === 0 ? { text: 'No cost data in either period.' } : {}),
    fields,
    ...(r.groupBy
      ? {
          tables: r.currencies.map((c) =>
            comparisonTable(c, { key: dim ?? '', current: r.current.label, previous: r.previous.label }),
          ),
        }
      : {}),
    context,
    footnote:
      'Sorted by the size of the change. "new" = no cost in the earlier period; "gone" = none in the later one.',
    data: compareData(r),
    visibility: 'channel',
  };
}

function signed(amount: number, currency: string): string {
  return `${amount > 0 ? '+' : ''}${formatMoney(amount, currency)}`;
}

function compareData(r: ComparisonResult): Record<string, unknown> {
  return {
    metric: r.metric,
    groupBy: r.groupBy ? dimensionName(r.groupBy) : null,
    current: { from: r.current.from, to: r.current.to, label: periodText(r.current) },
    previous: { from: r.previous.from, to: r.previous.to, label: periodText(r.previous) },
    currencies: r.currencies.map((c) => ({
      currency: c.currency,
      current: roundCents(c.current),
      previous: roundCents(c.previous),
      change: roundCents(c.change),
      ratio: c.ratio,
      rows: c.rows.map((row) => ({
        key: row.key,
        current: roundCents(row.current),
        previous: roundCents(row.previous),
        change: roundCents(row.change),
        ratio: row.ratio,
        status: row.status,
      })),
    })),
  };
}
