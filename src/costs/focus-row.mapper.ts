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

const AMOUNT_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ZONE_RE = /(Z|[+-]\d{2}:?\d{2})$/i;
const CATEGORIES: Record<string, ChargeCategory> = {
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
  const tagCache = new Map<string, Tag[]>();
  return { ok: true, map: (values) => mapRow(values, index, tagCache) };
}

function mapRow(v: string[], ix: Record<FocusField, number>, tagCache: Map<string, Tag[]>): RowResult {
  const get = (f: FocusField) => (ix[f] >= 0 ? (v[ix[f]] ?? '') : '');
  const start = parseTime(get('chargePeriodStart'));
  if (start === null) return fail('ChargePeriodStart', get('chargePeriodStart'), 'not a date-time');
  const endText = get('chargePeriodEnd');
  const end = endText === '' ? new Date(start.getTime() + 86_400_000) : parseTime(endText);
  if (end === null) return fail('ChargePeriodEnd', endText, 'not a date-time');
  const category = CATEGORIES[get('chargeCategory').trim().toLowerCase()];
  if (!category)
    return fail('ChargeCategory', get('chargeCategory'), 'not one of Usage, Purchase, Tax, Credit, Adjustment');
  const billed = parseAmount(get('billedCost'));
  if (billed === null) return fail('BilledCost', get('billedCost'), 'not a number');
  const effective = parseAmount(get('effectiveCost'));
  if (effective === null) return fail('EffectiveCost', get('effectiveCost'), 'not a number');
  const listText = get('listCost');
  const list = listText === '' ? 0 : parseAmount(listText);
  if (list === null) return fail('ListCost', listText, 'not a number');
  const currency = get('currency').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) return fail('BillingCurrency', get('currency'), 'not a 3-letter currency code');
  const tags = parseTags(get('tags'), tagCache);
  if (tags === null) return fail('Tags', get('tags'), 'not a JSON object');
  const provider = get('provider').trim();
  if (provider === '') return fail('ProviderName', '', 'empty');
  const subAccountId = get('subAccountId').trim();
  return {
    ok: true,
    record: {
      provider,
      billingAccountId: get('billingAccountId').trim(),
      subAccountId,
      subAccountName: get('subAccountName').trim() || subAccountId,
      serviceName: get('serviceName').trim() || '(none)',
      serviceCategory: get('serviceCategory').trim() || 'Other',
      region: get('region').trim() || 'global',
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

function parseAmount(text: string): number | null {
  const t = text.trim();
  if (!AMOUNT_RE.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
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
  if (cache.size < 50_000) cache.set(text, tags);
  return tags;
}
