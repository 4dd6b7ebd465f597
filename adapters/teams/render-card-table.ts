/**
 * Adaptive Card pieces shared by the Teams renderers: the element type, escaping of data text for Teams' TextBlock
 * markdown, text blocks, and `Reply` tables as the `Table` element (Adaptive Cards 1.5). Amounts read exactly as in
 * the shell and Slack (`cellText`: `1,234.56 USD`). Plain JSON: no botbuilder import.
 */

import { escapeListMarkers } from '../../src/shared/chat-markup.js';
import type { Cell, ReplyTable } from '../../src/shared/reply.types.js';
import { cellText } from '../../src/shared/reply-text.js';
import { showingText, truncateText } from '../../src/shared/text-fit.js';

/** One body element of an Adaptive Card (`TextBlock`, `FactSet`, `Table`, `Container`, `ActionSet`, `Image`, …). */
export interface CardElement {
  type: string;
  [property: string]: unknown;
}

/** How a TextBlock looks; the defaults are Teams' (`wrap` is always on). */
export interface TextStyle {
  size?: 'Small' | 'Default' | 'Medium' | 'Large';
  weight?: 'Default' | 'Bolder';
  color?: 'Default' | 'Good' | 'Attention' | 'Warning' | 'Accent';
  isSubtle?: boolean;
  spacing?: 'None' | 'Small' | 'Default' | 'Medium';
}

/**
 * Escapes data for Teams' TextBlock markdown (also used in FactSet titles and values), so that a user-provided string
 * cannot make a link, a mention, an HTML tag or emphasis: `\`, `*`, `_`, `[`, `]`, `` ` `` and `~` get a backslash;
 * `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;` (a `<at>` tag or `<https://…>` autolink cannot form). TextBlock
 * markdown needs a blank line for a line break, so each line break is doubled.
 */
function escapeCardText(s: string): string {
  return s
    .replace(/[\\*_[\]`~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n?/g, '\n')
    .replace(/\n/g, '\n\n');
}

/** Truncates raw data text to `max` characters, then escapes it, list markers too (after cutting: escapes stay whole). */
export function fitCardText(s: string, max: number): string {
  return escapeListMarkers(escapeCardText(truncateText(s, max)));
}

/** A wrapping TextBlock; `text` must already be escaped. */
export function textBlock(text: string, style: TextStyle = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...style };
}

/** Small, subtle print (context lines, notes like "Showing N of M rows"); `text` must already be escaped. */
export function smallPrint(text: string): CardElement {
  return textBlock(text, { size: 'Small', isSubtle: true, spacing: 'Small' });
}

/** "Showing N of M rows" / "… items", with thousands separators. */
export function showingNote(shown: number, total: number, what: string): CardElement {
  return smallPrint(showingText(shown, total, what));
}

/** A row; the header and the footer are bold, and the footer row is emphasised. */
function tableRow(cells: (string | undefined)[], role: 'header' | 'body' | 'footer'): CardElement {
  return {
    type: 'TableRow',
    ...(role === 'footer' ? { style: 'emphasis' } : {}),
    cells: cells.map((t) => ({
      type: 'TableCell',
      items: [textBlock(escapeListMarkers(escapeCardText(t ?? '')), role === 'body' ? {} : { weight: 'Bolder' })],
    })),
  };
}

function rowTexts(table: ReplyTable, cells: Cell[]): (string | undefined)[] {
  return table.columns.map((_, i) => {
    const cell = cells[i];
    return cell ? cellText(cell) : undefined;
  });
}

/**
 * A table as the Adaptive Cards `Table` element showing its first `rows` rows: a bold header row, amount columns
 * (`align: 'right'`) aligned right, and the footer (the total) as an emphasised bold last row. When rows were left
 * out it is followed by small print "Showing N of M rows" (as in Slack). Every row has one cell per column.
 */
export function renderCardTable(table: ReplyTable, rows: number): CardElement[] {
  const shown = Math.max(0, Math.min(rows, table.rows.length));
  const element: CardElement = {
    type: 'Table',
    gridStyle: 'accent',
    firstRowAsHeader: true,
    showGridLines: true,
    columns: table.columns.map((c) => ({
      // Labels need more room than amounts; Teams shares the width by these weights.
      width: c.align === 'right' ? 1 : 2,
      horizontalCellContentAlignment: c.align === 'right' ? 'Right' : 'Left',
    })),
    rows: [
      tableRow(
        table.columns.map((c) => c.header),
        'header',
      ),
      ...table.rows.slice(0, shown).map((r) => tableRow(rowTexts(table, r), 'body')),
      ...(table.footer ? [tableRow(rowTexts(table, table.footer), 'footer')] : []),
    ],
  };
  return shown < table.rows.length ? [element, showingNote(shown, table.rows.length, 'rows')] : [element];
}
