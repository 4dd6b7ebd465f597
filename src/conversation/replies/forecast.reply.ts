import { dimensionLabel, dimensionName, METRIC_LABELS } from '../../costs/cost-labels.js';
import type { ForecastResult } from '../../costs/cost-results.types.js';
import { formatMoney, formatPercent, roundCents } from '../../shared/money.js';
import type { Cell, Reply } from '../../shared/reply.types.js';
import { money, text } from '../../shared/reply.types.js';

/** Month-end forecast per currency, compared with last month; the method is stated in the footnote. */
export function forecastReply(r: ForecastResult): Reply {
  const dim = r.groupBy ? dimensionLabel(r.groupBy) : null;
  const fields = r.currencies.flatMap((c) => {
    const ratio = c.lastMonth === 0 ? null : (c.forecast - c.lastMonth) / Math.abs(c.lastMonth);
    return [
      { label: `Month to date (${c.currency})`, value: formatMoney(c.actual, c.currency) },
      {
        label: `Forecast for ${r.month.label} (${c.currency})`,
        value: `${formatMoney(c.forecast, c.currency)} (80% range ${formatMoney(c.range.low, c.currency)} to ${formatMoney(c.range.high, c.currency)})`,
      },
      {
        label: `Last month (${c.currency})`,
        value: `${formatMoney(c.lastMonth, c.currency)} (forecast ${formatPercent(ratio)})`,
      },
    ];
  });
  const tables = r.groupBy
    ? r.currencies.map((c) => ({
        columns: [
          { header: dim ?? '', align: 'left' as const },
          { header: `Month to date (${c.currency})`, align: 'right' as const },
          { header: `Forecast (${c.currency})`, align: 'right' as const },
        ],
        rows: c.rows.map((row): Cell[] => [
          text(row.label),
          money(row.actual, c.currency),
          money(row.forecast, c.currency),
        ]),
        footer: [text('Total'), money(c.actual, c.currency), money(c.forecast, c.currency)],
      }))
    : undefined;
  return {
    kind: 'answer',
    title: `Forecast — ${r.month.label}${dim ? ` by ${dim.toLowerCase()}` : ''}`,
    ...(r.currencies.length === 0 ? { text: 'No cost data in the last four weeks to forecast from.' } : {}),
    fields,
    ...(tables ? { tables } : {}),
    context: [
      `Metric: ${METRIC_LABELS[r.metric]}`,
      `Period: ${r.month.from} to ${r.month.to}, actuals through ${r.actualThrough ?? 'none yet'}`,
    ],
    footnote: r.method,
    data: {
      metric: r.metric,
      from: r.month.from,
      to: r.month.to,
      groupBy: r.groupBy ? dimensionName(r.groupBy) : null,
      method: r.method,
      currencies: r.currencies.map((c) => ({
        currency: c.currency,
        actual: roundCents(c.actual),
        forecast: roundCents(c.forecast),
        range: { low: roundCents(c.range.low), high: roundCents(c.range.high) },
        lastMonth: roundCents(c.lastMonth),
        rows: c.rows.map((row) => ({
          key: row.key,
          actual: roundCents(row.actual),
          forecast: roundCents(row.forecast),
        })),
      })),
    },
    visibility: 'channel',
  };
}
