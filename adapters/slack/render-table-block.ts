import type { types } from '@slack/bolt';
import type { ReplyTable } from '../../src/shared/reply.types.js';
import { renderTable } from '../../src/shared/reply-text.js';
import { largestFitting, showingText } from '../../src/shared/text-fit.js';
import { escapeSlackCode, SLACK_LIMITS, truncateText } from './slack-text.js';

type KnownBlock = types.KnownBlock;

/** A table rendered for Slack: its blocks and how many of its rows they show. */
export interface TableBlocks {
  blocks: KnownBlock[];
  shown: number;
  total: number;
}

const FENCE = '```';

/** Table text for a code block, where Slack formats nothing: mentions and links escaped, no ``` closing the fence. */
const escapeCode = (s: string) => escapeSlackCode(s).replace(/```/g, '`\u200B`\u200B`');

function codeBlock(table: ReplyTable, rows: number): string {
  return `${FENCE}\n${escapeCode(renderTable({ ...table, rows: table.rows.slice(0, rows) }))}\n${FENCE}`;
}

/** The most rows (≤ `maxRows`) whose code block, footer included, fits one section's 3000 characters. */
function rowsThatFit(table: ReplyTable, maxRows: number): number {
  const fits = (n: number) => codeBlock(table, n).length <= SLACK_LIMITS.sectionText;
  return largestFitting(Math.min(table.rows.length, maxRows), fits);
}

/** A code block cut to the section limit when even the header and footer alone are too wide for it. */
function forcedCodeBlock(table: ReplyTable, rows: number): string {
  const block = codeBlock(table, rows);
  if (block.length <= SLACK_LIMITS.sectionText) return block;
  const inner = block.slice(FENCE.length + 1, -(FENCE.length + 1));
  return `${FENCE}\n${truncateText(inner, SLACK_LIMITS.sectionText - 2 * (FENCE.length + 1))}\n${FENCE}`;
}

/**
 * A table as a mrkdwn section holding a monospace code block (aligned by `renderTable`). When the table has more
 * rows than `maxRows`, or its code block would pass Slack's 3000-character section limit, it shows as many rows as
 * fit, then the footer row, followed by a context block "Showing N of M rows".
 */
export function renderTableBlocks(table: ReplyTable, maxRows: number): TableBlocks {
  const total = table.rows.length;
  const shown = rowsThatFit(table, maxRows);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: forcedCodeBlock(table, shown) } }];
  if (shown < total) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: showingText(shown, total, 'rows') }] });
  }
  return { blocks, shown, total };
}
