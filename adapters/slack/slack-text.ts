/**
 * Slack text helpers: the Block Kit limits Tally renders within, mrkdwn escaping, and length-safe truncation and
 * chunking of escaped text. Limits per Slack's Block Kit reference.
 */

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

/**
 * The largest cut position ≤ `max` that splits neither a surrogate pair nor an `&…;` entity of escaped text.
 */
function safeCut(s: string, max: number): number {
  let cut = Math.min(max, s.length);
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  const amp = s.lastIndexOf('&', cut - 1);
  if (amp !== -1) {
    const semi = s.indexOf(';', amp);
    if (semi >= cut && semi - amp <= 5) cut = amp;
  }
  return cut > 0 ? cut : Math.min(max, s.length);
}

/** Cuts `s` to at most `max` characters, ending with `…` when cut. Safe on escaped mrkdwn and on emoji. */
export function truncateText(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, safeCut(s, max - 1))}…`;
}

/** Escapes `s` for mrkdwn and truncates the result to `max` characters. */
export function fitMrkdwn(s: string, max: number): string {
  return truncateText(escapeMrkdwn(s), max);
}

/**
 * Splits already-escaped text into pieces of at most `max` characters, preferring line breaks, never splitting an
 * entity or a surrogate pair. Blank pieces are dropped (Slack rejects empty text objects).
 */
export function chunkText(escaped: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    const newline = rest.lastIndexOf('\n', max);
    if (newline > 0) {
      pieces.push(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
    } else {
      const cut = safeCut(rest, max);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
  }
  pieces.push(rest);
  return pieces.filter((p) => p.trim() !== '');
}

/** Splits a list into runs of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const runs: T[][] = [];
  for (let i = 0; i < items.length; i += size) runs.push(items.slice(i, i + size));
  return runs;
}
