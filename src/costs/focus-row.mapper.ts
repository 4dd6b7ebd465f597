import type { ChargeCategory, CostRecord, Tag } from './cost-record.types.js';
import type { FocusField } from './focus-columns.js';
import { FOCUS_COLUMNS, OTHER_FOCUS_DATASETS, REQUIRED_FIELDS } from './focus-columns.js';
import { amountInRange, isNullToken, parseFocusAmount, parseFocusTags, parseFocusTime } from './focus-values.js';

/** Why a row was refused: the FOCUS column and a short reason. */
interface RowProblem {
  column: string;
  reason: string;
}

type RowResult = { ok: true; record: CostRecord } | { ok: false; problem: RowProblem };

type FocusRowMapper = (values: string[]) => RowResult;

/**
 * What a header is: a cost-and-usage file with its row mapper; another FOCUS dataset (skipped); or neither, with
 * the required columns it lacks.
 */
export type MapperResult = { ok: true; map: FocusRowMapper } | { ok: false; dataset: string; missing: string[] };

const CATEGORIES: ReadonlyMap<string, ChargeCategory> = new Map([
  ['usage', 'Usage'],
  ['purchase', 'Purchase'],
  ['tax', 'Tax'],
  ['credit', 'Credit'],
  ['adjustment', 'Adjustment'],
]);

/** Builds a row mapper for a header (FOCUS 1.0–1.4 names, docs/cost-data.md); unknown columns are ignored. */
export function createFocusRowMapper(header: string[]): MapperResult {
  const trimmed = header.map((h) => h.trim().replace(/^\uFEFF/, ''));
  const index = {} as Record<FocusField, number[]>;
  for (const [field, names] of Object.entries(FOCUS_COLUMNS) as [FocusField, readonly string[]][]) {
    index[field] = names.map((n) => trimmed.indexOf(n)).filter((i) => i >= 0);
  }
  const missing = REQUIRED_FIELDS.filter((f) => index[f].length === 0).map((f) => FOCUS_COLUMNS[f][0]);
  if (missing.length > 0) {
    const other = OTHER_FOCUS_DATASETS.find((d) => d.columns.every((c) => trimmed.includes(c)));
    return { ok: false, dataset: other?.name ?? '', missing };
  }
  const caches: Caches = { tags: new Map(), times: new Map(), strings: new Map(), currencies: new Map() };
  return { ok: true, map: (values) => mapRow(values, trimmed, index, caches) };
}

/**
 * Exports repeat the same timestamps, tag sets and names on many rows: parsed values are shared (and never
 * mutated), which saves most of the parsing and allocation of an import.
 */
interface Caches {
  tags: Map<string, Tag[] | null>;
  times: Map<string, Date | null>;
  strings: Map<string, string>;
  currencies: Map<string, string | null>;
}

const CACHE_LIMIT = 50_000;

/** One shared copy of a value (parsers hand out slices of their input; keeping one per row keeps the input alive). */
function intern(text: string, cache: Map<string, string>): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const copy = Buffer.from(text, 'utf8').toString('utf8');
  if (cache.size < CACHE_LIMIT) cache.set(copy, copy);
  return copy;
}

function cached<T>(text: string, cache: Map<string, T>, parse: (t: string) => T): T {
  let v = cache.get(text);
  if (v === undefined) {
    v = parse(text);
    if (cache.size < CACHE_LIMIT) cache.set(text, v);
  }
  return v;
}

function mapRow(v: string[], header: string[], ix: Record<FocusField, number[]>, caches: Caches): RowResult {
  if (v.length !== header.length) {
    const column = v.length < header.length ? header[v.length] : '(end of row)';
    return {
      ok: false,
      problem: {
        column: column ?? '(end of row)',
        reason: `the row has ${v.length} fields, the header ${header.length}`,
      },
    };
  }
  /** The first non-null value among a field's columns, and the column it came from. */
  const pick = (f: FocusField): [string, string] => {
    const cols = ix[f];
    for (const i of cols) {
      const value = v[i] ?? '';
      if (!isNullToken(value)) return [value, header[i] ?? ''];
    }
    return ['', header[cols[0] ?? -1] ?? FOCUS_COLUMNS[f][0]];
  };
  const get = (f: FocusField) => pick(f)[0];
  const dim = (f: FocusField) => intern(get(f).trim(), caches.strings);
  const opt = (f: FocusField) => {
    const s = dim(f);
    return s === '' ? undefined : s;
  };

  const [startText, startCol] = pick('chargePeriodStart');
  if (startText === '') return fail(startCol, '', 'empty');
  const start = cached(startText, caches.times, parseFocusTime);
  if (start === null) return fail(startCol, startText, 'not a date-time');
  const [endText, endCol] = pick('chargePeriodEnd');
  const end = endText === '' ? new Date(start.getTime() + 86_400_000) : cached(endText, caches.times, parseFocusTime);
  if (end === null) return fail(endCol, endText, 'not a date-time');
  const [categoryText, categoryCol] = pick('chargeCategory');
  const category = CATEGORIES.get(categoryText.trim().toLowerCase());
  if (!category) return fail(categoryCol, categoryText, 'not one of Usage, Purchase, Tax, Credit, Adjustment');
  const billed = amount(pick('billedCost'), true);
  if (isFailure(billed)) return billed;
  const effective = amount(pick('effectiveCost'), true);
  if (isFailure(effective)) return effective;
  // ListCost and ContractedCost are null for some rows of real exports (credits, taxes): they count as 0.
  const list = amount(pick('listCost'), false);
  if (isFailure(list)) return list;
  const contracted = amount(pick('contractedCost'), false);
  if (isFailure(contracted)) return contracted;
  const quantity = amount(pick('pricingQuantity'), false);
  if (isFailure(quantity)) return quantity;
  const [currencyText, currencyCol] = pick('currency');
  const currency = cached(currencyText, caches.currencies, currencyCode);
  if (currency === null) return fail(currencyCol, currencyText, 'not a 3-letter currency code');
  const [tagText, tagCol] = pick('tags');
  const tags = cached(tagText, caches.tags, parseFocusTags);
  if (tags === null) return fail(tagCol, tagText, 'not a JSON object');
  const [providerText, providerCol] = pick('provider');
  if (providerText.trim() === '') return fail(providerCol, '', 'empty');
  const [periodText, periodCol] = pick('billingPeriodStart');
  let billingPeriodStart: string | undefined;
  if (periodText !== '') {
    const d = cached(periodText, caches.times, parseFocusTime);
    if (d === null) return fail(periodCol, periodText, 'not a date-time');
    billingPeriodStart = d.toISOString().slice(0, 10);
  }
  const provider = intern(providerText.trim(), caches.strings);
  const subAccountId = dim('subAccountId');
  const record: CostRecord = {
    provider,
    billingAccountId: dim('billingAccountId'),
    subAccountId,
    subAccountName: dim('subAccountName') || subAccountId,
    serviceName: dim('serviceName') || '(none)',
    serviceCategory: dim('serviceCategory') || 'Other',
    region: dim('region') || 'global',
    resourceId: dim('resourceId'),
    chargePeriodStart: start,
    chargePeriodEnd: end,
    chargeCategory: category,
    billedCost: billed,
    effectiveCost: effective,
    listCost: list ?? '0',
    currency,
    tags,
  };
  const details: [keyof CostRecord, string | undefined][] = [
    ['serviceProvider', opt('serviceProvider')],
    ['hostProvider', opt('hostProvider')],
    ['billingAccountName', opt('billingAccountName')],
    ['serviceSubcategory', opt('serviceSubcategory')],
    ['chargeClass', opt('chargeClass')],
    ['resourceName', opt('resourceName')],
    ['resourceType', opt('resourceType')],
    ['skuId', opt('skuId')],
    ['pricingUnit', opt('pricingUnit')],
    ['commitmentDiscountId', opt('commitmentDiscountId')],
    ['commitmentDiscountType', opt('commitmentDiscountType')],
    ['invoiceId', opt('invoiceId')],
    ['billingPeriodStart', billingPeriodStart],
    ['contractedCost', contracted ?? undefined],
    ['pricingQuantity', quantity ?? undefined],
  ];
  const out = record as unknown as Record<string, unknown>;
  for (const [key, value] of details) if (value !== undefined) out[key] = value;
  return { ok: true, record };
}

/** An amount's exact text; undefined-able when the column may be null; a failure result otherwise. */
function amount([text, column]: [string, string], required: true): string | RowResult;
function amount([text, column]: [string, string], required: false): string | null | RowResult;
function amount([text, column]: [string, string], required: boolean): string | null | RowResult {
  if (text === '') return required ? fail(column, '', 'empty') : null;
  const value = parseFocusAmount(text);
  if (value === null) return fail(column, text, 'not a number');
  return amountInRange(value) ? value : fail(column, text, 'out of range');
}

function fail(column: string, value: string, reason: string): RowResult & { ok: false } {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return { ok: false, problem: { column, reason: value === '' ? reason : `${reason} ("${shown}")` } };
}

const isFailure = (x: unknown): x is RowResult => typeof x === 'object' && x !== null;

/** An ISO 4217-style code (`usd` → `USD`). */
function currencyCode(text: string): string | null {
  const upper = text.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(upper) ? upper : null;
}
