import { type Cell, money, percent, type ReplyTable, text } from '../shared/reply.types.js';
import type { ComparisonRow, CurrencyComparison } from './cost-results.types.js';

const STATUS_NOTE: Record<ComparisonRow['status'], string> = {
  new: ' (new)',
  gone: ' (gone)',
  up: '',
  down: '',
  same: '',
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A comparison of one currency as a table: the key (marked new or gone), the two periods, the change and its
 * percentage, "Other" when rows were folded (unless `withOther` is false), and the totals as the footer.
 */
export function comparisonTable(
  c: CurrencyComparison,
  headers: { key: string; current: string; previous: string },
  withOther = true,
): ReplyTable {
  const rows: Cell[][] = c.rows.map((row) => [
    text(`${row.label}${STATUS_NOTE[row.status]}`),
    money(row.current, c.currency),
    money(row.previous, c.currency),
    money(row.change, c.currency),
    percent(row.ratio),
  ]);
  if (c.others && withOther)
    rows.push([text(`Other (${c.others.count})`), text(''), text(''), money(c.others.change, c.currency), text('')]);
  return {
    columns: [
      { header: headers.key, align: 'left' },
      { header: capitalise(headers.current), align: 'right' },
      { header: capitalise(headers.previous), align: 'right' },
      { header: 'Change', align: 'right' },
      { header: '%', align: 'right' },
    ],
    rows,
    footer: [
      text('Total'),
      money(c.current, c.currency),
      money(c.previous, c.currency),
      money(c.change, c.currency),
      percent(c.ratio),
    ],
  };
}
