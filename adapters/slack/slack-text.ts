/**
 * Slack text helpers: the Block Kit limits Tally renders within, and mrkdwn escaping. Limits per Slack's Block Kit
 * reference; cutting and chunking are in `src/shared/text-fit.ts`.
 */
import { truncateText } from '../../src/shared/text-fit.js';

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

const ZERO_WIDTH_JOINER = '\u200D';
const BROADCAST = /@(?=here|channel|everyone)/gi;

/**
 * Escapes text for Slack mrkdwn so data can never produce a mention, a link or a broadcast: `&`, `<`, `>` become
 * `&amp;`, `&lt;`, `&gt;` (Slack's escaping rules), and a plain `@here`, `@channel` or `@everyone` gets a zero-width
 * joiner after the `@`. Apply it to every data-derived string placed in a mrkdwn text object, code blocks included.
 */
export function escapeMrkdwn(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST, `@${ZERO_WIDTH_JOINER}`);
}

/** Escapes `s` for mrkdwn and truncates the result to `max` characters. */
export function fitMrkdwn(s: string, max: number): string {
  return truncateText(escapeMrkdwn(s), max);
}
