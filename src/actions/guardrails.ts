import type { Tag } from './action.types.js';

/**
 * The executor's guardrails: a protected tag keeps a resource untouched, and actions run only inside a
 * change window. Pure checks over the policy's {@link Guardrails}; the executor turns a failure into its reason.
 */

export interface ChangeWindow {
  /** `mon`…`sun` */
  days: string[];
  /** `HH:MM`, local time in `tz`. */
  from: string;
  /** `HH:MM`, exclusive; `24:00` for the end of the day. */
  to: string;
  /** IANA time zone. @defaultValue 'UTC' */
  tz: string;
}

export interface Guardrails {
  /** A resource carrying one of these tags is never touched: `{ key }` matches any value. */
  protectedTags: { key: string; value?: string }[];
  /** When set, actions run only inside one of these windows. Empty: any time. */
  changeWindows: ChangeWindow[];
  /** Most actions executed per cloud account per UTC day. @defaultValue 20 */
  dailyLimitPerAccount: number;
  /** Most actions one batch approval holds (docs/architecture.md#batches). @defaultValue 25 */
  maxBatch?: number;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * The protected-tag rule a resource's tags match, as written in the policy (`tally:protected`, `env=prod`), or
 * null. A rule without a value matches the key with any value. Keys and values compare exactly (AWS tags are
 * case-sensitive).
 */
export function protectedBy(guardrails: Guardrails, tags: readonly Tag[]): string | null {
  for (const rule of guardrails.protectedTags) {
    const hit = tags.some((t) => t.key === rule.key && (rule.value === undefined || t.value === rule.value));
    if (hit) return rule.value === undefined ? rule.key : `${rule.key}=${rule.value}`;
  }
  return null;
}

/** Whether `at` falls inside one of the change windows (`from` inclusive, `to` exclusive); true when none are set. */
export function insideChangeWindow(guardrails: Guardrails, at: Date): boolean {
  if (guardrails.changeWindows.length === 0) return true;
  return guardrails.changeWindows.some((w) => insideWindow(w, at));
}

/** Where the next change window opens: the instant and the window (its `tz` is how the time is best shown). */
export interface WindowOpening {
  at: Date;
  window: ChangeWindow;
}

/** Days looked ahead for a window's next start: every weekday comes once, plus a day for time zones ahead of `after`. */
const LOOKAHEAD_DAYS = 8;

/**
 * The start of the first change window that opens after `after` (an approval outside every window is scheduled
 * for it), or null when none are set or none ever opens (no days). A window whose `from` falls into a daylight-saving
 * gap opens at the first minute of it that exists.
 */
export function nextWindowOpening(guardrails: Guardrails, after: Date): WindowOpening | null {
  let best: WindowOpening | null = null;
  for (const window of guardrails.changeWindows) {
    const at = nextStartOf(window, after);
    if (at && (!best || at < best.at)) best = { at, window };
  }
  return best;
}

/** The next instant after `after` at which `window` opens, by its own calendar days in its time zone. */
function nextStartOf(window: ChangeWindow, after: Date): Date | null {
  const today = localDate(after, window.tz);
  for (let k = 0; k < LOOKAHEAD_DAYS; k++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
    if (!window.days.includes(WEEKDAYS[(day.getUTCDay() + 6) % 7] ?? '')) continue;
    const start = wallClockInstant(day, minutes(window.from), window.tz);
    const at = localTime(start, window.tz).minutes === minutes(window.from) ? start : firstMinuteInside(window, start);
    if (at && at > after) return at;
  }
  return null;
}

/**
 * `from` fell into a daylight-saving gap (the clocks jumped over it) and `near` is within an hour or two of where it
 * would be: the first minute around it that is inside the window.
 */
function firstMinuteInside(window: ChangeWindow, near: Date): Date | null {
  const span = minutes(window.to) - minutes(window.from) + 240;
  for (let m = 0; m < span; m++) {
    const at = new Date(near.getTime() + (m - 120) * 60_000);
    if (insideWindow(window, at)) return at;
  }
  return null;
}

function insideWindow(w: ChangeWindow, at: Date): boolean {
  const local = localTime(at, w.tz);
  return w.days.includes(local.day) && minutes(w.from) <= local.minutes && local.minutes < minutes(w.to);
}

/**
 * The change windows for a message, e.g. `Mon–Fri 08:00–18:00 Europe/Berlin; Sat 10:00–12:00 UTC`, or
 * `any time` when none are set.
 */
export function describeWindows(guardrails: Guardrails): string {
  if (guardrails.changeWindows.length === 0) return 'any time';
  return guardrails.changeWindows.map((w) => `${describeDays(w)} ${w.from}–${w.to} ${w.tz}`).join('; ');
}

/** Runs of three days or more are shown as a range (`Mon–Fri`); every day is `every day`. */
function describeDays(w: ChangeWindow): string {
  const idx = [...new Set(w.days.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number])))]
    .filter((i) => i >= 0)
    .sort((a, b) => a - b);
  if (idx.length === WEEKDAYS.length) return 'every day';
  const name = (i: number) => {
    const d = WEEKDAYS[i] ?? '';
    return d.charAt(0).toUpperCase() + d.slice(1);
  };
  const parts: string[] = [];
  for (let start = 0; start < idx.length; ) {
    let end = start;
    while (end + 1 < idx.length && idx[end + 1] === (idx[end] ?? 0) + 1) end++;
    const [a, b] = [idx[start] ?? 0, idx[end] ?? 0];
    if (end - start >= 2) parts.push(`${name(a)}–${name(b)}`);
    else for (let i = start; i <= end; i++) parts.push(name(idx[i] ?? 0));
    start = end + 1;
  }
  return parts.join(', ');
}

function minutes(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Weekday (`mon`…`sun`) and minutes since local midnight of an instant in an IANA time zone. */
function localTime(at: Date, tz: string): { day: string; minutes: number } {
  let f = formatters.get(tz);
  if (!f) {
    // hourCycle h23: midnight is 00, never 24 (hour12: false gives "24" in some ICU versions).
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    day: String(parts.weekday).slice(0, 3).toLowerCase(),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in an IANA time zone. */
function localDate(at: Date, tz: string): { year: number; month: number; day: number } {
  const p = wallClock(at, tz);
  return { year: p.year, month: p.month, day: p.day };
}

/** An instant's wall clock in `tz`, to the second. */
function wallClock(at: Date, tz: string) {
  let f = dateFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateFormatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far `tz` is ahead of UTC at `t` (ms). */
function offsetAt(t: number, tz: string): number {
  const w = wallClock(new Date(t), tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
}

/** The instant at which the wall clock in `tz` shows `minutesOfDay` on the calendar day `day` (a UTC midnight). */
function wallClockInstant(day: Date, minutesOfDay: number, tz: string): Date {
  const wall = day.getTime() + minutesOfDay * 60_000;
  // The offset at the guess, then at the instant it gives: right on both sides of a daylight-saving change.
  const first = wall - offsetAt(wall, tz);
  return new Date(wall - offsetAt(first, tz));
}
