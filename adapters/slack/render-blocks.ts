/**
 * Block Kit rendering of the platform-neutral `Reply` (docs/architecture.md#the-reply-model): messages, App Home,
 * ephemeral acks. Every data-derived string that lands in mrkdwn goes through `escapeMrkdwn`, so that it can neither
 * format nor mention. Slack limits are in `SLACK_LIMITS` (header 150, section text 3000, fields 10 × 2000, 50 blocks
 * per message and 100 per home view, actions 25 elements, button text 75, button value 2000).
 */
import type { types } from '@slack/bolt';
import { TallyError } from '../../src/shared/errors.js';
import {
  type Reply,
  type ReplyButton,
  type ReplyField,
  type ReplyTable,
  TABLE_PAGE_ROWS,
} from '../../src/shared/reply.types.js';
import { buttonElement, fieldText, fitsButton, mrkdwn } from './block-parts.js';
import { renderItemBlocks } from './render-item-blocks.js';
import { renderTableBlocks } from './render-table-block.js';
import { chunk, chunkText, escapeMrkdwn, fitMrkdwn, SLACK_LIMITS, truncateText } from './slack-text.js';

export { escapeMrkdwn, SLACK_LIMITS } from './slack-text.js';

type KnownBlock = types.KnownBlock;

/** A message for `chat.postMessage` / `chat.update` / `respond()`: fallback `text` plus `blocks`. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The body of an ephemeral `ack()` or `respond()`: only the asker sees it. */
export interface EphemeralResponse extends SlackMessage {
  response_type: 'ephemeral';
}

export interface RenderMessageOptions {
  /**
   * Rows shown per table before it is cut (fewer if the code block would pass 3000 characters).
   * @defaultValue 25
   */
  maxTableRows?: number;
}

export interface RenderHomeViewOptions {
  /** When the figures were computed; shown at the top in the viewer's time zone. */
  updatedAt?: Date;
}

const DEFAULT_TABLE_ROWS = TABLE_PAGE_ROWS;
const HOME_TABLE_ROWS = 10;

function headerBlocks(title: string): KnownBlock[] {
  const text = truncateText(title.replace(/\s+/g, ' ').trim(), SLACK_LIMITS.headerText);
  return text ? [{ type: 'header', text: { type: 'plain_text', text, emoji: true } }] : [];
}

function textBlocks(text: string | undefined): KnownBlock[] {
  if (!text) return [];
  return chunkText(escapeMrkdwn(text, 'all'), SLACK_LIMITS.sectionText).map((t) => ({
    type: 'section',
    text: mrkdwn(t),
  }));
}

function fieldBlocks(fields: ReplyField[] | undefined): KnownBlock[] {
  const texts = (fields ?? []).map(fieldText).filter((t) => t.trim() !== '');
  return chunk(texts, SLACK_LIMITS.sectionFields).map((run) => ({ type: 'section', fields: run.map(mrkdwn) }));
}

/** The tables, then the reply's `more` button ("Show all") when one of them is cut. */
function tableBlocks(tables: ReplyTable[] | undefined, maxRows: number, more?: ReplyButton): KnownBlock[] {
  const rendered = (tables ?? []).map((t) => renderTableBlocks(t, maxRows));
  const cut = rendered.some((r) => r.shown < r.total);
  return [...rendered.flatMap((r) => r.blocks), ...(cut && more ? buttonBlocks([more]) : [])];
}

function contextBlocks(lines: string[] | undefined): KnownBlock[] {
  const texts = (lines ?? [])
    .filter((l) => l.trim() !== '')
    .map((l) => fitMrkdwn(l, SLACK_LIMITS.contextText, 'commands'));
  return chunk(texts, SLACK_LIMITS.contextElements).map((run) => ({ type: 'context', elements: run.map(mrkdwn) }));
}

/**
 * Buttons in actions blocks of at most 25, starting a new block when an `action_id` repeats (Slack wants them unique
 * per block), so an approval's Approve (primary), Reject (danger) and Details share one actions block, each carrying
 * the approval id as its value. A button whose value is longer than 2000 characters is left out: a cut value would
 * act on other data.
 */
function buttonBlocks(buttons: ReplyButton[] | undefined): KnownBlock[] {
  const runs: types.Button[][] = [];
  for (const b of (buttons ?? []).filter(fitsButton)) {
    const run = runs.at(-1);
    const full = !run || run.length >= SLACK_LIMITS.actionsElements || run.some((x) => x.action_id === b.actionId);
    if (full) runs.push([buttonElement(b)]);
    else run.push(buttonElement(b));
  }
  return runs.map((elements) => ({ type: 'actions', elements }));
}

/** Keeps at most `max` blocks; when cut, the last one is a context block saying so. */
function capBlocks(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  const note = `_Truncated: ${blocks.length - kept.length} more blocks were not shown._`;
  return [...kept, { type: 'context', elements: [mrkdwn(note)] }];
}

/**
 * Notification text: the title plus the first field (or else the first line of text, or else the first item's
 * title), escaped, ≤ 3000 chars.
 */
function fallbackText(reply: Reply): string {
  const first = reply.fields?.[0];
  const line = first
    ? `${first.label}: ${first.value}`
    : (reply.text?.split('\n').find((l) => l.trim() !== '') ?? reply.items?.[0]?.title);
  const text = line ? `${reply.title}\n${line}` : reply.title;
  return fitMrkdwn(text, SLACK_LIMITS.fallbackText, 'commands');
}

/**
 * Renders a reply as a Slack message: header (title, ≤ 150 chars, cut with …), text sections (≤ 3000 chars each),
 * field sections (≤ 10 fields each), one code-block section per table (cut to `maxTableRows` or 3000 chars, with
 * "Showing N of M rows" and the reply's `more` button, "Show all"), the items (a section each, its button as
 * accessory), context and footnote blocks (≤ 10 elements each), then the buttons. At most 50 blocks: items are cut
 * first (whole items, with "Showing N of M items"), so the context and the buttons stay; beyond that the message is
 * cut and ends with a context block saying so. Charts are not rendered here (they are uploaded as images).
 *
 * @throws TallyError `USAGE` when `maxTableRows` is not a positive integer.
 */
export function renderMessage(reply: Reply, options: RenderMessageOptions = {}): SlackMessage {
  const maxRows = options.maxTableRows ?? DEFAULT_TABLE_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new TallyError('USAGE', `maxTableRows must be a positive integer, got ${maxRows}.`);
  }
  const head = [
    ...headerBlocks(reply.title),
    ...textBlocks(reply.text),
    ...fieldBlocks(reply.fields),
    ...tableBlocks(reply.tables, maxRows, reply.more),
  ];
  const tail = [
    ...contextBlocks(reply.context),
    ...contextBlocks(reply.footnote ? [reply.footnote] : undefined),
    ...buttonBlocks(reply.buttons),
  ];
  const items = renderItemBlocks(reply.items, SLACK_LIMITS.messageBlocks - head.length - tail.length);
  const blocks = [...head, ...items, ...tail];
  return { text: fallbackText(reply), blocks: capBlocks(blocks, SLACK_LIMITS.messageBlocks) };
}

/** One reply for App Home: header, fields, tables (≤ 10 rows), context; the text only when there is nothing else. */
function compactBlocks(reply: Reply): KnownBlock[] {
  const hasFigures = Boolean(reply.fields?.length || reply.tables?.length);
  return [
    ...headerBlocks(reply.title),
    ...(hasFigures ? [] : textBlocks(reply.text)),
    ...fieldBlocks(reply.fields),
    ...tableBlocks(reply.tables, HOME_TABLE_ROWS),
    ...contextBlocks(reply.context),
  ];
}

/** "Updated …" as a Slack date token (shown in the viewer's time zone) with a UTC fallback. */
function updatedBlocks(at: Date | undefined): KnownBlock[] {
  if (!at) return [];
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return [{ type: 'context', elements: [mrkdwn(`Updated <!date^${unix}^{date_short_pretty} at {time}|${fallback}>`)] }];
}

/**
 * Renders App Home (`views.publish`): an optional "Updated …" line, then each reply compactly (header, fields,
 * tables cut to 10 rows, context), separated by dividers. At most 100 blocks, cut like `renderMessage`.
 */
export function renderHomeView(sections: Reply[], options: RenderHomeViewOptions = {}): types.HomeView {
  const blocks: KnownBlock[] = updatedBlocks(options.updatedAt);
  sections.forEach((reply, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...compactBlocks(reply));
  });
  return { type: 'home', blocks: capBlocks(blocks, SLACK_LIMITS.homeBlocks) };
}

/** The body of an ephemeral ack for help, usage and error replies: `{ response_type: 'ephemeral', text, blocks }`. */
export function renderEphemeralText(reply: Reply): EphemeralResponse {
  return { response_type: 'ephemeral', ...renderMessage(reply) };
}
