/**
 * Escaping of data for the chat platforms' markup, so that text a person typed or a bill carries can neither format
 * nor mention, link or broadcast: Slack mrkdwn (used by `adapters/slack`) and the line starts Teams' TextBlock
 * markdown reads as lists (used by `adapters/teams`). Tally's own markup goes around the escaped text.
 */

const BROADCAST = /@(?=here|channel|everyone)/gi;
/** Look-alikes Slack never reads as markup (it has no escape for `*`, `_`, `~` or backticks; `ˋ` as in `echo`). */
const LOOKALIKE: Record<string, string> = { '*': '\u2217', _: '\u02CD', '~': '\u223C', '`': '\u02CB' };
/** `*`, `~`, and a `_` not inside a word (`cost_center` and `apr_1a2b` stay: Slack never formats within a word). */
const EMPHASIS = /[*~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;
/** The code spans Tally writes into small print name its commands (`status`, `digest list`). */
const TALLY_COMMAND = /^`(?:tally|status|digest|help|cost|compare|forecast|approve|reject|cancel|savings)\b/;

/**
 * Which backtick code spans of a text stay code in Slack: `all` (Tally's prose, where the person's words are echoed
 * as code with their backticks replaced, see `src/commands/echo.ts`), `commands` (only spans naming a Tally command,
 * for small print that restates data), `none` (data through and through).
 */
export type CodeSpans = 'all' | 'commands' | 'none';

/**
 * Slack: `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (its escaping rules) and a zero-width joiner after a broadcast's `@`:
 * all that text inside a code block needs, where Slack formats nothing.
 */
export function escapeSlackCode(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(BROADCAST, '@\u200D');
}

/**
 * Escapes data for Slack mrkdwn so that it can neither mention, link or broadcast ({@link escapeSlackCode}) nor
 * format: `*`, `~` and a `_` outside a word become look-alikes (`∗`, `∼`, `ˍ`; a zero-width space would not do, as
 * Slack reads it as a word break), a line starting with `>` gets a soft hyphen first (no block quote), runs of
 * backticks cannot open a code block, and single backticks still make code only as `code` says. Figures are unchanged.
 *
 * @example
 * escapeMrkdwn('service "*EC2*" <!here>') // 'service "∗EC2∗" &lt;!here&gt;'
 */
export function escapeMrkdwn(s: string, code: CodeSpans = 'none'): string {
  const spans = code === 'none' ? /`/g : code === 'commands' ? /`[^`\n]*`|`/g : /``+/g;
  return escapeSlackCode(s)
    .replace(EMPHASIS, (c) => LOOKALIKE[c] ?? c)
    .replace(/^([ \t]*)&gt;/gm, '$1\u00AD&gt;')
    .replace(spans, (m) => (code === 'commands' && TALLY_COMMAND.test(m) ? m : m.replace(/`/g, LOOKALIKE['`']!)));
}

/**
 * Teams: a backslash before what would start a list at the beginning of a line of TextBlock markdown (`- `, `+ `,
 * `1. `, `1) `), for text whose other markup is already escaped (emphasis, links and tags are escaped with the text).
 */
export function escapeListMarkers(escaped: string): string {
  return escaped.replace(/^([ \t]*\d{0,9})([-+.)])(?=[ \t]|$)/gm, '$1\\$2');
}
