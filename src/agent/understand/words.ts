import leven from 'leven';

/**
 * The words of a question, lower-cased, with common misspellings of Tally's own words corrected ("mnth" → month,
 * "ocotber" → october, "servcie" → service). A word is corrected only to a known word with the same first letter,
 * within one edit for words of up to five letters and two for longer ones.
 */
export interface Word {
  /** As corrected. */
  text: string;
  /** As typed (lower-cased). */
  typed: string;
  used: boolean;
}

/** Words people use that carry no meaning for a cost question: never named as "not used". */
export const FILLER = new Set(
  (
    "a an the and or of in on at to for from with by per each every what whats what's which how much many did do does " +
    "we our us me my i you your is are was were be been being it its it's this that these those there here please " +
    'show tell give get got gives list see find can could would will should total overall all spend spent spending ' +
    'spends cost costs costing pay paid paying bill bills billing charge charges charged amount amounts money ' +
    'so far far just only across combined together both altogether whole entire out come came came to up ' +
    'have has had any some about around roughly much more most most? than then vs versus v compare compared comparison ' +
    'against between change changed changes difference went grow grew growth rise rose increase increased increases ' +
    'biggest largest highest top most expensive costliest breakdown break down split broken into ' +
    'services cloud clouds provider providers account accounts subscription subscriptions project projects ' +
    'on track projected projection forecast forecasted expected end month-end going over during within since ' +
    'spend? cost? spending? costs? past anything something everything receive received get got do know want need looking look like instances instance ' +
    'run running used using usage environments environment envs env team teams tag tags our spend'
  ).split(/\s+/),
);

/** Tally's own words that misspellings are corrected to. */
const KNOWN = [
  ...'january february march april may june july august september october november december'.split(' '),
  ...'jan feb mar apr jun jul aug sep sept oct nov dec q1 q2 q3 q4 qtr ytd'.split(' '),
  ...'monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun'.split(' '),
  ...'one two three four five six seven eight nine ten fourteen fifteen twenty thirty sixty ninety'.split(' '),
  ...'first second third fourth production prod staging development fiscal fytd'.split(' '),
  ...'month months week weeks year years quarter quarters today yesterday weekend days day daily weekly monthly'.split(
    ' ',
  ),
  ...'last this previous past next since before prior until so far date'.split(' '),
  ...'how much what which spend spent cost costs service services account accounts provider providers region regions'.split(
    ' ',
  ),
  ...'category categories team teams forecast compare increase grew growth biggest most each per break down'.split(' '),
  ...'billed invoiced tax taxes credit credits storage compute database databases network networking'.split(' '),
];

/** Splits and corrects a question against Tally's words and the data's own names (`names`). */
export function wordsOf(text: string, names: Iterable<string>): Word[] {
  const known = new Set([...KNOWN, ...FILLER, ...[...names].flatMap((n) => n.toLowerCase().split(/[\s/]+/))]);
  const byLetter = new Map<string, string[]>();
  for (const k of known) if (k.length > 2) byLetter.set(k[0]!, [...(byLetter.get(k[0]!) ?? []), k]);
  return text
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .replace(/[?!,;:()"“”’]/g, ' ')
    .replace(/(\w)\.(\s|$)/g, '$1$2')
    .split(/\s+/)
    .filter(Boolean)
    .map((typed) => ({ text: correct(typed, known, byLetter), typed, used: false }));
}

function correct(word: string, known: Set<string>, byLetter: Map<string, string[]>): string {
  if (known.has(word) || word.length < 3 || /\d/.test(word)) return word;
  const limit = word.length <= 5 ? 1 : 2;
  let best: { k: string; d: number } | null = null;
  for (const k of byLetter.get(word[0]!) ?? []) {
    if (Math.abs(k.length - word.length) > limit) continue;
    const d = swapped(word, k) ? 1 : leven(word, k);
    if (d <= limit && (!best || d < best.d)) best = { k, d };
  }
  return best?.k ?? word;
}

/** `hwo` and `how`: the same letters with two neighbours swapped (one slip of the fingers). */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** Marks words `from`..`to` (exclusive) as used. */
export function use(words: Word[], from: number, to: number): void {
  for (let i = Math.max(0, from); i < Math.min(to, words.length); i++) words[i]!.used = true;
}
