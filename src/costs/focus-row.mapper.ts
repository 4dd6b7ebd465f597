import type { ChargeCategory, CostRecord, Tag } from './cost-record.types.js';
import type { FocusField } from './focus-columns.js';
import { FOCUS_COLUMNS, REQUIRED_FIELDS } from './focus-columns.js';

/** Why a row was refused: the FOCUS column and a short reason. */
export interface RowProblem {
  column: string;
  reason: string;
}

export type RowResult = { ok: true; record: CostRecord } | { ok: false; problem: RowProblem };

export type FocusRowMapper = (values: string[]) => RowResult;

/** Column names a header lacks, or a mapper from raw values to records. */
export type MapperResult = { ok: true; map: FocusRowMapper } | { ok: false; missing: string[] };

const ZONE_RE = /(Z|[+-]\d{2}:?\d{2})$/i;
const CATEGORIES: Record<string, ChargeCategory> = {
  Usage: 'Usage',
  Purchase: 'Purchase',
  Tax: 'Tax',
  Credit: 'Credit',
  Adjustment: 'Adjustment',
  usage: 'Usage',
  purchase: 'Purchase',
  tax: 'Tax',
  credit: 'Credit',
  adjustment: 'Adjustment',
};

/** Builds a row mapper for a header. Column names match FOCUS 1.0–1.3 aliases; unknown columns are ignored. */
export function createFocusRowMapper(header: string[]): MapperResult {
  const index = {} as Record<FocusField, number>;
  const trimmed = header.map((h) => h.trim().replace(/^\uFEFF/, ''));
  for (const [field, names] of Object.entries(FOCUS_COLUMNS) as [FocusField, readonly string[]][]) {
    index[field] = names.map((n) => trimmed.indexOf(n)).find((i) => i >= 0) ?? -1;
  }
  const missing = REQUIRED_FIELDS.filter((f) => index[f] < 0).map((f) => FOCUS_COLUMNS[f][0]);
  if (missing.length > 0) return { ok: false, missing };
  const caches: Caches = { tags: new Map(), times: new Map(), strings: new Map(), currencies: new Map() };
  return { ok: true, map: (values) => mapRow(values, index, caches) };
}

/**
 * Exports repeat the same timestamps and tag sets on many rows: parsed values are shared (and never mutated), which
 * saves most of the parsing and allocation of an import.
 */
interface Caches {
  tags: Map<string, Tag[]>;
  times: Map<string, Date | null>;
  strings: Map<string, string>;
  currencies: Map<string, string | null>;
}

/**
 * Returns one shared copy of a dimension value. Parsers hand out slices of their input chunk; keeping one slice per
 * row in a rollup would keep every chunk of the file alive.
 */
function intern(text: string, cache: Map<string, string>): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const copy = Buffer.from(text, 'utf8').toString('utf8');
  if (cache.size < CACHE_LIMIT) cache.set(copy, copy);
  return copy;
}

const CACHE_LIMIT = 50_000;

function cachedTime(text: string, cache: Map<string, Date | null>): Date | null {
  let d = cache.get(text);
  if (d === undefined) {
    d = parseTime(text);
    if (cache.size < CACHE_LIMIT) cache.set(text, d);
  }
  return d;
}

function mapRow(v: string[], ix: Record<FocusField, number>, caches: Caches): RowResult {
  const get = (f: FocusField) => (ix[f] >= 0 ? (v[ix[f]] ?? '') : '');
  const dim = (f: FocusField) => intern(get(f).trim(), caches.strings);
  const start = cachedTime(get('chargePeriodStart'), caches.times);
  if (start === null) return fail('ChargePeriodStart', get('chargePeriodStart'), 'not a date-time');
  const endText = get('chargePeriodEnd');
  const end = endText === '' ? new Date(start.getTime() + 86_400_000) : cachedTime(endText, caches.times);
  if (end === null) return fail('ChargePeriodEnd', endText, 'not a date-time');
  const categoryText = get('chargeCategory');
  const category = CATEGORIES[categoryText] ?? CATEGORIES[categoryText.trim().toLowerCase()];
  if (!category)
    return fail('ChargeCategory', get('chargeCategory'), 'not one of Usage, Purchase, Tax, Credit, Adjustment');
  const billed = parseAmount(get('billedCost'));
  if (billed === null) return fail('BilledCost', get('billedCost'), 'not a number');
  const effective = parseAmount(get('effectiveCost'));
  if (effective === null) return fail('EffectiveCost', get('effectiveCost'), 'not a number');
  const listText = get('listCost');
  const list = listText === '' ? 0 : parseAmount(listText);
  if (list === null) return fail('ListCost', listText, 'not a number');
  const currency = currencyCode(get('currency'), caches.currencies);
  if (currency === null) return fail('BillingCurrency', get('currency'), 'not a 3-letter currency code');
  const tags = parseTags(get('tags'), caches.tags);
  if (tags === null) return fail('Tags', get('tags'), 'not a JSON object');
  const provider = dim('provider');
  if (provider === '') return fail('ProviderName', '', 'empty');
  const subAccountId = dim('subAccountId');
  return {
    ok: true,
    record: {
      provider,
      billingAccountId: dim('billingAccountId'),
      subAccountId,
      subAccountName: dim('subAccountName') || subAccountId,
      serviceName: dim('serviceName') || '(none)',
      serviceCategory: dim('serviceCategory') || 'Other',
      region: dim('region') || 'global',
      resourceId: get('resourceId').trim(),
      chargePeriodStart: start,
      chargePeriodEnd: end,
      chargeCategory: category,
      billedCost: billed,
      effectiveCost: effective,
      listCost: list,
      currency,
      tags,
    },
  };
}

function fail(column: string, value: string, reason: string): RowResult {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return { ok: false, problem: { column, reason: value === '' ? 'empty' : `${reason} ("${shown}")` } };
}

/** A decimal amount; `Number()` does the parsing, and only what it would read as hex, octal or binary is refused. */
function parseAmount(text: string): number | null {
  if (text === '') return null;
  const n = Number(text);
  if (!Number.isFinite(n) || (n === 0 && text.trim() === '')) return null;
  if (text.length > 2 && /[xob]/i.test(text)) return null;
  return n;
}

/** An ISO 4217-style code (`usd` → `USD`); checked once per distinct value. */
function currencyCode(text: string, cache: Map<string, string | null>): string | null {
  let code = cache.get(text);
  if (code === undefined) {
    const upper = text.trim().toUpperCase();
    code = /^[A-Z]{3}$/.test(upper) ? upper : null;
    if (cache.size < CACHE_LIMIT) cache.set(text, code);
  }
  return code;
}

/** ISO 8601 date-times; a value without a zone is UTC (FOCUS requires UTC). */
function parseTime(text: string): Date | null {
  let t = text.trim();
  if (t === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(t)) {
    t = t.replace(' ', 'T');
    if (!ZONE_RE.test(t)) t += 'Z';
  } else return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function parseTags(text: string, cache: Map<string, Tag[]>): Tag[] | null {
  if (text === '' || text === '{}' || text === 'null') return [];
  const hit = cache.get(text);
  if (hit) return hit;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const tags = Object.entries(parsed as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (cache.size < CACHE_LIMIT) cache.set(text, tags);
  return tags;
}
