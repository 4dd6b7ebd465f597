/**
 * Slack text helpers: the Block Kit limits Tally renders within, and escaped text cut to fit. Limits per Slack's Block
 * Kit reference; cutting and chunking are in `src/shared/text-fit.ts`, mrkdwn escaping in `src/shared/chat-markup.ts`.
 */
import { type CodeSpans, escapeMrkdwn } from '../../src/shared/chat-markup.js';
import { truncateText } from '../../src/shared/text-fit.js';

export { escapeMrkdwn, escapeSlackCode } from '../../src/shared/chat-markup.js';
export { chunk, chunkText, truncateText } from '../../src/shared/text-fit.js';

/**
 * Block Kit limits (characters unless stated). Slack rejects a payload that breaks any of them with `invalid_blocks`.
 * `fallbackText` is Tally's own cap for the top-level `text` (Slack truncates notifications long before its hard limit).
 */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  messageBlocks: 50,
  homeBlocks: 100,
  fallbackText: 3000,
} as const;

/** Escapes `s` for mrkdwn (`escapeMrkdwn`: it can neither format nor mention) and truncates it to `max` characters. */
export function fitMrkdwn(s: string, max: number, code: CodeSpans = 'none'): string {
  return truncateText(escapeMrkdwn(s, code), max);
}
