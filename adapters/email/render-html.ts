import type { Reply, ReplyField, ReplyItem, ReplyTable } from '../../src/shared/reply.types.js';
import { cellText, renderText } from '../../src/shared/reply-text.js';

/**
 * Email rendering of a `Reply` (docs/architecture.md#the-reply-model): a self-contained HTML document (inline styles,
 * no images, no scripts, no remote resources) and its plain-text alternative. Every piece of text is HTML-escaped.
 *
 * What email leaves out: buttons (they act in chat; the email is for reading), and the chart image. A chart becomes
 * one line of small print, `Chart: <its title>`, ahead of the context line — the figures it draws are in the tables.
 */

const FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#1d1c1d;";
const SMALL = 'font-size:12px;color:#616061;margin:12px 0 0;';
const CELL = 'padding:4px 10px;border-bottom:1px solid #e0e0e0;';
const NUMERIC = 'white-space:nowrap;font-variant-numeric:tabular-nums;';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and for double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Paragraphs split on blank lines; single line breaks kept as `<br>`. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p style="margin:0 0 10px;">${p.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
}

function fieldsTable(fields: ReplyField[]): string {
  const rows = fields.map(
    (f) =>
      `<tr><th scope="row" style="text-align:left;padding:2px 12px 2px 0;vertical-align:top;">${escapeHtml(f.label)}</th>` +
      `<td style="padding:2px 0;">${escapeHtml(f.value)}</td></tr>`,
  );
  return `<table role="presentation" style="border-collapse:collapse;margin:0 0 12px;">\n${rows.join('\n')}\n</table>`;
}

/** A data table; right-aligned columns are amounts, percentages or counts, formatted as in the shell. */
export function renderHtmlTable(t: ReplyTable): string {
  const align = (i: number) => (t.columns[i]?.align === 'right' ? `text-align:right;${NUMERIC}` : 'text-align:left;');
  const head = t.columns
    .map(
      (c, i) =>
        `<th scope="col" style="${CELL}${align(i)}border-bottom:2px solid #1d1c1d;">${escapeHtml(c.header)}</th>`,
    )
    .join('');
  const row = (cells: ReplyTable['rows'][number], tag: 'td' | 'th') =>
    `<tr>${cells.map((c, i) => `<${tag} style="${CELL}${align(i)}">${escapeHtml(cellText(c))}</${tag}>`).join('')}</tr>`;
  const body = t.rows.map((r) => row(r, 'td')).join('\n');
  const foot = t.footer ? `\n<tfoot style="font-weight:bold;">${row(t.footer, 'th')}</tfoot>` : '';
  return (
    `<table style="border-collapse:collapse;margin:0 0 12px;font-size:14px;">\n<thead><tr>${head}</tr></thead>\n` +
    `<tbody>\n${body}\n</tbody>${foot}\n</table>`
  );
}

function itemsList(items: ReplyItem[]): string {
  const li = (item: ReplyItem) =>
    `<li style="margin:0 0 10px;"><strong>${escapeHtml(item.title)}</strong>` +
    (item.text ? `<br>${item.text.split('\n').map(escapeHtml).join('<br>')}` : '') +
    (item.fields?.length ? `\n${fieldsTable(item.fields)}` : '') +
    '</li>';
  return `<ol style="padding-left:20px;margin:0 0 12px;">\n${items.map(li).join('\n')}\n</ol>`;
}

/** The chart line and the context line, as one list of small-print entries. */
function smallPrint(reply: Reply): string[] {
  return [...(reply.chart ? [`Chart: ${reply.chart.title}`] : []), ...(reply.context ?? [])];
}

/** The reply as a complete HTML email document. */
export function renderHtml(reply: Reply): string {
  const parts: string[] = [`<h1 style="font-size:20px;margin:0 0 12px;">${escapeHtml(reply.title)}</h1>`];
  if (reply.text) parts.push(paragraphs(reply.text));
  if (reply.fields?.length) parts.push(fieldsTable(reply.fields));
  for (const t of reply.tables ?? []) parts.push(renderHtmlTable(t));
  if (reply.items?.length) parts.push(itemsList(reply.items));
  const small = smallPrint(reply);
  if (small.length) parts.push(`<p style="${SMALL}">${small.map(escapeHtml).join(' · ')}</p>`);
  if (reply.footnote) parts.push(`<p style="${SMALL}">${escapeHtml(reply.footnote)}</p>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(reply.title)}</title></head>`,
    `<body style="margin:0;padding:16px;${FONT}font-size:14px;line-height:1.4;">`,
    ...parts,
    '</body>',
    '</html>',
  ].join('\n');
}

/** The reply as plain text (the shell's rendering), without buttons and with the chart as a `Chart:` line. */
export function renderPlainText(reply: Reply): string {
  const { buttons: _buttons, chart: _chart, ...rest } = reply;
  const small = smallPrint(reply);
  return renderText({
    ...rest,
    ...(rest.items ? { items: rest.items.map(({ button: _b, ...item }) => item) } : {}),
    ...(small.length ? { context: small } : {}),
  });
}

/** Both parts of an email body; the `renderEmail` the delivery service is built with. */
export function renderEmail(reply: Reply): { html: string; text: string } {
  return { html: renderHtml(reply), text: renderPlainText(reply) };
}
