/**
 * Adaptive Card rendering of the platform-neutral `Reply` for Teams (docs/architecture.md#the-reply-model), following
 * the Slack renderer's decisions: data text is always escaped (`escapeCardText`), amounts read `1,234.56 USD` (the
 * shell's `cellText`), tables are cut with "Showing N of M rows" and a "Show all" button, items with "Showing N of M
 * items". A bot message must stay under about 28 KB (card and activity together), so a card is kept within
 * {@link CARD_BUDGET_BYTES} of JSON. Plain JSON, no botbuilder import.
 */
import { ACTIONS } from '../../src/shared/action-ids.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Reply, ReplyField, ReplyItem, ReplyTable } from '../../src/shared/reply.types.js';
import { CARD_VERBS, type CardAction, cardAction, cardActions } from './card-actions.js';
import {
  type CardElement,
  fitCardText,
  renderCardTable,
  showingNote,
  smallPrint,
  type TextStyle,
  textBlock,
} from './render-card-table.js';

export type { CardAction, CardVerb } from './card-actions.js';
export { CARD_VERBS, REJECT_REASON_INPUT } from './card-actions.js';
export type { CardElement } from './render-card-table.js';
export { escapeCardText } from './render-card-table.js';

/** Sizes Tally keeps cards within (bytes of JSON, or characters of raw text before escaping). */
export const TEAMS_LIMITS = {
  /** Teams refuses a bot message (activity and card) past about 28 KB. */
  messageBytes: 28 * 1024,
  /** The card's own budget: the message limit less 2 KB for the activity around it (ids, service URL, summary). */
  cardBytes: 26 * 1024,
  /** Most users whose clients refresh a card automatically (Teams' limit for `refresh.userIds`). */
  refreshUserIds: 60,
  title: 300,
  text: 8000,
  factTitle: 200,
  factValue: 2000,
  itemTitle: 300,
  itemText: 3000,
  smallPrint: 3000,
} as const;

/** The most bytes of card JSON {@link renderCard} produces. */
export const CARD_BUDGET_BYTES = TEAMS_LIMITS.cardBytes;

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Automatic refresh of a card (Universal Actions): Teams sends `verb: 'refresh'` invokes for these users. */
export interface CardRefresh {
  action: { type: 'Action.Execute'; verb: typeof CARD_VERBS.REFRESH; data: { id: string } };
  userIds: string[];
}

/** An Adaptive Card 1.5 (the version Universal Actions need). */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions: CardAction[];
  refresh?: CardRefresh;
  /** Full width, so tables get room. */
  msteams?: { width: 'Full' };
}

export interface RenderCardOptions {
  /** The chart drawn by the `ChartRenderer`; inlined as a `data:` URI image when the card stays within budget. */
  chartPng?: Uint8Array;
  /** @defaultValue the chart's title */
  chartAltText?: string;
  /**
   * The chart as an image Tally serves itself (`TALLY_PUBLIC_URL/charts/<id>.png`); preferred over `chartPng`,
   * which seldom fits Teams' ~28 KB message limit.
   */
  chartUrl?: string;
  /** The command that produced the reply; a cut table then offers "Show all" (verb `run`) re-running it. */
  command?: string;
  /**
   * Rows shown per table before it is cut (fewer if the card would pass its budget).
   * @defaultValue 25
   */
  maxTableRows?: number;
}

/** Who sees an approval card: voters who may still vote get the vote buttons. */
export interface ApprovalViewer {
  /** The viewer's AAD object id. */
  userId: string;
  canVote: boolean;
  votedAs?: 'approve' | 'reject';
}

/** The approval a card refreshes for, and the users (MRIs or AAD ids) whose clients refresh it automatically. */
export interface ApprovalRefresh {
  approvalId: string;
  userIds: string[];
}

export interface CardInvokeResponse {
  statusCode: 200;
  type: typeof CARD_CONTENT_TYPE;
  value: AdaptiveCard;
}

export interface MessageInvokeResponse {
  statusCode: 200;
  type: 'application/vnd.microsoft.activity.message';
  value: string;
}

const DEFAULT_TABLE_ROWS = 25;
const CHART_TOO_LARGE = 'Chart not shown: the image is too large for a Teams card.';
const VOTE_ACTIONS: ReadonlySet<string> = new Set([ACTIONS.APPROVE, ACTIONS.REJECT]);

/** The parts of a reply, rendered once; the layout decides how much of the tables and items is shown. */
interface Parts {
  head: CardElement[];
  tables: ReplyTable[];
  items: CardElement[];
  tail: CardElement[];
  actions: CardAction[];
  refresh?: CardRefresh;
}

interface Layout {
  rows: number;
  items: number;
  chart: CardElement[];
}

/** Bytes of the card's JSON, as Teams counts them. */
export function cardSize(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

function factSet(fields: ReplyField[] | undefined): CardElement[] {
  const facts = (fields ?? [])
    .filter((f) => `${f.label}${f.value}`.trim() !== '')
    .map((f) => ({
      title: fitCardText(f.label, TEAMS_LIMITS.factTitle),
      value: fitCardText(f.value, TEAMS_LIMITS.factValue),
    }));
  return facts.length ? [{ type: 'FactSet', facts }] : [];
}

/** One item: a separated Container with its bold title, text, facts and its button in an ActionSet. */
function itemContainer(item: ReplyItem): CardElement[] {
  const title = oneLine(item.title);
  const action = item.button ? cardAction(item.button) : undefined;
  const items = [
    ...(title ? [textBlock(fitCardText(title, TEAMS_LIMITS.itemTitle), { weight: 'Bolder' })] : []),
    ...(item.text?.trim() ? [textBlock(fitCardText(item.text, TEAMS_LIMITS.itemText))] : []),
    ...factSet(item.fields),
    ...(action ? [{ type: 'ActionSet', actions: [action] }] : []),
  ];
  return items.length ? [{ type: 'Container', separator: true, spacing: 'Medium', items }] : [];
}

/** Context lines, the footnote, and the error id unless the reply already shows it, as small subtle print. */
function tailElements(reply: Reply): CardElement[] {
  const lines = [...(reply.context ?? []), ...(reply.footnote ? [reply.footnote] : [])].filter((l) => l.trim() !== '');
  const { errorId } = reply;
  if (errorId && ![reply.text ?? '', ...lines].some((l) => l.includes(errorId))) lines.push(`Error id: ${errorId}`);
  return lines.map((l) => smallPrint(fitCardText(l, TEAMS_LIMITS.smallPrint)));
}

function partsOf(reply: Reply, notice: CardElement[], refresh?: CardRefresh): Parts {
  const title = oneLine(reply.title);
  const titleStyle: TextStyle = {
    size: 'Medium',
    weight: 'Bolder',
    ...(reply.kind === 'error' ? { color: 'Attention' } : {}),
  };
  return {
    head: [
      ...(title ? [textBlock(fitCardText(title, TEAMS_LIMITS.title), titleStyle)] : []),
      ...notice,
      ...(reply.text?.trim() ? [textBlock(fitCardText(reply.text, TEAMS_LIMITS.text))] : []),
      ...factSet(reply.fields),
    ],
    tables: reply.tables ?? [],
    items: (reply.items ?? []).flatMap(itemContainer),
    tail: tailElements(reply),
    actions: cardActions(reply.buttons),
    ...(refresh ? { refresh } : {}),
  };
}

function bodyOf(parts: Parts, layout: Layout, command: string | undefined): CardElement[] {
  const cut = parts.tables.some((t) => t.rows.length > layout.rows);
  const showAll =
    cut && command ? cardAction({ actionId: ACTIONS.SHOW_ALL, label: 'Show all', value: command }) : undefined;
  const items = parts.items.length;
  return [
    ...parts.head,
    ...parts.tables.flatMap((t) => renderCardTable(t, layout.rows)),
    ...(showAll ? [{ type: 'ActionSet', actions: [showAll] }] : []),
    ...layout.chart,
    ...parts.items.slice(0, layout.items),
    ...(layout.items < items ? [showingNote(layout.items, items, 'items')] : []),
    ...parts.tail,
  ];
}

/** The largest n in [0, max] for which `fits(n)` holds (0 when none does); `fits` grows false with n. */
function largestFitting(max: number, fits: (n: number) => boolean): number {
  if (fits(max)) return max;
  let lo = 0;
  let hi = max;
  while (lo < hi - 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Last resort for oversized text or fields: drops body elements from the end and says so. */
function capBody(card: AdaptiveCard): AdaptiveCard {
  if (cardSize(card) <= CARD_BUDGET_BYTES) return card;
  const cut = (keep: number): AdaptiveCard => ({
    ...card,
    body: [...card.body.slice(0, keep), smallPrint(`Truncated: ${card.body.length - keep} more parts were not shown.`)],
  });
  let keep = card.body.length - 1;
  while (keep > 1 && cardSize(cut(keep)) > CARD_BUDGET_BYTES) keep -= 1;
  return cut(keep);
}

function buildCard(reply: Reply, options: RenderCardOptions, parts: Parts): AdaptiveCard {
  const maxRows = options.maxTableRows ?? DEFAULT_TABLE_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < 1) {
    throw new TallyError('USAGE', `maxTableRows must be a positive integer, got ${maxRows}.`);
  }
  const card = (layout: Layout): AdaptiveCard => ({
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: '1.5',
    body: bodyOf(parts, layout, options.command),
    actions: parts.actions,
    ...(parts.refresh ? { refresh: parts.refresh } : {}),
    msteams: { width: 'Full' },
  });
  const fits = (layout: Layout) => cardSize(card(layout)) <= CARD_BUDGET_BYTES;
  const longest = Math.max(0, ...parts.tables.map((t) => t.rows.length));
  const rows = largestFitting(Math.min(maxRows, longest), (n) =>
    fits({ rows: n, items: parts.items.length, chart: [] }),
  );
  const items = largestFitting(parts.items.length, (n) => fits({ rows, items: n, chart: [] }));
  let chart: CardElement[] = [];
  if (options.chartUrl || options.chartPng) {
    const alt = options.chartAltText ?? reply.chart?.title ?? 'Chart';
    const url = options.chartUrl ?? pngDataUri(options.chartPng ?? new Uint8Array());
    const image = { type: 'Image', url, altText: alt, size: 'Stretch' };
    chart = fits({ rows, items, chart: [image] }) ? [image] : [smallPrint(CHART_TOO_LARGE)];
  }
  return capBody(card({ rows, items, chart }));
}

const pngDataUri = (png: Uint8Array) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;

/**
 * Renders a reply as an Adaptive Card 1.5: the title (bold, Medium, wrapping; red for errors), the text, the fields
 * as a FactSet, each table as a `Table` element (cut to `maxTableRows`, then to the budget, with "Showing N of M
 * rows" and, given `options.command`, a "Show all" button), the chart PNG as a `data:` URI `Image` (left out with a
 * note in small print when it would pass the budget), the items as Containers each with its button, then context,
 * footnote and error id in small subtle print; the reply's buttons are the card's actions (see `cardAction`). The
 * JSON stays within {@link CARD_BUDGET_BYTES}: table rows are cut first, then whole items ("Showing N of M items").
 *
 * @throws TallyError `USAGE` when `maxTableRows` is not a positive integer.
 */
export function renderCard(reply: Reply, options: RenderCardOptions = {}): AdaptiveCard {
  return buildCard(reply, options, partsOf(reply, []));
}

/**
 * The per-viewer view of an approval card. A viewer who may vote and has not voted gets every button (Approve,
 * Reject with its reason input, Details); one who voted sees "You voted approve" (or reject) and no vote buttons;
 * anyone else sees the progress (the reply's fields) and Details only. The card carries a `refresh` section
 * (verb `refresh`, `data: { id }`) for at most 60 distinct user ids, so each approver's client asks for their view.
 */
export function renderApprovalCard(
  reply: Reply,
  viewer: ApprovalViewer,
  refresh: ApprovalRefresh,
  options: RenderCardOptions = {},
): AdaptiveCard {
  const mayVote = viewer.canVote && viewer.votedAs === undefined;
  const buttons = reply.buttons?.filter((b) => mayVote || !VOTE_ACTIONS.has(b.actionId));
  const voted = viewer.votedAs
    ? [
        textBlock(`You voted ${viewer.votedAs}`, {
          weight: 'Bolder',
          color: viewer.votedAs === 'approve' ? 'Good' : 'Attention',
        }),
      ]
    : [];
  return buildCard(reply, options, partsOf({ ...reply, buttons }, voted, cardRefresh(refresh)));
}

/** The `refresh` section of an approval card: distinct user ids, at most 60 (Teams ignores the rest). */
export function cardRefresh(refresh: ApprovalRefresh): CardRefresh {
  return {
    action: { type: 'Action.Execute', verb: CARD_VERBS.REFRESH, data: { id: refresh.approvalId } },
    userIds: [...new Set(refresh.userIds)].slice(0, TEAMS_LIMITS.refreshUserIds),
  };
}

/** The answer to an `adaptiveCard/action` invoke that replaces the card for the clicker. */
export function toInvokeResponse(card: AdaptiveCard): CardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
}

/** The answer to an `adaptiveCard/action` invoke that leaves the card and shows the clicker a short message. */
export function toMessageInvokeResponse(text: string): MessageInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text };
}

/** The card as a message attachment, for `sendActivity({ attachments: [toAttachment(card)] })`. */
export function toAttachment(card: AdaptiveCard): { contentType: typeof CARD_CONTENT_TYPE; content: AdaptiveCard } {
  return { contentType: CARD_CONTENT_TYPE, content: card };
}
