import { ACTIONS } from './action-ids.js';
import { formatMoney, formatPercent } from './money.js';
import type { Cell, Reply, ReplyButton, ReplyField, ReplyItem, ReplyTable } from './reply.types.js';

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

/** Fields as `Label: value` lines with the values aligned, each line starting with `indent`. */
function fieldLines(fields: ReplyField[], indent = ''): string[] {
  const w = Math.max(...fields.map((f) => f.label.length));
  return fields.map((f) => `${indent}${`${f.label}:`.padEnd(w + 1)} ${f.value}`);
}

/** Buttons whose value is a command: the shell user types the value instead of clicking. */
const COMMAND_BUTTONS: ReadonlySet<string> = new Set([
  ACTIONS.REQUEST_APPROVAL,
  ACTIONS.RUN_COMMAND,
  ACTIONS.SHOW_ALL,
  ACTIONS.RECOMMENDATION_DISMISS,
  ACTIONS.RECOMMENDATION_SNOOZE,
]);

/**
 * What to type instead of clicking a button: the command of a command button, `approve <id>` and
 * `reject <id> because <reason>` for an approval's votes, `approval <id>` for its details; `null` for a button with
 * no typed equivalent.
 */
export function typedCommand(b: ReplyButton): string | null {
  if (COMMAND_BUTTONS.has(b.actionId)) return b.value;
  if (b.actionId === ACTIONS.APPROVE) return `approve ${b.value}`;
  if (b.actionId === ACTIONS.REJECT) return `reject ${b.value} because <reason>`;
  if (b.actionId === ACTIONS.DETAILS) return `approval ${b.value}`;
  return null;
}

/** A button as a `→ command` line, or `[label]` when it has no typed equivalent. */
function buttonLine(b: ReplyButton, indent: string): string {
  const typed = typedCommand(b);
  return typed === null ? `${indent}[${b.label}]` : `${indent}→ ${typed}`;
}

/** A numbered list: each item's title, then its text, fields and button line indented under it. */
function renderItems(items: ReplyItem[]): string {
  const width = `${items.length}. `.length;
  const indent = ' '.repeat(width);
  return items
    .map((item, i) => {
      const lines = [`${`${i + 1}.`.padEnd(width - 1)} ${item.title}`];
      if (item.text) lines.push(...item.text.split('\n').map((l) => `${indent}${l}`));
      if (item.fields?.length) lines.push(...fieldLines(item.fields, indent));
      for (const b of [...(item.button ? [item.button] : []), ...(item.buttons ?? [])])
        lines.push(buttonLine(b, indent));
      return lines.join('\n');
    })
    .join('\n');
}

/**
 * The whole reply as plain text for the shell and `tally ask`. Items are a numbered list; a button becomes the line
 * to type instead of clicking it (`  → propose stop i-0abc in us-east-1 because idle`, `  → approve apr_1`).
 */
export function renderText(reply: Reply): string {
  const parts: string[] = [reply.title];
  if (reply.text) parts.push(reply.text);
  if (reply.fields?.length) parts.push(fieldLines(reply.fields).join('\n'));
  for (const t of reply.tables ?? []) parts.push(renderTable(t));
  if (reply.items?.length) parts.push(renderItems(reply.items));
  if (reply.context?.length) parts.push(reply.context.join(' · '));
  if (reply.footnote) parts.push(reply.footnote);
  if (reply.buttons?.length) parts.push(reply.buttons.map((b) => buttonLine(b, '  ')).join('\n'));
  return parts.join('\n\n');
}
