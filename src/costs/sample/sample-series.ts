import { type Day, dayToDate, eachDay, startOfMonth } from '../../shared/day.js';
import { TallyError } from '../../shared/errors.js';
import { sumAmounts } from '../../shared/money.js';
import type { CostRecord, Tag } from '../cost-record.types.js';
import { hashString, mixSeed, mulberry32, type Random, randomHex, randomInt, unitNoise } from './prng.js';
import {
  PRICING_CURRENCY,
  SAMPLE_COMMITMENTS,
  SAMPLE_PROVIDERS,
  type SampleCommitment,
  type SampleProvider,
  type SampleService,
  type SampleSize,
  type SampleSubAccount,
  type SampleUsage,
  USD_PER,
} from './sample-catalog.js';

/**
 * The usage series of the sample dataset (one per sub-account × service × region × resource) and how a series' cost
 * on a given day is computed: growth trend × weekday pattern × seeded daily noise × injected anomaly factor. Each
 * series is one resource priced in one SKU: a row's PricingQuantity is its cost over the SKU's unit price, and its
 * ListCost and ContractedCost are exactly that quantity times the list and contracted unit prices, as FOCUS requires.
 */

/** A value of a FOCUS column that CostRecord has no field for. */
export type FocusCell = string | number;

/**
 * The FOCUS 1.2 columns of a sample row that CostRecord has no field for (column name → value; absent is null), so
 * that `tally sample` writes a complete FOCUS file. `fixed` is shared by every row of a usage line or charge series
 * (and serialises to JSON as a short key); `row` holds the values that vary from row to row.
 */
interface SampleFocusColumns {
  fixed: Readonly<Record<string, FocusCell>>;
  row?: Readonly<Record<string, FocusCell>>;
  /** How the provider's export writes a null cell: empty or `NULL`. */
  nullToken: '' | 'NULL';
}

/** A sample cost record: amounts are numbers, and the FOCUS columns CostRecord has no field for come along. */
export interface SampleRecord extends CostRecord {
  billedCost: number;
  effectiveCost: number;
  listCost: number;
  contractedCost: number;
  pricingQuantity?: number;
  focus: SampleFocusColumns;
}

/** The resource a usage line bills for. */
interface SampleResourceInstance {
  id: string;
  name: string;
  type: string;
  /** FOCUS AvailabilityZone, for zonal resources. */
  zone?: string;
}

/** The SKU price a usage line is billed at, in the line's billing currency. */
interface LineSku {
  skuId: string;
  skuPriceId: string;
  meter: string;
  unit: string;
  /** ListUnitPrice and ContractedUnitPrice (negotiated), in the billing currency. */
  list: number;
  contracted: number;
  /** The same in USD, the currency of the price list (FOCUS PricingCurrency). */
  usd: { list: number; contracted: number };
  quantityDecimals: number;
  consumed?: { unit: string; perPricingUnit: number };
  size?: SampleSize;
}

/** One usage series: sub-account × service × region × resource, one row per day (or 24 hourly rows). */
export interface UsageLine {
  provider: SampleProvider;
  account: SampleSubAccount;
  service: SampleService;
  region: string;
  /** Weekday cost per day at the end of the period, this line's share. */
  base: number;
  /** Growth per month as a fraction. */
  growth: number;
  weekendDrop: number;
  hourly: boolean;
  coveredBy: SampleUsage['coveredBy'];
  /** The commitment discount paying for this line's usage, with its id. */
  commitment?: { spec: SampleCommitment; id: string };
  /** Absent for services billed at account level (FOCUS ResourceId null). */
  resource?: SampleResourceInstance;
  /** Kept for the anomaly code and tests: the resource id, or `''`. */
  resourceId: string;
  sku: LineSku;
  tags: Tag[];
  noiseKey: number;
  /** Day index → multiplier of an injected anomaly. */
  factors: Map<number, number>;
  /** FOCUS columns shared by every row of the line. */
  focus: Readonly<Record<string, FocusCell>>;
}

/** The days of the dataset with their UTC midnight and whether they fall on a weekend. */
export interface Calendar {
  days: Day[];
  dayMs: number[];
  weekend: boolean[];
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const DAYS_PER_MONTH = 30.4375;
/** Daily noise amplitude: a triangular ±4 % (standard deviation about 1.6 %). */
const NOISE = 0.04;
/** Default growth of a series without one in the catalog: +0.4 % to +1.6 % a month. */
const DEFAULT_GROWTH = { min: 0.004, spread: 0.012 };
/** Share of a diurnal curve per UTC hour, peaking mid-afternoon; sums to 1. */
const HOUR_WEIGHTS = normalise(Array.from({ length: 24 }, (_, h) => 1 + 0.35 * Math.sin((2 * Math.PI * (h - 9)) / 24)));
/** How a line's cost is spread over its resources. */
const RESOURCE_SHARES: Record<number, number[]> = { 1: [1], 2: [0.6, 0.4], 3: [0.45, 0.35, 0.2] };

/** Builds the calendar of the inclusive range `from`..`to`. */
export function calendarOf(from: Day, to: Day): Calendar {
  const days = eachDay(from, to);
  const dayMs = days.map((d) => dayToDate(d).getTime());
  const weekend = dayMs.map((ms) => {
    const weekday = new Date(ms).getUTCDay();
    return weekday === 0 || weekday === 6;
  });
  return { days, dayMs, weekend };
}

/** Rounds to a number of decimal places, as a provider's export does. */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  return rounded === 0 ? 0 : rounded;
}

/** Decimal places of a number as JavaScript writes it (`0.0000166667` → 10, `1.5e-7` → 8). */
function decimalsOf(value: number): number {
  const text = String(value);
  const e = text.indexOf('e-');
  if (e >= 0) return Number(text.slice(e + 2)) + decimalsOf(Number(text.slice(0, e)));
  return (text.split('.')[1] ?? '').length;
}

/**
 * `a × b` as the exact decimal product when it fits (`0.192 × 24.5 = 4.704`, not `4.704000000000001`), so that a
 * cost is exactly a unit price times a quantity as written; `a * b` otherwise (the same double a reader computes).
 */
export function times(a: number, b: number): number {
  const da = decimalsOf(a);
  const db = decimalsOf(b);
  const product = Math.round(a * 10 ** da) * Math.round(b * 10 ** db);
  if (da + db > 22 || !Number.isSafeInteger(product)) return a * b;
  const exact = product / 10 ** (da + db);
  return exact === 0 ? 0 : exact;
}

/** Team, env and cost-center tags of a sub-account. */
export function ownerTags(account: SampleSubAccount): Tag[] {
  return [
    { key: 'team', value: account.team },
    { key: 'env', value: account.env },
    { key: 'cost-center', value: account.costCenter },
  ];
}

/**
 * A FOCUS column map shared by many rows. Its JSON is just `key`, so that serialising a dataset stays small; the
 * writer reads the columns themselves.
 */
export function sharedColumns(key: string, columns: Record<string, FocusCell | undefined>): Record<string, FocusCell> {
  const out: Record<string, FocusCell> = {};
  for (const [column, value] of Object.entries(columns)) if (value !== undefined && value !== '') out[column] = value;
  Object.defineProperty(out, 'toJSON', { value: () => key, enumerable: false });
  return Object.freeze(out);
}

/** FOCUS columns every row of a provider and sub-account has. */
export function accountColumns(provider: SampleProvider, account: SampleSubAccount | undefined) {
  return {
    BillingAccountType: provider.billingAccountType,
    SubAccountType: account ? provider.subAccountType : undefined,
    PublisherName: provider.name,
    InvoiceIssuerName: provider.name,
  };
}

/**
 * The PricingCurrency* columns of a row billed in another currency than the price list's (USD), given its unit
 * prices in USD; nothing when the currencies are the same (the writer then repeats the billing-currency values).
 */
export function pricingCurrencyColumns(currency: string, usdPrices?: { list: number; contracted: number }) {
  if (currency === PRICING_CURRENCY) return {};
  return {
    PricingCurrency: PRICING_CURRENCY,
    PricingCurrencyListUnitPrice: usdPrices?.list,
    PricingCurrencyContractedUnitPrice: usdPrices?.contracted,
  };
}

/** A price in a billing currency converted to USD, the pricing currency. */
export function toUsd(currency: string, amount: number): number {
  return currency === PRICING_CURRENCY ? amount : roundTo(amount * usdPer(currency), 10);
}

/** The PricingCurrencyEffectiveCost of an amount, when the billing currency is not the pricing currency. */
export function pricingCurrencyCost(currency: string, amount: number): Record<string, FocusCell> | undefined {
  if (currency === PRICING_CURRENCY) return undefined;
  return { PricingCurrencyEffectiveCost: toUsd(currency, amount) };
}

function usdPer(currency: string): number {
  const rate = USD_PER[currency];
  if (rate === undefined) throw new TallyError('INTERNAL', `Sample catalog: no USD rate for ${currency}.`);
  return rate;
}

/**
 * A provider's invoice for a billing account, currency and month (FOCUS InvoiceId). Every month has one, the
 * current one as a pre-generated provisional invoice, which FOCUS allows.
 */
export function invoiceIdOf(provider: SampleProvider, currency: string, month: Day): string {
  const rand = mulberry32(hashString(`${provider.billingAccountId}|${currency}|${month.slice(0, 7)}`));
  let digits = String(1 + Math.floor(rand() * 9));
  while (digits.length < provider.invoice.digits) digits += String(Math.floor(rand() * 10));
  return `${provider.invoice.prefix}${digits}`;
}

const SKU_CHARS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A SKU id and SKU price id in the provider's format, the same for the same provider, service, variant and region. */
export function skuIdsOf(provider: SampleProvider, key: string): { skuId: string; skuPriceId: string } {
  const rand = mulberry32(hashString(`${provider.name}|${key}`));
  const chars = (n: number, alphabet = SKU_CHARS) =>
    Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  if (provider.name === 'AWS') {
    const skuId = chars(16);
    // The on-demand offer term and rate code of AWS price list SKUs.
    return { skuId, skuPriceId: `${skuId}.JRTCKXETXF.6YS6EN2CT7` };
  }
  if (provider.name === 'Microsoft') {
    const skuId = `${chars(12)}/${chars(4)}`;
    return { skuId, skuPriceId: uuidOf(rand) };
  }
  const skuId = `${chars(4, '0123456789ABCDEF')}-${chars(4, '0123456789ABCDEF')}-${chars(4, '0123456789ABCDEF')}`;
  return { skuId, skuPriceId: skuId };
}

/** Expands the catalog into usage lines, in catalog order. Resource ids and jitter are drawn from `seed`. */
export function buildLines(seed: number): UsageLine[] {
  const commitments = commitmentIds(seed);
  const lines: UsageLine[] = [];
  for (const provider of SAMPLE_PROVIDERS) {
    for (const account of provider.subAccounts) {
      for (const [serviceName, usage] of Object.entries(account.usage)) {
        const service = provider.services.find((s) => s.name === serviceName);
        if (!service) throw new TallyError('INTERNAL', `Sample catalog: unknown service "${serviceName}".`);
        const spec = typeof usage === 'number' ? { base: usage } : usage;
        const regions = service.region ? [service.region] : account.regions;
        const regionShares = regions.length === 2 ? [0.65, 0.35] : [1];
        const shares = RESOURCE_SHARES[spec.resources ?? 1];
        if (!shares) throw new TallyError('INTERNAL', `Sample catalog: ${spec.resources} resources per region.`);
        const commitment = spec.coveredBy ? commitments[spec.coveredBy] : undefined;
        let n = 0;
        regions.forEach((region, r) => {
          shares.forEach((share, k) => {
            const base = spec.base * (regionShares[r] ?? 1) * share;
            const key = `${account.id}|${service.name}|${region}${shares.length > 1 ? `|${k}` : ''}`;
            lines.push(buildLine({ seed, provider, account, service, spec, region, base, key, n: ++n, commitment }));
          });
        });
      }
    }
  }
  return lines;
}

/** The ids of the sample's commitment discounts (a Savings Plan ARN, an Azure reservation). */
function commitmentIds(seed: number) {
  const rand = mulberry32(mixSeed(seed, hashString('commitments')));
  const { savingsPlan, reservation } = SAMPLE_COMMITMENTS;
  return {
    'savings-plan': {
      spec: savingsPlan,
      id: `arn:aws:savingsplans::${savingsPlan.subAccountId}:savingsplan/${uuidOf(rand)}`,
    },
    reservation: {
      spec: reservation,
      id: `/providers/Microsoft.Capacity/reservationOrders/${uuidOf(rand)}/reservations/${uuidOf(rand)}`,
    },
  } satisfies Record<NonNullable<SampleUsage['coveredBy']>, UsageLine['commitment']>;
}

interface LineSpec {
  seed: number;
  provider: SampleProvider;
  account: SampleSubAccount;
  service: SampleService;
  spec: SampleUsage;
  region: string;
  base: number;
  /** Identifies the line: its noise and random draws derive from it. */
  key: string;
  /** 1, 2, … per sub-account and service: the `{n}` of resource names. */
  n: number;
  commitment: UsageLine['commitment'];
}

function buildLine(line: LineSpec): UsageLine {
  const { seed, provider, account, service, spec, region, base, commitment } = line;
  const noiseKey = hashString(line.key);
  const rand = mulberry32(mixSeed(seed, noiseKey));
  const jitter = (rand() - 0.5) * 0.04;
  const growth = spec.growth ?? DEFAULT_GROWTH.min + rand() * DEFAULT_GROWTH.spread;
  const resource = resourceOf(line, rand);
  const sku = lineSku(line);
  const tags = [...ownerTags(account), ...(spec.tags ?? [])];
  if (resource) tags.push({ key: provider.nameTag, value: resource.name });
  return {
    provider,
    account,
    service,
    region,
    base,
    growth,
    weekendDrop: service.weekendDrop > 0 ? Math.max(0, service.weekendDrop + jitter) : 0,
    hourly: spec.hourly ?? false,
    coveredBy: spec.coveredBy,
    ...(commitment ? { commitment } : {}),
    ...(resource ? { resource } : {}),
    resourceId: resource?.id ?? '',
    sku,
    // Frozen because every row of the line shares these Tag objects (each row gets its own array).
    tags: tags.map((t) => Object.freeze({ ...t })),
    noiseKey,
    factors: new Map(),
    focus: lineColumns(line.key, provider, account, service, region, sku, resource, commitment),
  };
}

/** The line's resource: its name (unique, also its name tag), id, type and zone. */
function resourceOf(line: LineSpec, rand: Random): SampleResourceInstance | undefined {
  const { provider, account, service, region, n } = line;
  const spec = service.resource;
  if (!spec) return undefined;
  const zone = spec.zonal ? zoneOf(provider, region, rand) : undefined;
  const values = { account: account.id, name: account.name, region, zone: zone ?? region, n: String(n) };
  const name = fillTemplate(spec.name, values, rand);
  const id = fillTemplate(spec.id, { ...values, resource: name }, rand);
  return { id, name, type: spec.type, ...(zone ? { zone } : {}) };
}

function zoneOf(provider: SampleProvider, region: string, rand: Random): string | undefined {
  const letter = 'abc'[randomInt(rand, 0, 2)] ?? 'a';
  if (provider.name === 'AWS') return `${region}${letter}`;
  if (provider.name === 'Google Cloud') return `${region}-${letter}`;
  return undefined;
}

/** The SKU price of a line: its machine size (the one closest to its hourly list cost) or the service's SKU. */
function lineSku({ provider, account, service, region, base, commitment }: LineSpec): LineSku {
  const discount = commitment ? commitment.spec.discount : provider.discount;
  const rate = usdPer(account.currency);
  const size = service.sizes ? closestSize(service.sizes, base / (1 - discount) / 24, rate) : undefined;
  const usdPrice = size ? size.price : service.sku.price;
  const { skuId, skuPriceId } = skuIdsOf(provider, `${service.name}|${size?.type ?? service.sku.meter}|${region}`);
  const negotiated = (price: number) => roundTo(price * (1 - provider.discount), decimalsOf(price) + 2);
  const list = rate === 1 ? usdPrice : roundTo(usdPrice / rate, decimalsOf(usdPrice) + 2);
  const contracted = negotiated(list);
  if (!(contracted > 0)) throw new TallyError('INTERNAL', `Sample catalog: no price for ${service.name}.`);
  return {
    skuId,
    skuPriceId,
    meter: service.sku.meter,
    unit: service.sku.unit,
    list,
    contracted,
    usd: { list: usdPrice, contracted: negotiated(usdPrice) },
    quantityDecimals: service.sku.quantityDecimals,
    ...(service.sku.consumed ? { consumed: service.sku.consumed } : {}),
    ...(size ? { size } : {}),
  };
}

function closestSize(sizes: SampleSize[], hourlyList: number, rate: number): SampleSize | undefined {
  let best: SampleSize | undefined;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const size of sizes) {
    const gap = Math.abs(Math.log(size.price / rate / hourlyList));
    if (gap < bestGap) [best, bestGap] = [size, gap];
  }
  return best;
}

function lineColumns(
  key: string,
  provider: SampleProvider,
  account: SampleSubAccount,
  service: SampleService,
  region: string,
  sku: LineSku,
  resource: SampleResourceInstance | undefined,
  commitment: UsageLine['commitment'],
): Record<string, FocusCell> {
  const regionName = provider.regionNames[region];
  const details = skuDetails(service, sku);
  const what = sku.size ? `${sku.meter} (${sku.size.type})` : sku.meter;
  return sharedColumns(key, {
    ...accountColumns(provider, account),
    RegionName: regionName,
    AvailabilityZone: resource?.zone,
    ChargeDescription: region === 'global' ? what : `${what} in ${regionName ?? region}`,
    ChargeFrequency: 'Usage-Based',
    PricingCategory: commitment ? 'Committed' : 'Standard',
    SkuPriceId: sku.skuPriceId,
    SkuMeter: sku.meter,
    SkuPriceDetails: details ? JSON.stringify(details) : undefined,
    ListUnitPrice: sku.list,
    ContractedUnitPrice: sku.contracted,
    ConsumedUnit: sku.consumed?.unit ?? sku.unit,
    CommitmentDiscountName: commitment?.spec.name,
    CommitmentDiscountCategory: commitment?.spec.category,
    CommitmentDiscountStatus: commitment ? 'Used' : undefined,
    CommitmentDiscountUnit: commitment?.spec.unit,
    ...pricingCurrencyColumns(account.currency, sku.usd),
  });
}

function skuDetails(service: SampleService, sku: LineSku): Record<string, string | number> | undefined {
  const { size } = sku;
  if (!size) return service.sku.details;
  const details: Record<string, string | number> = {
    InstanceType: size.type,
    CoreCount: size.cores,
    MemorySize: size.memory,
  };
  if (service.subcategory === 'Virtual Machines') details.OperatingSystem = 'Linux';
  return details;
}

/** Fills a catalog template (see {@link SampleResource}): named values, `{uuid}` and `{hexN}` / `{HEXN}`. */
function fillTemplate(template: string, values: Record<string, string>, rand: Random): string {
  return template.replace(/\{(\w+)\}/g, (_match, token: string) => {
    const value = values[token];
    if (value !== undefined) return value;
    if (token === 'uuid') return uuidOf(rand);
    const hex = /^(hex|HEX)(\d+)$/.exec(token);
    if (!hex) throw new TallyError('INTERNAL', `Sample catalog: unknown placeholder {${token}}.`);
    const digits = randomHex(rand, Number(hex[2]));
    return hex[1] === 'HEX' ? digits.toUpperCase() : digits;
  });
}

function uuidOf(rand: Random): string {
  const variant = '89ab'[randomInt(rand, 0, 3)] ?? '8';
  return `${randomHex(rand, 8)}-${randomHex(rand, 4)}-4${randomHex(rand, 3)}-${variant}${randomHex(rand, 3)}-${randomHex(rand, 12)}`;
}

function normalise(values: number[]): number[] {
  const total = sumAmounts(values);
  return values.map((v) => v / total);
}

/** The cost of a line on day index `i`, times `factor`. Covered usage is the flat amortised commitment. */
function dailyCost(line: UsageLine, cal: Calendar, i: number, seed: number, factor: number): number {
  if (line.coveredBy) return line.base * factor;
  const monthsToEnd = (cal.days.length - 1 - i) / DAYS_PER_MONTH;
  const trend = (1 + line.growth) ** -monthsToEnd;
  const week = cal.weekend[i] ? 1 - line.weekendDrop : 1;
  // Keyed by the absolute day number, so a date gets the same noise whatever the end day.
  const step = 2 * Math.round((cal.dayMs[i] ?? 0) / MS_PER_DAY);
  const noise = 1 + NOISE * (unitNoise(seed, line.noiseKey, step) + unitNoise(seed, line.noiseKey, step + 1) - 1);
  return line.base * trend * week * noise * factor;
}

/** The priced quantity of one row and its costs. */
interface RowCharge {
  quantity: number;
  effective: number;
  list: number;
  contracted: number;
}

/**
 * The rows a line emits on day index `i` with an anomaly `factor` (1 = normal). On-demand usage costs its quantity
 * times the contracted unit price; usage covered by a commitment costs the flat amortised commitment, and its quantity
 * is what that usage would list at.
 */
function rowCharges(line: UsageLine, cal: Calendar, i: number, seed: number, factor: number): RowCharge[] {
  const total = dailyCost(line, cal, i, seed, factor);
  const costs = line.hourly ? HOUR_WEIGHTS.map((w) => total * w) : [total];
  const { sku } = line;
  return costs.map((cost) => {
    if (line.commitment) {
      const effective = roundTo(cost, line.provider.decimals);
      const quantity = quantityOf(effective / (1 - line.commitment.spec.discount) / sku.list, sku.quantityDecimals);
      return { quantity, effective, list: times(sku.list, quantity), contracted: times(sku.contracted, quantity) };
    }
    const quantity = quantityOf(cost / sku.contracted, sku.quantityDecimals);
    const contracted = times(sku.contracted, quantity);
    return { quantity, effective: contracted, list: times(sku.list, quantity), contracted };
  });
}

/** A PricingQuantity: rounded to the SKU's decimals, never 0 (a usage row always used something). */
function quantityOf(value: number, decimals: number): number {
  return Math.max(roundTo(value, decimals), 10 ** -decimals);
}

/** EffectiveCost of each row a line emits on day index `i` with an anomaly `factor` (1 = normal). */
export function rowAmounts(line: UsageLine, cal: Calendar, i: number, seed: number, factor: number): number[] {
  return rowCharges(line, cal, i, seed, factor).map((c) => c.effective);
}

/** Appends the rows of a line for day index `i`, with its injected anomaly factor if any. */
export function emitLineDay(records: SampleRecord[], line: UsageLine, cal: Calendar, i: number, seed: number): void {
  const charges = rowCharges(line, cal, i, seed, line.factors.get(i) ?? 1);
  const dayStart = cal.dayMs[i] ?? 0;
  const step = line.hourly ? MS_PER_HOUR : MS_PER_DAY;
  const day = cal.days[i] ?? '';
  const period = { invoiceId: invoiceIdOf(line.provider, line.account.currency, day), month: startOfMonth(day) };
  charges.forEach((charge, h) => {
    const start = new Date(dayStart + h * step);
    const end = new Date(dayStart + (h + 1) * step);
    records.push(usageRecord(line, start, end, charge, period));
  });
}

function usageRecord(
  line: UsageLine,
  start: Date,
  end: Date,
  charge: RowCharge,
  period: { invoiceId: string; month: Day },
): SampleRecord {
  const { provider, account, service, resource, sku, commitment } = line;
  const consumed = sku.consumed ? times(charge.quantity, sku.consumed.perPricingUnit) : charge.quantity;
  return {
    provider: provider.name,
    serviceProvider: provider.name,
    hostProvider: provider.name,
    billingAccountId: provider.billingAccountId,
    billingAccountName: provider.billingAccountName,
    subAccountId: account.id,
    subAccountName: account.name,
    serviceName: service.name,
    serviceCategory: service.category,
    serviceSubcategory: service.subcategory,
    region: line.region,
    resourceId: line.resourceId,
    ...(resource ? { resourceName: resource.name, resourceType: resource.type } : {}),
    skuId: sku.skuId,
    pricingUnit: sku.unit,
    pricingQuantity: charge.quantity,
    ...(commitment ? { commitmentDiscountId: commitment.id, commitmentDiscountType: commitment.spec.type } : {}),
    invoiceId: period.invoiceId,
    billingPeriodStart: period.month,
    chargePeriodStart: start,
    chargePeriodEnd: end,
    chargeCategory: 'Usage',
    // Usage paid by a commitment is invoiced through the purchase: billed 0, effective = its amortised share.
    billedCost: commitment ? 0 : charge.effective,
    effectiveCost: charge.effective,
    listCost: charge.list,
    contractedCost: charge.contracted,
    currency: account.currency,
    tags: line.tags.slice(),
    focus: {
      fixed: line.focus,
      row: {
        ConsumedQuantity: consumed,
        // A spend commitment counts the billing currency it drew down; a reservation the hours it covered.
        ...(commitment
          ? { CommitmentDiscountQuantity: commitment.spec.category === 'Spend' ? charge.effective : charge.quantity }
          : {}),
        ...pricingCurrencyCost(account.currency, charge.effective),
      },
      nullToken: provider.nullToken,
    },
  };
}
