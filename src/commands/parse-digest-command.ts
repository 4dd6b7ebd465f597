import type { DigestCommand, ParseResult } from './command.types.js';
import { echo } from './echo.js';

const TOPIC = 'digest';

/** Weekday words, as the three-letter names `DigestCommand.weekday` holds. */
const WEEKDAYS: ReadonlyMap<string, string> = new Map([
  ['mon', 'mon'],
  ['monday', 'mon'],
  ['tue', 'tue'],
  ['tues', 'tue'],
  ['tuesday', 'tue'],
  ['wed', 'wed'],
  ['wednesday', 'wed'],
  ['thu', 'thu'],
  ['thur', 'thu'],
  ['thurs', 'thu'],
  ['thursday', 'thu'],
  ['fri', 'fri'],
  ['friday', 'fri'],
  ['sat', 'sat'],
  ['saturday', 'sat'],
  ['sun', 'sun'],
  ['sunday', 'sun'],
]);

const SHOW = new Set(['now', 'show', 'preview']);
const LIST = new Set(['list', 'ls', 'subscriptions']);
const UNSUBSCRIBE = new Set(['unsubscribe', 'remove', 'delete', 'stop']);
const SUBSCRIBE = new Set(['subscribe', 'schedule']);
const EMAIL_WORDS = new Set(['to', 'email', 'emails', 'mail', 'cc']);
const FILLER = new Set(['every', 'on', 'at', 'in', 'and']);
const CADENCES: ReadonlyMap<string, 'weekly' | 'daily'> = new Map([
  ['weekly', 'weekly'],
  ['week', 'weekly'],
  ['daily', 'daily'],
  ['day', 'daily'],
]);

const TIME_RE = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/i;
const ZONE_RE = /^(?:[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+|utc|gmt|z)$/i;
const EMAIL_RE =
  /^[^\s@<>(),;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const ID_RE = /^[A-Za-z0-9_-]+$/;
const MAX_EMAILS = 20;

const DEFAULTS = { time: '09:00', tz: 'UTC', weekday: 'mon' } as const;

const ok = (command: DigestCommand): ParseResult => ({ ok: true, command });
const invalid = (message: string): ParseResult => ({ ok: false, reason: 'INVALID', message, topic: TOPIC });

/**
 * The digest commands of the command language (README.md#the-command-language): `digest` / `digest now` (the digest, built now),
 * `digest subscribe weekly mon 09:00 Europe/Berlin [to a@example.com, b@example.com]`, `digest subscribe daily 08:30 UTC`,
 * `digest list`, `digest unsubscribe [<id>]`. Left out, a subscription is weekly, on Monday, at 09:00, in UTC.
 * Returns null when the line is not a digest command; a malformed one is `INVALID` with topic `digest`.
 */
export function parseDigestCommand(input: string): ParseResult | null {
  const words = wordsOf(input);
  const head = words[0]?.toLowerCase();
  if (head !== 'digest' && head !== 'digests') return null;
  const verb = words[1]?.toLowerCase();
  const rest = words.slice(2);
  if (verb === undefined || (SHOW.has(verb) && rest.length === 0)) return ok({ kind: 'digest', action: 'show' });
  if (LIST.has(verb))
    return rest.length === 0 ? ok({ kind: 'digest', action: 'list' }) : invalid('`digest list` takes no arguments.');
  if (UNSUBSCRIBE.has(verb)) return parseUnsubscribe(rest);
  if (SUBSCRIBE.has(verb)) return parseSubscribe(rest);
  return invalid(
    `${echo(words[1]!)} is not a digest command: use \`digest subscribe weekly mon 09:00 Europe/Berlin\`, \`digest list\`, \`digest unsubscribe\` or \`digest now\`.`,
  );
}

/** Words of a line; Slack's `<mailto:a@b|a@b>` links become the address, and commas separate like spaces. */
function wordsOf(input: string): string[] {
  return input
    .replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/gi, '$1')
    .split(/[\s,;]+/)
    .map((w) => w.replace(/\.$/, ''))
    .filter((w) => w !== '');
}

function parseUnsubscribe(rest: string[]): ParseResult {
  if (rest.length === 0 || (rest.length === 1 && rest[0]?.toLowerCase() === 'all'))
    return ok({ kind: 'digest', action: 'unsubscribe' });
  if (rest.length === 1 && ID_RE.test(rest[0]!)) return ok({ kind: 'digest', action: 'unsubscribe', id: rest[0]! });
  return invalid('Usage: `digest unsubscribe` (every digest of this channel) or `digest unsubscribe <id>`.');
}

/** What `digest subscribe …` has read so far. */
interface Schedule {
  cadence?: 'weekly' | 'daily';
  weekday?: string;
  time?: string;
  tz?: string;
  emails: string[];
}

function parseSubscribe(rest: string[]): ParseResult {
  const s: Schedule = { emails: [] };
  let emailMode = false;
  for (const word of rest) {
    const lower = word.toLowerCase();
    if (EMAIL_WORDS.has(lower)) {
      emailMode = true;
      continue;
    }
    if (FILLER.has(lower)) continue;
    if (word.includes('@')) {
      const problem = addEmail(s, word);
      if (problem) return invalid(problem);
      continue;
    }
    const problem = readWord(s, word, lower);
    // After `to`, a word that is no part of a schedule was meant as an address.
    if (problem) return invalid(emailMode ? `${echo(word)} is not an email address.` : problem);
  }
  if (s.cadence === 'daily' && s.weekday) return invalid('A daily digest has no weekday: drop it, or say `weekly`.');
  if (s.emails.length > MAX_EMAILS) return invalid(`A digest goes to at most ${MAX_EMAILS} email addresses.`);
  const cadence = s.cadence ?? 'weekly';
  return ok({
    kind: 'digest',
    action: 'subscribe',
    cadence,
    ...(cadence === 'weekly' ? { weekday: s.weekday ?? DEFAULTS.weekday } : {}),
    time: s.time ?? DEFAULTS.time,
    tz: s.tz ?? DEFAULTS.tz,
    emails: s.emails,
  });
}

/** Reads one schedule word into `s`; returns a message for the user when it is not one. */
function readWord(s: Schedule, word: string, lower: string): string | null {
  const cadence = CADENCES.get(lower);
  if (cadence) return once(s, 'cadence', cadence, 'Say `weekly` or `daily` once.');
  const weekday = WEEKDAYS.get(lower) ?? WEEKDAYS.get(lower.replace(/s$/, ''));
  if (weekday) return once(s, 'weekday', weekday, 'A weekly digest comes on one day of the week.');
  if (/^\d/.test(word)) {
    const time = parseTime(word);
    return time
      ? once(s, 'time', time, 'Give one time of day.')
      : `${echo(word)} is not a time of day: use HH:MM, e.g. 09:00.`;
  }
  const zoneLike = ZONE_RE.test(word);
  const tz = canonicalZone(word);
  if (zoneLike || tz) {
    return tz
      ? once(s, 'tz', tz, 'Give one time zone.')
      : `${echo(word)} is not a time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC.`;
  }
  if (/^[a-z]{2,10}$/i.test(word) && (s.cadence === 'weekly' || s.cadence === undefined) && !s.weekday)
    return `${echo(word)} is not a day of the week: use mon, tue, wed, thu, fri, sat or sun.`;
  return `${echo(word)} is not part of a digest schedule. Example: \`digest subscribe weekly mon 09:00 Europe/Berlin to finops@example.com\`.`;
}

function once<K extends 'cadence' | 'weekday' | 'time' | 'tz'>(
  s: Schedule,
  key: K,
  value: NonNullable<Schedule[K]>,
  twice: string,
): string | null {
  if (s[key] !== undefined && s[key] !== value) return twice;
  s[key] = value;
  return null;
}

function addEmail(s: Schedule, word: string): string | null {
  const address = word.replace(/^mailto:/i, '');
  if (!EMAIL_RE.test(address)) return `${echo(word)} is not an email address.`;
  if (!s.emails.some((e) => e.toLowerCase() === address.toLowerCase())) s.emails.push(address);
  return null;
}

/** `9:00`, `09:00`, `17:30`, `9am`, `5:30pm` → `HH:MM` (24 h); null when it is no time of day. */
export function parseTime(word: string): string | null {
  const m = TIME_RE.exec(word);
  if (!m) return null;
  const [, h = '', min, meridiem] = m;
  if (min === undefined && meridiem === undefined) return null;
  let hour = Number(h);
  const minute = Number(min ?? '0');
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || (min !== undefined && min.length !== 2)) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * The IANA name of a time zone, or null when there is none by that name. A name typed with capitals is kept as typed
 * (ICU would turn `Asia/Kolkata` into its old alias `Asia/Calcutta`); a lower-case one gets the usual capitals.
 */
export function canonicalZone(name: string): string | null {
  if (/^z$/i.test(name)) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return null;
  }
  if (name !== name.toLowerCase()) return name;
  const known = Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === name);
  if (known) return known;
  if (!name.includes('/')) return name.toUpperCase();
  return name.replace(/(^|[/_])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
