/**
 * The platform-neutral reply (docs/architecture.md#the-reply-model). `src/` builds it as plain data; adapters render it
 * as Block Kit, Adaptive Cards or text. No platform JSON appears here.
 */
export type Cell =
  | { kind: 'text'; text: string }
  | { kind: 'money'; amount: number; currency: string }
  | { kind: 'percent'; ratio: number | null }
  | { kind: 'count'; value: number };

interface ReplyColumn {
  header: string;
  align: 'left' | 'right';
}

export interface ReplyTable {
  columns: ReplyColumn[];
  rows: Cell[][];
  /** A final emphasised row, e.g. the total. */
  footer?: Cell[];
}

export interface ReplyField {
  label: string;
  value: string;
}

/** A button: `actionId` is a shared constant; `value` is what the action handler receives. */
export interface ReplyButton {
  actionId: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

/**
 * A chart to draw: a daily trend (stacked series), a breakdown (bars), or lines over days that are not stacked (a
 * budget's cumulative spend, its amount and its forecast; a NaN value is a day that series does not cover). Adapters
 * render it to an image.
 */
export interface ChartSpec {
  kind: 'trend' | 'bars' | 'lines';
  title: string;
  currency: string;
  labels: string[];
  series: { name: string; values: number[] }[];
}

/** One entry of a list reply (a recommendation, a pending approval), with its own button. */
export interface ReplyItem {
  title: string;
  text?: string;
  fields?: ReplyField[];
  button?: ReplyButton;
  /** Further buttons after `button` (a recommendation's Dismiss and Snooze), shown with it. */
  buttons?: ReplyButton[];
}

export interface Reply {
  /** `usage`: the input was not understood and help follows. */
  kind: 'answer' | 'help' | 'usage' | 'notice' | 'error';
  title: string;
  text?: string;
  fields?: ReplyField[];
  /** One table per currency when amounts are in several currencies. */
  tables?: ReplyTable[];
  /** A list of entries, each with its own button. */
  items?: ReplyItem[];
  chart?: ChartSpec;
  /** Small print: metric, period, data freshness. Every cost answer names its metric and period here. */
  context?: string[];
  footnote?: string;
  buttons?: ReplyButton[];
  /** The button a renderer shows under a table it has to cut: "Show all", re-running the command. */
  more?: ReplyButton;
  /** Machine-readable payload (`tally ask --json`). */
  data?: Record<string, unknown>;
  /** Channel answers are visible to all; help and errors go only to the asker where the platform allows it. */
  visibility: 'channel' | 'ephemeral';
  errorId?: string;
}

/** Rows of a table a message shows before it is cut and offers "Show all" (every renderer shows this many). */
export const TABLE_PAGE_ROWS = 25;

export const money = (amount: number, currency: string): Cell => ({ kind: 'money', amount, currency });
export const text = (t: string): Cell => ({ kind: 'text', text: t });
export const percent = (ratio: number | null): Cell => ({ kind: 'percent', ratio });
