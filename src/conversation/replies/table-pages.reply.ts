import { stringify } from 'csv-stringify/sync';
import { ACTIONS } from '../../shared/action-ids.js';
import { type Reply, type ReplyTable, TABLE_PAGE_ROWS } from '../../shared/reply.types.js';
import { cellText } from '../../shared/reply-text.js';

/** The longest value a button may carry on every platform: a cut command would run something else. */
const BUTTON_VALUE_MAX = 2000;

/**
 * The reply with "Show all" for `command` as the button a renderer shows under a table it has to cut (a renderer
 * cuts at {@link TABLE_PAGE_ROWS} rows, or sooner for the platform's size limits); unchanged without tables, or when
 * the command does not fit a button.
 */
export function withShowAll(reply: Reply, command: string | undefined): Reply {
  if (!reply.tables?.length || reply.more || !command || command.length > BUTTON_VALUE_MAX) return reply;
  return { ...reply, more: { actionId: ACTIONS.SHOW_ALL, label: 'Show all', value: command } };
}

/** What a "Show all" button carries: the command, and the first row still to show (after the rows on screen). */
export interface ShowAllValue {
  command: string;
  from: number;
}

/** Reads a "Show all" value: a command (its first page is on screen), or `{"command", "from"}` of a later page. */
export function readShowAll(value: string): ShowAllValue {
  if (value.startsWith('{')) {
    try {
      const v = JSON.parse(value) as Partial<ShowAllValue>;
      if (typeof v.command === 'string' && Number.isInteger(v.from) && (v.from as number) > 0)
        return { command: v.command, from: v.from as number };
    } catch {
      // Not a page value: taken as a command below.
    }
  }
  return { command: value, from: TABLE_PAGE_ROWS };
}

/** A table as CSV: amounts as plain decimals (no separators, no currency: the header names it). */
export function tableCsv(table: ReplyTable): string {
  const rows = table.rows.map((r) => r.map((c) => (c.kind === 'money' ? c.amount.toFixed(2) : cellText(c))));
  const footer = table.footer?.map((c) => (c.kind === 'money' ? c.amount.toFixed(2) : cellText(c)));
  return stringify([table.columns.map((c) => c.header), ...rows, ...(footer ? [footer] : [])]);
}

/** The currency a table's header names (`Cost (USD)`), for file names. */
export function tableCurrency(table: ReplyTable): string | undefined {
  return /\(([A-Z]{3})\)/.exec(table.columns.map((c) => c.header).join(' '))?.[1];
}

const COUNT = new Intl.NumberFormat('en-US');

/**
 * The next page of a reply's tables, for a surface that takes no files: rows `from` to `from + 25` of each table
 * (the footer on the last page), titled with the rows shown, and "Show more" while rows remain.
 */
export function tablePage(reply: Reply, value: ShowAllValue): Reply {
  const tables = reply.tables ?? [];
  const total = Math.max(0, ...tables.map((t) => t.rows.length));
  const to = Math.min(value.from + TABLE_PAGE_ROWS, total);
  const paged = tables.map((t) => ({
    ...t,
    rows: t.rows.slice(value.from, to),
    ...(t.footer && to >= t.rows.length ? { footer: t.footer } : { footer: undefined }),
  }));
  const more = to < total;
  return {
    kind: reply.kind,
    title: `${reply.title}: rows ${COUNT.format(value.from + 1)} to ${COUNT.format(to)} of ${COUNT.format(total)}`,
    tables: paged.map(({ footer, ...t }) => (footer ? { ...t, footer } : t)),
    ...(reply.context ? { context: reply.context } : {}),
    ...(more
      ? {
          buttons: [
            {
              actionId: ACTIONS.SHOW_ALL,
              label: 'Show more',
              value: JSON.stringify({ command: value.command, from: to } satisfies ShowAllValue),
            },
          ],
        }
      : {}),
    visibility: 'channel',
  };
}
