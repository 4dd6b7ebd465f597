/**
 * Block Kit rendering of `Reply.items` (recommendations, pending approvals): one section per item with its title and
 * text, its fields and its button as the accessory. Data text is escaped like everywhere else (`escapeMrkdwn`).
 */
import type { types } from '@slack/bolt';
import type { ReplyItem } from '../../src/shared/reply.types.js';
import { showingText } from '../../src/shared/text-fit.js';
import { buttonElement, fieldText, fitsButton, mrkdwn } from './block-parts.js';
import { chunk, escapeMrkdwn, fitMrkdwn, SLACK_LIMITS, truncateText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

/** An item title longer than this is cut with `…` (it is a one-line heading, not the item's text). */
const ITEM_TITLE_MAX = 300;

/** `*title*` and the text below it, escaped, within one section's 3000 characters; '' when both are blank. */
function itemText(item: ReplyItem): string {
  const title = item.title.replace(/\s+/g, ' ').trim();
  const lines = [
    title ? `*${fitMrkdwn(title, ITEM_TITLE_MAX)}*` : '',
    item.text ? escapeMrkdwn(item.text, 'commands') : '',
  ];
  return truncateText(lines.filter((l) => l.trim() !== '').join('\n'), SLACK_LIMITS.sectionText);
}

/**
 * One item: a section with the text, its first 10 fields and the button as accessory; further fields follow in
 * sections of 10, further buttons in an actions block. An item with neither text nor fields shows its button alone; one with nothing at all, nothing.
 */
function itemBlocks(item: ReplyItem): KnownBlock[] {
  const text = itemText(item);
  const runs = chunk(
    (item.fields ?? []).map(fieldText).filter((t) => t.trim() !== ''),
    SLACK_LIMITS.sectionFields,
  );
  const button = item.button && fitsButton(item.button) ? buttonElement(item.button) : undefined;
  const [firstRun, ...moreRuns] = runs;
  // Further buttons (a recommendation's Dismiss and Snooze) follow in an actions block.
  const more = (item.buttons ?? []).filter(fitsButton).map(buttonElement);
  const actions: KnownBlock[] = more.length ? [{ type: 'actions', elements: more }] : [];
  if (!text && !firstRun) return button ? [{ type: 'actions', elements: [button, ...more] }] : actions;
  const first: types.SectionBlock = {
    type: 'section',
    ...(text ? { text: mrkdwn(text) } : {}),
    ...(firstRun ? { fields: firstRun.map(mrkdwn) } : {}),
    ...(button ? { accessory: button } : {}),
  };
  return [first, ...moreRuns.map((run): KnownBlock => ({ type: 'section', fields: run.map(mrkdwn) })), ...actions];
}

/**
 * The items within `budget` blocks (what the 50-block message limit leaves after the rest of the reply). When they
 * do not all fit, whole items are kept in order and a context block "Showing N of M items" ends the list, so an item
 * is never shown without its button.
 */
export function renderItemBlocks(items: ReplyItem[] | undefined, budget: number): KnownBlock[] {
  const groups = (items ?? []).map(itemBlocks).filter((g) => g.length > 0);
  if (groups.reduce((n, g) => n + g.length, 0) <= budget) return groups.flat();
  if (budget < 1) return [];
  const kept: KnownBlock[] = [];
  let shown = 0;
  for (const group of groups) {
    if (kept.length + group.length > budget - 1) break;
    kept.push(...group);
    shown += 1;
  }
  const note = showingText(shown, groups.length, 'items');
  return [...kept, { type: 'context', elements: [mrkdwn(note)] }];
}
