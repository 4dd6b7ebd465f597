import { type Day, dayToDate, eachDay } from '../../shared/day.js';
import { TallyError } from '../../shared/errors.js';
import { sumAmounts } from '../../shared/money.js';
import type { CostRecord, Tag } from '../cost-record.types.js';
import { hashString, mixSeed, mulberry32, type Random, randomHex, randomInt, unitNoise } from './prng.js';
import {
  SAMPLE_COMMITMENTS,
  SAMPLE_PROVIDERS,
  type SampleProvider,
  type SampleService,
  type SampleSubAccount,
  type SampleUsage,
} from './sample-catalog.js';

/**
 * The usage series of the sample dataset (one per sub-account × service × region) and how a series' cost on a
 * given day is computed: growth trend × weekday pattern × seeded daily noise × injected anomaly factor.
 */

/** One usage series: sub-account × service × region, one row per day (or 24 hourly rows). */
export interface UsageLine {
  provider: SampleProvider;
  account: SampleSubAccount;
  service: SampleService;
  region: string;
  /** Weekday cost per day at the end of the period, this region's share. */
  base: number;
  /** Growth per month as a fraction. */
  growth: number;
  weekendDrop: number;
  hourly: boolean;
  coveredBy: SampleUsage['coveredBy'];
  resourceId: string;
  tags: Tag[];
  noiseKey: number;
  /** Day index → multiplier of an injected anomaly. */
  factors: Map<number, number>;
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

/** Team, env and cost-center tags of a sub-account. */
export function ownerTags(account: SampleSubAccount): Tag[] {
  return [
    { key: 'team', value: account.team },
    { key: 'env', value: account.env },
    { key: 'cost-center', value: account.costCenter },
  ];
}

/** Expands the catalog into usage lines, in catalog order. Resource ids and jitter are drawn from `seed`. */
export function buildLines(seed: number): UsageLine[] {
  const lines: UsageLine[] = [];
  for (const provider of SAMPLE_PROVIDERS) {
    for (const account of provider.subAccounts) {
      for (const [serviceName, usage] of Object.entries(account.usage)) {
        const service = provider.services.find((s) => s.name === serviceName);
        if (!service) throw new TallyError('INTERNAL', `Sample catalog: unknown service "${serviceName}".`);
        const spec = typeof usage === 'number' ? { base: usage } : usage;
        const regions = service.region ? [service.region] : account.regions;
        const shares = regions.length === 2 ? [0.65, 0.35] : [1];
        regions.forEach((region, r) => {
          const base = spec.base * (shares[r] ?? 1);
          lines.push(buildLine({ seed, provider, account, service, spec, region, base }));
        });
      }
    }
  }
  return lines;
}

interface LineSpec {
  seed: number;
  provider: SampleProvider;
  account: SampleSubAccount;
  service: SampleService;
  spec: SampleUsage;
  region: string;
  base: number;
}

function buildLine({ seed, provider, account, service, spec, region, base }: LineSpec): UsageLine {
  const noiseKey = hashString(`${account.id}|${service.name}|${region}`);
  const rand = mulberry32(mixSeed(seed, noiseKey));
  const jitter = (rand() - 0.5) * 0.04;
  return {
    provider,
    account,
    service,
    region,
    base,
    growth: spec.growth ?? DEFAULT_GROWTH.min + rand() * DEFAULT_GROWTH.spread,
    weekendDrop: service.weekendDrop > 0 ? Math.max(0, service.weekendDrop + jitter) : 0,
    hourly: spec.hourly ?? false,
    coveredBy: spec.coveredBy,
    resourceId: fillTemplate(service.resource, account, region, rand),
    // Frozen because every row of the line shares these Tag objects (each row gets its own array).
    tags: [...ownerTags(account), ...(spec.tags ?? [])].map((t) => Object.freeze({ ...t })),
    noiseKey,
    factors: new Map(),
  };
}

/** Fills a catalog ResourceId template (see {@link SampleService.resource}). */
export function fillTemplate(template: string, account: SampleSubAccount, region: string, rand: Random): string {
  return template.replace(/\{(\w+)\}/g, (_match, token: string) => {
    if (token === 'account') return account.id;
    if (token === 'name') return account.name;
    if (token === 'region') return region;
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

/** EffectiveCost of each row a line emits on day index `i` with an anomaly `factor` (1 = normal). */
export function rowAmounts(line: UsageLine, cal: Calendar, i: number, seed: number, factor: number): number[] {
  const total = dailyCost(line, cal, i, seed, factor);
  const decimals = line.provider.decimals;
  if (!line.hourly) return [roundTo(total, decimals)];
  return HOUR_WEIGHTS.map((w) => roundTo(total * w, decimals));
}

/** Appends the rows of a line for day index `i`, with its injected anomaly factor if any. */
export function emitLineDay(records: CostRecord[], line: UsageLine, cal: Calendar, i: number, seed: number): void {
  const amounts = rowAmounts(line, cal, i, seed, line.factors.get(i) ?? 1);
  const dayStart = cal.dayMs[i] ?? 0;
  const step = line.hourly ? MS_PER_HOUR : MS_PER_DAY;
  amounts.forEach((effective, h) => {
    const start = new Date(dayStart + h * step);
    const end = new Date(dayStart + (h + 1) * step);
    records.push(usageRecord(line, start, end, effective));
  });
}

function usageRecord(line: UsageLine, start: Date, end: Date, effective: number): CostRecord {
  const discount = line.coveredBy ? SAMPLE_COMMITMENTS[commitmentOf(line.coveredBy)].discount : line.provider.discount;
  return {
    provider: line.provider.name,
    billingAccountId: line.provider.billingAccountId,
    subAccountId: line.account.id,
    subAccountName: line.account.name,
    serviceName: line.service.name,
    serviceCategory: line.service.category,
    region: line.region,
    resourceId: line.resourceId,
    chargePeriodStart: start,
    chargePeriodEnd: end,
    chargeCategory: 'Usage',
    // Usage paid by a commitment is invoiced through the purchase: billed 0, effective = its amortised share.
    billedCost: line.coveredBy ? 0 : effective,
    effectiveCost: effective,
    listCost: roundTo(effective / (1 - discount), line.provider.decimals),
    currency: line.account.currency,
    tags: line.tags.slice(),
  };
}

function commitmentOf(coveredBy: NonNullable<SampleUsage['coveredBy']>): 'savingsPlan' | 'reservation' {
  return coveredBy === 'savings-plan' ? 'savingsPlan' : 'reservation';
}
