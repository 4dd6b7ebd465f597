/** The longest piece of a person's text that a usage message repeats. */
const MAX_ECHO = 40;

/**
 * A person's text repeated in a usage message (`"x" is not …`), shown as inline code so that it cannot format:
 * Slack and Teams apply no bold, italics, strike-through or links inside code. Backticks (which would close the
 * code span) become `ˋ`, line breaks and runs of spaces one space, and long text is cut with `…`. Mentions and
 * links are escaped by the renderers on top of this.
 */
export function echo(text: string): string {
  const flat = text.replace(/`/g, 'ˋ').replace(/\s+/g, ' ').trim();
  const cut = [...flat].length > MAX_ECHO ? `${[...flat].slice(0, MAX_ECHO - 1).join('')}…` : flat;
  return `\`${cut || ' '}\``;
}
