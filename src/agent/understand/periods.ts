import * as chrono from 'chrono-node';
import type { Day } from '../../shared/day.js';
import { addDays, addMonths, endOfMonth, startOfMonth } from '../../shared/day.js';
import { use, type Word } from './words.js';

/** A period found in a question: its days, and how it reads. */
export interface FoundPeriod {
  from: Day;
  to: Day;
  label: string;
  /** The month it names, for `cost in 2026-05`-like answers. */
  month?: string;
  /** Where it starts in the question (to order two periods as said). */
  at: number;
}

const MONTHS = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sep', 'sept'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
] as const;
const MONTH_OF = new Map<string, number>(MONTHS.flatMap((names, i) => names.map((n) => [n, i + 1] as const)));
const NUMBERS = new Map(
  Object.entries({
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    fourteen: 14,
    fifteen: 15,
    twenty: 20,
    thirty: 30,
    sixty: 60,
    ninety: 90,
  }),
);
const ORDINAL_QUARTER = new Map(Object.entries({ first: 1, second: 2, third: 3, fourth: 4 }));

/** A count written as digits or a word ("14", "fourteen"). */
export function countOf(w: string | undefined): number | null {
  if (!w) return null;
  if (/^\d{1,4}$/.test(w)) return Number(w);
  return NUMBERS.get(w) ?? null;
}

const iso = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
const monthPeriod = (month: string, label: string, at: number): FoundPeriod => ({
  from: `${month}-01`,
  to: endOfMonth(`${month}-01`),
  label,
  month,
  at,
});
const quarterPeriod = (y: number, q: number, today: Day, at: number): FoundPeriod => {
  const from = `${iso(y, q * 3 - 2)}-01`;
  const end = endOfMonth(`${iso(y, q * 3)}-01`);
  return { from, to: end < today ? end : today, label: `Q${q} ${y}`, at };
};
const mondayOf = (day: Day) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));

/**
 * Finds every period a question names, in order, and marks its words used (docs/architecture.md#questions-as-people-ask-them):
 * named months and years ("in October" is the last October that has begun, "October 2025"), quarters ("Q1",
 * "last quarter", "fourth quarter 2025", "this qtr"), "last year", "this year", "year to date", "the past 14 days",
 * "the weekend", "since Monday", "yesterday", "today", weeks and months before now, and dates and ranges of days
 * (chrono-node: "between March 1 and March 15"). Days are UTC; weeks start on Monday.
 */
export function findPeriods(words: Word[], today: Day, fiscalYearStart = 1): FoundPeriod[] {
  // Dates with a day ("March 1 to 15", "between March 1 and March 15") first, before the month rule reads "March".
  const found: FoundPeriod[] = [...chronoPeriods(words, today), ...fiscalPeriods(words, today, fiscalYearStart)];
  const yesterday = addDays(today, -1);
  const thisYear = Number(today.slice(0, 4));
  const thisMonth = Number(today.slice(5, 7));
  const t = (i: number) => words[i]?.text;
  const take = (i: number, n: number, p: Omit<FoundPeriod, 'at'>) => {
    use(words, i, i + n);
    found.push({ ...p, at: i });
  };
  for (let i = 0; i < words.length; i++) {
    if (words[i]!.used) continue;
    const w = t(i)!;
    const next = t(i + 1);
    const yearAfter = (j: number) => (/^(19|20)\d\d$/.test(t(j) ?? '') ? Number(t(j)) : null);
    // "last year's q4", "q4 2025", "fourth quarter 2025", "Q1", "last quarter", "this quarter", "quarter to date"
    const q = /^q([1-4])$/.exec(w)?.[1];
    const ordinal =
      ORDINAL_QUARTER.get(w) && (next === 'quarter' || next === 'qtr') ? ORDINAL_QUARTER.get(w) : undefined;
    if (q || ordinal) {
      const n = Number(q ?? ordinal);
      const span = q ? 1 : 2;
      const lastYearBefore = t(i - 2) === 'last' && t(i - 1) === 'year';
      const y =
        yearAfter(i + span) ?? (lastYearBefore ? thisYear - 1 : n * 3 - 2 > thisMonth ? thisYear - 1 : thisYear);
      if (lastYearBefore) use(words, i - 2, i);
      take(i, span + (yearAfter(i + span) ? 1 : 0), quarterPeriod(y, n, today, i));
      continue;
    }
    if ((w === 'last' || w === 'previous') && (next === 'quarter' || next === 'qtr')) {
      const cq = Math.ceil(thisMonth / 3);
      take(i, 2, quarterPeriod(cq === 1 ? thisYear - 1 : thisYear, cq === 1 ? 4 : cq - 1, today, i));
      continue;
    }
    if (
      (w === 'this' && (next === 'quarter' || next === 'qtr')) ||
      (w === 'quarter' && next === 'to' && t(i + 2) === 'date')
    ) {
      take(i, w === 'this' ? 2 : 3, {
        ...quarterPeriod(thisYear, Math.ceil(thisMonth / 3), today, i),
        label: 'this quarter',
      });
      continue;
    }
    // "last year" (not "last year's q4", handled above), "this year", "year to date", "ytd", "in 2025"
    if (w === 'last' && next === 'year' && !/^q[1-4]$/.test(t(i + 2) ?? '')) {
      take(i, 2, { from: `${thisYear - 1}-01-01`, to: `${thisYear - 1}-12-31`, label: `${thisYear - 1}` });
      continue;
    }
    if ((w === 'this' && next === 'year') || (w === 'year' && next === 'to' && t(i + 2) === 'date') || w === 'ytd') {
      take(i, w === 'this' ? 2 : w === 'ytd' ? 1 : 3, { from: `${thisYear}-01-01`, to: today, label: 'year to date' });
      continue;
    }
    // "October", "oct 2025", "in May 2026": the named month of the given year, else the last one that has begun.
    const m = MONTH_OF.get(w);
    if (m && !(w === 'may' && !isMonthContext(words, i))) {
      const y = yearAfter(i + 1) ?? (m > thisMonth ? thisYear - 1 : thisYear);
      const month = iso(y, m);
      const name: string = MONTHS[m - 1]![0];
      const label = `${name.charAt(0).toUpperCase()}${name.slice(1)} ${y}`;
      const p = monthPeriod(month, label, i);
      take(i, yearAfter(i + 1) ? 2 : 1, month === today.slice(0, 7) ? { ...p, to: today } : p);
      continue;
    }
    if (/^20\d\d$/.test(w) && Number(w) <= thisYear) {
      const y = Number(w);
      take(i, 1, { from: `${y}-01-01`, to: y === thisYear ? today : `${y}-12-31`, label: w });
      continue;
    }
    // "last 30 days", "past fourteen days", "the last thirty days"
    if ((w === 'last' || w === 'past' || w === 'previous') && countOf(next) && /^days?$/.test(t(i + 2) ?? '')) {
      const n = countOf(next)!;
      take(i, 3, { from: addDays(today, -n), to: yesterday, label: `last ${n} days` });
      continue;
    }
    if (w === 'yesterday') {
      take(i, 1, { from: yesterday, to: yesterday, label: 'yesterday' });
      continue;
    }
    if (w === 'today') {
      take(i, 1, { from: today, to: today, label: 'today' });
      continue;
    }
    if (
      (w === 'saturday' || w === 'sat') &&
      ['and', '+', '&'].includes(next ?? '') &&
      ['sunday', 'sun'].includes(t(i + 2) ?? '')
    ) {
      const monday = mondayOf(today);
      take(i, 3, { from: addDays(monday, -2), to: addDays(monday, -1), label: 'the weekend' });
      continue;
    }
    if (w === 'weekend') {
      const monday = mondayOf(today);
      take(i, 1, { from: addDays(monday, -2), to: addDays(monday, -1), label: 'the weekend' });
      continue;
    }
    if (w === 'since' && next && ['monday', 'mon'].includes(next)) {
      take(i, 2, { from: mondayOf(today), to: today, label: 'since Monday' });
      continue;
    }
    const unit = next === 'wk' || next === 'weeks' ? 'week' : next === 'mth' || next === 'months' ? 'month' : next;
    if ((w === 'this' || w === 'current') && unit === 'week') {
      take(i, 2, { from: mondayOf(today), to: today, label: 'this week' });
      continue;
    }
    if ((w === 'last' || w === 'previous' || w === 'past') && unit === 'week') {
      const from = addDays(mondayOf(today), -7);
      take(i, 2, { from, to: addDays(from, 6), label: 'last week' });
      continue;
    }
    if ((w === 'this' || w === 'current') && unit === 'month') {
      take(i, 2, { from: startOfMonth(today), to: today, label: 'this month', month: today.slice(0, 7) });
      continue;
    }
    if (w === 'month' && next === 'to' && t(i + 2) === 'date') {
      take(i, 3, { from: startOfMonth(today), to: today, label: 'month to date', month: today.slice(0, 7) });
      continue;
    }
    if ((w === 'last' || w === 'previous' || w === 'past') && unit === 'month') {
      const from = addMonths(startOfMonth(today), -1);
      take(i, 2, monthPeriod(from.slice(0, 7), 'last month', i));
      continue;
    }
    const isoRange = /^(\d{4})-(\d{2})$/.exec(w);
    if (isoRange && Number(isoRange[2]) >= 1 && Number(isoRange[2]) <= 12 && Number(isoRange[1]) >= 2000) {
      take(i, 1, monthPeriod(w, w, i));
    }
  }
  return found.sort((a, b) => a.at - b.at);
}

/**
 * Fiscal periods (`TALLY_FISCAL_YEAR_START`): "fiscal Q1", "FQ2", "Q3 FY2026", "FY26 Q1", "this fiscal year",
 * "fiscal year to date", "last fiscal year", "FY2025", "this/last fiscal quarter". A fiscal year is named by the
 * calendar year it ends in; a quarter without a year is the last one that has begun.
 */
function fiscalPeriods(words: Word[], today: Day, start: number): FoundPeriod[] {
  const found: FoundPeriod[] = [];
  const t = (i: number) => words[i]?.text ?? '';
  const fyOf = (day: Day) => {
    const y = Number(day.slice(0, 4));
    return start > 1 && Number(day.slice(5, 7)) >= start ? y + 1 : y;
  };
  const fyStart = (fy: number) => `${iso(start > 1 ? fy - 1 : fy, start)}-01`;
  const quarter = (fy: number, q: number): Omit<FoundPeriod, 'at'> => {
    const from = addMonths(fyStart(fy), 3 * (q - 1));
    const end = addDays(addMonths(from, 3), -1);
    return { from, to: end < today ? end : today, label: `fiscal Q${q} FY${fy}` };
  };
  const year = (fy: number, label: string): Omit<FoundPeriod, 'at'> => {
    const end = addDays(fyStart(fy + 1), -1);
    return { from: fyStart(fy), to: end < today ? end : today, label };
  };
  const fyWord = (w: string) => {
    const m = /^fy'?(\d{2}|\d{4})$/.exec(w);
    return m ? (m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1])) : null;
  };
  const current = fyOf(today);
  const take = (i: number, n: number, p: Omit<FoundPeriod, 'at'>) => {
    if (words.slice(i, i + n).some((w) => w.used)) return;
    use(words, i, i + n);
    found.push({ ...p, at: i });
  };
  for (let i = 0; i < words.length; i++) {
    const w = t(i);
    const q = /^f?q([1-4])$/.exec(w);
    const fiscalBefore = t(i - 1) === 'fiscal';
    // "fiscal q1", "fq1", "q1 fy2026", "fy26 q1", "fiscal q1 2026"
    if (q && (fiscalBefore || w.startsWith('f') || fyWord(t(i + 1)) !== null || fyWord(t(i - 1)) !== null)) {
      const n = Number(q[1]);
      const named =
        fyWord(t(i + 1)) ?? fyWord(t(i - 1)) ?? (fiscalBefore && /^20\d\d$/.test(t(i + 1)) ? Number(t(i + 1)) : null);
      const fy = named ?? (quarter(current, n).from <= today ? current : current - 1);
      const from = fiscalBefore || fyWord(t(i - 1)) !== null ? i - 1 : i;
      const to = named !== null && (fyWord(t(i + 1)) !== null || /^20\d\d$/.test(t(i + 1))) ? i + 2 : i + 1;
      take(from, to - from, quarter(fy, n));
      continue;
    }
    if (
      w === 'fiscal' &&
      (t(i + 1) === 'quarter' || t(i + 1) === 'qtr') &&
      ['this', 'last', 'previous'].includes(t(i - 1))
    ) {
      const thisQ = Math.floor(((Number(today.slice(5, 7)) - start + 12) % 12) / 3) + 1;
      const [fy, n] = t(i - 1) === 'this' ? [current, thisQ] : thisQ === 1 ? [current - 1, 4] : [current, thisQ - 1];
      take(i - 1, 3, quarter(fy, n));
      continue;
    }
    if (w === 'fiscal' && t(i + 1) === 'year') {
      if (t(i + 2) === 'to' && t(i + 3) === 'date') take(i, 4, { ...year(current, 'fiscal year to date'), to: today });
      else if (t(i - 1) === 'this' || t(i - 1) === 'current') take(i - 1, 3, year(current, `FY${current}`));
      else if (t(i - 1) === 'last' || t(i - 1) === 'previous') take(i - 1, 3, year(current - 1, `FY${current - 1}`));
      else if (/^20\d\d$/.test(t(i + 2))) take(i, 3, year(Number(t(i + 2)), `FY${t(i + 2)}`));
      continue;
    }
    if (w === 'fytd') {
      take(i, 1, { ...year(current, 'fiscal year to date'), to: today });
      continue;
    }
    const fy = fyWord(w);
    // "FY26 Q4" is the quarter, read at the next word.
    if (fy !== null && !/^f?q[1-4]$/.test(t(i + 1))) take(i, 1, year(fy, `FY${fy}`));
  }
  return found;
}

/** "may" the month, not "may" the verb ("may we …", "it may be"): the verb comes before a subject or a verb. */
function isMonthContext(words: Word[], i: number): boolean {
  const after = words[i + 1]?.text ?? '';
  return !['we', 'i', 'you', 'they', 'it', 'be', 'have', 'not', 'need', 'want', 'also'].includes(after);
}

const WRITTEN_DATE = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}/i;

/** Dates and ranges of days the rules above left ("between March 1 and March 15", "2026-05-01 to 2026-05-31"). */
function chronoPeriods(words: Word[], today: Day): FoundPeriod[] {
  const free = words.map((w) => (w.used ? '' : w.text));
  const text = free.join(' ');
  if (!/\d/.test(text)) return [];
  const results = chrono.en.parse(
    text,
    { instant: new Date(`${today}T12:00:00Z`), timezone: 0 },
    { forwardDate: false },
  );
  const dayOf = (d: Date) => d.toISOString().slice(0, 10);
  const found: FoundPeriod[] = [];
  for (let k = 0; k < results.length; k++) {
    const r = results[k]!;
    // Only dates written as dates: relative phrases ("last 30 days", "last week") are Tally's own rules above.
    if (!r.start.isCertain('day') || !WRITTEN_DATE.test(r.text)) continue;
    const at = text.slice(0, r.index).split(' ').length - 1;
    const from = dayOf(r.start.date());
    let to = r.end ? dayOf(r.end.date()) : from;
    // "between March 1 and March 15": two dates joined by and/to/until make one range.
    const after = results[k + 1];
    const between = after && /^\s*(and|to|until|through|-)\s*$/.test(text.slice(r.index + r.text.length, after.index));
    if (between) {
      to = dayOf(after.start.date());
      k++;
    }
    const span = text.slice(r.index, between ? after.index + after.text.length : r.index + r.text.length);
    const n = span.split(' ').length;
    use(words, at, Math.min(words.length, at + n));
    found.push({ from, to: to < from ? from : to, label: from === to ? from : `${from} to ${to}`, at });
  }
  return found;
}
