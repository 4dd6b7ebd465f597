import type { Cell, Reply, ReplyTable } from '../../src/conversation/reply.types.js';
import { formatMoney, formatPercent } from '../../src/shared/money.js';

/** A cell as text: amounts with thousands separators, two decimals and the currency. */
export function cellText(c: Cell): string {
  switch (c.kind) {
    case 'text':
      return c.text;
    case 'money':
      return formatMoney(c.amount, c.currency);
    case 'percent':
      return formatPercent(c.ratio);
    case 'count':
      return new Intl.NumberFormat('en-US').format(c.value);
  }
}

/** A table with aligned columns, a rule under the header and above the footer. */
export function renderTable(t: ReplyTable): string {
  const body = t.rows.map((r) => r.map(cellText));
  const footer = t.footer?.map(cellText);
  const all = [t.columns.map((c) => c.header), ...body, ...(footer ? [footer] : [])];
  const widths = t.columns.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) =>
    cells
      .map((v, i) => (t.columns[i]?.align === 'right' ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [line(all[0] ?? []), rule, ...body.map(line)];
  if (footer) out.push(rule, line(footer));
  return out.join('\n');
}

/** The whole reply as plain text for the shell and `tally ask`. */
export function renderText(reply: Reply): string {
  const parts: string[] = [reply.title];
  if (reply.text) parts.push(reply.text);
  if (reply.fields?.length) {
    const w = Math.max(...reply.fields.map((f) => f.label.length));
    parts.push(reply.fields.map((f) => `${`${f.label}:`.padEnd(w + 1)} ${f.value}`).join('\n'));
  }
  for (const t of reply.tables ?? []) parts.push(renderTable(t));
  if (reply.context?.length) parts.push(reply.context.join(' · '));
  if (reply.footnote) parts.push(reply.footnote);
  if (reply.buttons?.length) parts.push(reply.buttons.map((b) => `[${b.label}]`).join(' '));
  return parts.join('\n\n');
}
