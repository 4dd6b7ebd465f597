/**
 * Adaptive Card rendering of the platform-neutral `Reply` for Teams (docs/architecture.md#the-reply-model), following
 * the Slack renderer's decisions: data text is always escaped (`escapeCardText`, and `escapeListMarkers`), amounts read
 * `1,234.56 USD` (the shell's `cellText`), tables are cut with "Showing N of M rows" and a "Show all" button, items
 * with "Showing N of M items". A bot message must stay under about 28 KB (card and activity together), so a card is
 * kept within {@link CARD_BUDGET_BYTES} of JSON. Plain JSON, no botbuilder import.
 */
import { TallyError } from '../../src/shared/errors.js';
import {
  type Reply,
  type ReplyButton,
  type ReplyField,
  type ReplyItem,
  type ReplyTable,
  TABLE_PAGE_ROWS,
} from '../../src/shared/reply.types.js';
import { largestFitting } from '../../src/shared/text-fit.js';
import { type CardAction, cardAction, cardActions, verbOf } from './card-actions.js';
import {
  type CardElement,
  fitCardText,
  renderCardTable,
  showingNote,
  smallPrint,
  type TextStyle,
  textBlock,
} from './render-card-table.js';

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
  action: { type: 'Action.Execute'; verb: string; data: { id: string } };
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
  /** A person's own view of the card: their client asks for it again when it shows the card. */
  refresh?: CardRefresh;
  /**
   * Rows shown per table before it is cut (fewer if the card would pass its budget).
   * @defaultValue 25
   */
  maxTableRows?: number;
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

const DEFAULT_TABLE_ROWS = TABLE_PAGE_ROWS;
const CHART_TOO_LARGE = 'Chart not shown: the image is too large for a Teams card.';

/** The parts of a reply, rendered once; the layout decides how much of the tables and items is shown. */
interface Parts {
  head: CardElement[];
  tables: ReplyTable[];
  items: CardElement[];
  tail: CardElement[];
  actions: CardAction[];
  /** "Show all", shown under a cut table. */
  more?: ReplyButton;
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
/** Data text escaped for TextBlock markdown, a line start that would make a list included (`- x`, `1. x`). */

function factSet(fields: ReplyField[] | undefined): CardElement[] {
  const facts = (fields ?? [])
    .filter((f) => `${f.label}${f.value}`.trim() !== '')
    .map((f) => ({
      title: fitCardText(f.label, TEAMS_LIMITS.factTitle),
      value: fitCardText(f.value, TEAMS_LIMITS.factValue),
    }));
  return facts.length ? [{ type: 'FactSet', facts }] : [];
}

/** One item: a separated Container with its bold title, text, facts and its buttons in an ActionSet. */
function itemContainer(item: ReplyItem): CardElement[] {
  const title = oneLine(item.title);
  const actions = [...(item.button ? [item.button] : []), ...(item.buttons ?? [])].map(cardAction);
  const items = [
    ...(title ? [textBlock(fitCardText(title, TEAMS_LIMITS.itemTitle), { weight: 'Bolder' })] : []),
    ...(item.text?.trim() ? [textBlock(fitCardText(item.text, TEAMS_LIMITS.itemText))] : []),
    ...factSet(item.fields),
    ...(actions.length ? [{ type: 'ActionSet', actions }] : []),
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

function partsOf(reply: Reply, refresh?: CardRefresh): Parts {
  const title = oneLine(reply.title);
  const titleStyle: TextStyle = {
    size: 'Medium',
    weight: 'Bolder',
    ...(reply.kind === 'error' ? { color: 'Attention' } : {}),
  };
  return {
    head: [
      ...(title ? [textBlock(fitCardText(title, TEAMS_LIMITS.title), titleStyle)] : []),
      ...(reply.text?.trim() ? [textBlock(fitCardText(reply.text, TEAMS_LIMITS.text))] : []),
      ...factSet(reply.fields),
    ],
    tables: reply.tables ?? [],
    items: (reply.items ?? []).flatMap(itemContainer),
    tail: tailElements(reply),
    actions: cardActions(reply.buttons),
    ...(reply.more ? { more: reply.more } : {}),
    ...(refresh ? { refresh } : {}),
  };
}

function bodyOf(parts: Parts, layout: Layout): CardElement[] {
  const cut = parts.tables.some((t) => t.rows.length > layout.rows);
  const showAll = cut && parts.more ? cardAction(parts.more) : undefined;
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
    body: bodyOf(parts, layout),
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
 * rows" and the reply's `more` button, "Show all"), the chart PNG as a `data:` URI `Image` (left out with a
 * note in small print when it would pass the budget), the items as Containers each with its button, then context,
 * footnote and error id in small subtle print; the reply's buttons are the card's actions (see `cardAction`). The
 * JSON stays within {@link CARD_BUDGET_BYTES}: table rows are cut first, then whole items ("Showing N of M items").
 *
 * @throws TallyError `USAGE` when `maxTableRows` is not a positive integer.
 */
export function renderCard(reply: Reply, options: RenderCardOptions = {}): AdaptiveCard {
  return buildCard(reply, options, partsOf(reply, options.refresh));
}

/**
 * The `refresh` section of a person's own view of a card (Universal Actions): the clients of these users (at most 60
 * distinct ones; Teams ignores the rest) ask for their view with `button`'s verb and `data: { id }` when they show it.
 */
export function cardRefresh(button: { actionId: string; value: string }, userIds: string[]): CardRefresh {
  return {
    action: { type: 'Action.Execute', verb: verbOf(button.actionId), data: { id: button.value } },
    userIds: [...new Set(userIds)].slice(0, TEAMS_LIMITS.refreshUserIds),
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
