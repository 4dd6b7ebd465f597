import {
  costContext,
  dimensionLabel,
  dimensionName,
  dimensionPlural,
  metricTitle,
  periodText,
} from '../../costs/cost-labels.js';
import type { BreakdownResult, CurrencyBreakdown } from '../../costs/cost-results.types.js';
import { formatMoney, roundCents } from '../../shared/money.js';
import type { Cell, Reply, ReplyTable } from '../../shared/reply.types.js';
import { money, text } from '../../shared/reply.types.js';

/** A breakdown (or a plain total) as a reply, with one table per currency. */
export function breakdownReply(r: BreakdownResult, top?: number): Reply {
  const dim = r.groupBy
    ? `${dimensionLabel(r.groupBy)}${r.thenBy ? ` and ${dimensionLabel(r.thenBy).toLowerCase()}` : ''}`
    : null;
  const plural = r.groupBy
    ? `${r.thenBy ? `${dimensionLabel(r.groupBy).toLowerCase()} and ${dimensionLabel(r.thenBy).toLowerCase()} pairs` : dimensionPlural(r.groupBy)}`
    : '';
  const what =
    top && r.groupBy
      ? `${r.order === 'bottom' ? 'Bottom' : 'Top'} ${top} ${plural} by ${metricTitle(r.metric).toLowerCase()}`
      : metricTitle(r.metric);
  const title = `${what}${dim && !top ? ` by ${dim.toLowerCase()}` : ''} — ${periodText(r.period)}`;
  const context = costContext(r.metric, [r.period], r.dataRange, r.coverage);
  if (r.currencies.length === 0) {
    return {
      kind: 'answer',
      title,
      text: 'No cost data for this period.',
      context,
      data: breakdownData(r),
      visibility: 'channel',
    };
  }
  const totals = r.currencies.map((c) => formatMoney(c.total, c.currency));
  const days = r.runRateDays;
  return {
    kind: 'answer',
    title,
    fields: [
      {
        label: 'Total',
        value:
          r.currencies.length === 1
            ? formatMoney(r.currencies[0]!.total, r.currencies[0]!.currency)
            : totals.join(' · '),
      },
      ...(days
        ? [
            {
              label: 'Run rate',
              value: `${r.currencies.map((c) => formatMoney(c.total / days, c.currency)).join(' · ')} per day (${days} ${days === 1 ? 'day' : 'days'} with data)`,
            },
          ]
        : []),
    ],
    ...(r.groupBy ? { tables: r.currencies.map((c) => breakdownTable(c, dim ?? '')) } : {}),
    context,
    ...(r.currencies.length > 1
      ? { footnote: 'Amounts are in several billing currencies; each currency is totalled on its own.' }
      : {}),
    data: breakdownData(r),
    visibility: 'channel',
  };
}

function breakdownTable(c: CurrencyBreakdown, dim: string): ReplyTable {
  const rows: Cell[][] = c.rows.map((row) => [
    text(row.label),
    money(row.amount, c.currency),
    share(row.amount, c.total),
  ]);
  if (c.others)
    rows.push([text(`Other (${c.others.count})`), money(c.others.amount, c.currency), share(c.others.amount, c.total)]);
  return {
    columns: [
      { header: dim, align: 'left' },
      { header: `Cost (${c.currency})`, align: 'right' },
      { header: 'Share', align: 'right' },
    ],
    rows,
    footer: [text('Total'), money(c.total, c.currency), text('')],
  };
}

function share(amount: number, total: number): Cell {
  return text(total > 0 ? `${((amount / total) * 100).toFixed(1)}%` : '');
}

/** The `--json` payload of a breakdown: `metric, currency, from, to, total, rows[{key, cost}]` (README.md#the-command-language). */
function breakdownData(r: BreakdownResult): Record<string, unknown> {
  const base = {
    metric: r.metric,
    from: r.period.from,
    to: r.period.to,
    period: r.period.label,
    groupBy: r.groupBy ? dimensionName(r.groupBy) : null,
    ...(r.thenBy ? { thenBy: dimensionName(r.thenBy) } : {}),
    ...(r.order ? { order: r.order } : {}),
    ...(r.runRateDays
      ? {
          runRate: r.currencies.map((c) => ({
            currency: c.currency,
            perDay: roundCents(c.total / r.runRateDays!),
            days: r.runRateDays,
          })),
        }
      : {}),
    ...(r.coverage && (r.coverage.rejected.length || r.coverage.overlaps.length) ? { coverage: r.coverage } : {}),
  };
  const rowsOf = (c: CurrencyBreakdown, withCurrency: boolean) => {
    const rows = c.rows.map((row) => ({
      key: row.key,
      ...(row.label !== row.key ? { label: row.label } : {}),
      cost: roundCents(row.amount),
      ...(withCurrency ? { currency: c.currency } : {}),
    }));
    if (!c.others) return rows;
    // What `top` left out, as one row that makes the rows add up to the total to the cent.
    const shownCents = rows.reduce((n, r) => n + Math.round(r.cost * 100), 0);
    const other = (Math.round(roundCents(c.total) * 100) - shownCents) / 100;
    return [
      ...rows,
      {
        key: 'Other',
        label: `Other (${c.others.count})`,
        cost: other,
        count: c.others.count,
        ...(withCurrency ? { currency: c.currency } : {}),
      },
    ];
  };
  const totals = r.currencies.map((c) => ({ currency: c.currency, total: roundCents(c.total) }));
  if (r.currencies.length <= 1) {
    const c = r.currencies[0];
    return {
      ...base,
      currency: c?.currency ?? null,
      total: c ? roundCents(c.total) : 0,
      rows: c ? rowsOf(c, false) : [],
      totals,
    };
  }
  return { ...base, currency: null, total: null, totals, rows: r.currencies.flatMap((c) => rowsOf(c, true)) };
}
