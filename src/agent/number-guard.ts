/**
 * Checks that every amount and percentage in a model's text was produced by a tool in the same turn (issue 4: no
 * figure reaches a user that no tool produced). Amounts are numbers with two decimals or next to a currency code;
 * percentages are numbers followed by `%`. Dates, counts and other integers are not figures.
 */
export interface NumberCheck {
  ok: boolean;
  /** The figures in the text that no tool result contains (after rounding to the text's precision). */
  unknown: string[];
}

const FIGURE = /([−-]?\+?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[−-]?\+?\d+(?:\.\d+)?)(\s?%|\s?(?:[A-Z]{3})\b)?/g;
const DATE = /\b\d{4}-\d{2}-\d{2}\b/g;

export function checkNumbers(text: string, toolResults: unknown[]): NumberCheck {
  const known = collectNumbers(toolResults);
  const unknown: string[] = [];
  for (const m of text.replace(DATE, ' ').matchAll(FIGURE)) {
    const raw = m[1] ?? '';
    const suffix = (m[2] ?? '').trim();
    const decimals = raw.includes('.') ? (raw.split('.')[1]?.length ?? 0) : 0;
    const isPercent = suffix === '%';
    if (!isPercent && suffix === '' && decimals !== 2) continue;
    const value = Number(raw.replace(/,/g, '').replace('−', '-').replace('+', ''));
    if (!matches(value, decimals, isPercent, known)) unknown.push(m[0].trim());
  }
  return { ok: unknown.length === 0, unknown };
}

function matches(value: number, decimals: number, percent: boolean, known: number[]): boolean {
  const scale = 10 ** decimals;
  const round = (x: number) => Math.round(Math.abs(x) * scale) / scale;
  const target = round(value);
  // A percentage may come from a ratio (0.123 → 12.3 %) or be a percentage already.
  return known.some((k) => round(k) === target || (percent && round(k * 100) === target));
}

function collectNumbers(values: unknown[]): number[] {
  const out: number[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  values.forEach(visit);
  return out;
}
