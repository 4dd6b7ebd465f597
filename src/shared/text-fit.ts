/**
 * Length-safe text for renderers with character limits (Block Kit, Adaptive Cards): cuts that never split a surrogate
 * pair or an `&…;` entity of escaped text, chunking, and the largest amount of content that fits a limit.
 */

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

/** The largest n in [0, max] for which `fits(n)` holds (0 when none does); `fits` must turn false as n grows. */
export function largestFitting(max: number, fits: (n: number) => boolean): number {
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

const COUNT = new Intl.NumberFormat('en-US');

/** "Showing 25 of 120 rows": what a renderer says under content it had to cut. */
export function showingText(shown: number, total: number, what: string): string {
  return `Showing ${COUNT.format(shown)} of ${COUNT.format(total)} ${what}`;
}
