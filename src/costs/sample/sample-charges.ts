import { addDays, addMonths, type Day, daysBetween, dayToDate, endOfMonth, startOfMonth } from '../../shared/day.js';
import { CompensatedSum, roundCents, sumAmounts } from '../../shared/money.js';
import type { ChargeCategory } from '../cost-record.types.js';
import { SAMPLE_COMMITMENTS, SAMPLE_PROVIDERS, type SampleProvider, type SampleSubAccount } from './sample-catalog.js';
import {
  accountColumns,
  type Calendar,
  type FocusCell,
  invoiceIdOf,
  ownerTags,
  pricingCurrencyColumns,
  pricingCurrencyCost,
  roundTo,
  type SampleRecord,
  sharedColumns,
  skuIdsOf,
  times,
  toUsd,
  type UsageLine,
} from './sample-series.js';

/**
 * The non-usage rows of the sample dataset: commitment purchases (BilledCost > 0, EffectiveCost 0, because their
 * cost is amortised into the covered usage rows), promotional credits (negative) and monthly taxes. None of them is
 * usage of a resource: a commitment purchase's ResourceId is the commitment itself (FOCUS Discount Handling), the
 * others have null resource, SKU and pricing columns.
 */

const MS_PER_DAY = 86_400_000;
const HOURS_PER_DAY = 24;

interface ChargeSpec {
  provider: SampleProvider;
  /** Undefined for account-level charges (taxes): SubAccountId and SubAccountName are then null. */
  account: SampleSubAccount | undefined;
  serviceName: string;
  serviceCategory: string;
  serviceSubcategory: string;
  chargeCategory: ChargeCategory;
  region: string;
  /** Charge period: `from` up to, not including, `to`. */
  from: Day;
  to: Day;
  billed: number;
  effective: number;
  list: number;
  contracted: number;
  currency: string;
  /** The CostRecord detail of a priced charge (resource, SKU, quantity, commitment). */
  detail?: Partial<SampleRecord>;
  /** The FOCUS columns shared by the rows of this kind of charge (see `sharedColumns`), and per-row ones. */
  fixed: Readonly<Record<string, FocusCell>>;
  row?: Record<string, FocusCell>;
}

function chargeRecord(spec: ChargeSpec): SampleRecord {
  const { provider, account } = spec;
  const row = { ...spec.row, ...pricingCurrencyCost(spec.currency, spec.effective) };
  return {
    provider: provider.name,
    serviceProvider: provider.name,
    hostProvider: provider.name,
    billingAccountId: provider.billingAccountId,
    billingAccountName: provider.billingAccountName,
    subAccountId: account?.id ?? '',
    subAccountName: account?.name ?? '',
    serviceName: spec.serviceName,
    serviceCategory: spec.serviceCategory,
    serviceSubcategory: spec.serviceSubcategory,
    region: spec.region,
    resourceId: '',
    ...spec.detail,
    invoiceId: invoiceIdOf(provider, spec.currency, spec.from),
    billingPeriodStart: startOfMonth(spec.from),
    chargePeriodStart: dayToDate(spec.from),
    chargePeriodEnd: dayToDate(spec.to),
    chargeCategory: spec.chargeCategory,
    billedCost: spec.billed,
    effectiveCost: spec.effective,
    listCost: spec.list,
    contractedCost: spec.contracted,
    currency: spec.currency,
    tags: account ? ownerTags(account) : [],
    focus: { fixed: spec.fixed, ...(Object.keys(row).length ? { row } : {}), nullToken: provider.nullToken },
  };
}

const isMonthStart = (day: Day): boolean => day.endsWith('-01');
const nextMonthStart = (day: Day): Day => addDays(endOfMonth(day), 1);

/** Monthly Savings Plan fees and yearly reservation purchases (effective 0), and monthly promotional credits. */
export function commitmentRecords(lines: UsageLine[], cal: Calendar): SampleRecord[] {
  return [...savingsPlanFees(lines, cal), ...reservationPurchases(lines, cal), ...credits(lines, cal)];
}

interface PurchaseSpec {
  serviceName: string;
  serviceSubcategory: string;
  region: string;
  from: Day;
  to: Day;
  /** The commitment per hour, and the hours this purchase pays for. */
  hourly: number;
  hours: number;
  frequency: 'Recurring' | 'One-Time';
  /** FOCUS CommitmentDiscountQuantity of the purchase, in the commitment's unit. */
  commitmentQuantity: number;
  description: string;
}

/**
 * A commitment purchase: billed now at the hourly commitment times the hours it pays for, amortised into the covered
 * usage rows, so its own EffectiveCost is 0. Its ResourceId and CommitmentDiscountId are the commitment's id.
 */
function purchase(line: UsageLine, spec: PurchaseSpec): SampleRecord {
  const { provider, account, service, commitment } = line;
  if (!commitment) throw new Error('purchase of a line without commitment');
  const fee = times(spec.hourly, spec.hours);
  const { skuId, skuPriceId } = skuIdsOf(provider, `${spec.serviceName}|${commitment.spec.meter}`);
  const fixed = sharedColumns(`${commitment.id}|${spec.frequency}`, {
    ...accountColumns(provider, account),
    RegionName: spec.region ? provider.regionNames[spec.region] : undefined,
    ChargeDescription: spec.description,
    ChargeFrequency: spec.frequency,
    // A commitment is bought at its own price: FOCUS "Committed" is for the usage it covers.
    PricingCategory: 'Standard',
    SkuPriceId: skuPriceId,
    SkuMeter: commitment.spec.meter,
    ListUnitPrice: spec.hourly,
    ContractedUnitPrice: spec.hourly,
    CommitmentDiscountName: commitment.spec.name,
    CommitmentDiscountCategory: commitment.spec.category,
    CommitmentDiscountUnit: commitment.spec.unit,
    ...pricingCurrencyColumns(account.currency, {
      list: toUsd(account.currency, spec.hourly),
      contracted: toUsd(account.currency, spec.hourly),
    }),
  });
  return chargeRecord({
    provider,
    account,
    serviceName: spec.serviceName,
    serviceCategory: service.category,
    serviceSubcategory: spec.serviceSubcategory,
    chargeCategory: 'Purchase',
    region: spec.region,
    from: spec.from,
    to: spec.to,
    billed: fee,
    effective: 0,
    list: fee,
    contracted: fee,
    currency: account.currency,
    detail: {
      resourceId: commitment.id,
      resourceName: commitment.spec.name,
      resourceType: commitment.spec.type,
      skuId,
      pricingUnit: 'Hours',
      pricingQuantity: spec.hours,
      commitmentDiscountId: commitment.id,
      commitmentDiscountType: commitment.spec.type,
    },
    fixed,
    row: { CommitmentDiscountQuantity: spec.commitmentQuantity },
  });
}

function savingsPlanFees(lines: UsageLine[], cal: Calendar): SampleRecord[] {
  const covered = lines.filter((l) => l.coveredBy === 'savings-plan');
  const first = covered[0];
  if (!first) return [];
  // The hourly commitment equals the amortised cost of the usage it covers, so it is always fully used.
  const hourly = roundTo(sumAmounts(covered.map((l) => l.base)) / HOURS_PER_DAY, 4);
  const { serviceName } = SAMPLE_COMMITMENTS.savingsPlan;
  return cal.days.filter(isMonthStart).map((day) => {
    const next = nextMonthStart(day);
    const hours = daysBetween(day, next) * HOURS_PER_DAY;
    return purchase(first, {
      serviceName,
      serviceSubcategory: 'Other (Compute)',
      // Savings Plans are not regional: FOCUS RegionId is null on their fee rows.
      region: '',
      from: day,
      to: next,
      hourly,
      hours,
      frequency: 'Recurring',
      // A spend commitment: the billing currency it makes available over the charge period.
      commitmentQuantity: times(hourly, hours),
      description: `1 year No Upfront Compute Savings Plan, ${hourly} USD hourly commitment`,
    });
  });
}

function reservationPurchases(lines: UsageLine[], cal: Calendar): SampleRecord[] {
  const covered = lines.filter((l) => l.coveredBy === 'reservation');
  const first = covered[0];
  if (!first) return [];
  const hourly = roundTo(sumAmounts(covered.map((l) => l.base)) / HOURS_PER_DAY, 4);
  // The instance hours a year of the covered usage lists at: what the reservation makes available over its term.
  const discount = SAMPLE_COMMITMENTS.reservation.discount;
  const yearHours = sumAmounts(covered.map((l) => (l.base / (1 - discount) / l.sku.list) * 365));
  const { serviceName, renewsOn } = SAMPLE_COMMITMENTS.reservation;
  return cal.days
    .filter((day) => day.slice(5) === renewsOn)
    .map((day) =>
      purchase(first, {
        serviceName,
        serviceSubcategory: first.service.subcategory,
        region: first.region,
        from: day,
        to: addDays(day, 1),
        hourly,
        hours: 365 * HOURS_PER_DAY,
        frequency: 'One-Time',
        commitmentQuantity: roundTo(yearHours, 4),
        description: `Reserved VM Instance, 1 Year, paid upfront (${covered.length} virtual machines)`,
      }),
    );
}

function credits(lines: UsageLine[], cal: Calendar): SampleRecord[] {
  const { subAccountId, serviceName, monthlyAmount } = SAMPLE_COMMITMENTS.credit;
  const line = lines.find((l) => l.account.id === subAccountId && l.service.name === serviceName);
  if (!line) return [];
  const { provider, account, service } = line;
  const fixed = sharedColumns(`${account.id}|${serviceName}|Credit`, {
    ...accountColumns(provider, account),
    ChargeDescription: `Promotional credit for ${serviceName}`,
    ChargeFrequency: 'Recurring',
    ...pricingCurrencyColumns(account.currency),
  });
  return cal.days.filter(isMonthStart).map((day) =>
    chargeRecord({
      provider,
      account,
      serviceName,
      serviceCategory: service.category,
      serviceSubcategory: service.subcategory,
      chargeCategory: 'Credit',
      region: '',
      from: day,
      to: nextMonthStart(day),
      billed: -monthlyAmount,
      effective: -monthlyAmount,
      // A credit relates to no other charge: FOCUS wants its ListCost and ContractedCost to be its BilledCost.
      list: -monthlyAmount,
      contracted: -monthlyAmount,
      currency: account.currency,
      fixed,
    }),
  );
}

/** One Tax row per billing account, currency and complete month: the rate times the month's BilledCost. */
export function taxRecords(groups: SampleRecord[][], cal: Calendar): SampleRecord[] {
  const sums = billedByMonth(groups, cal);
  const from = cal.days[0] ?? '';
  const to = cal.days[cal.days.length - 1] ?? '';
  const out: SampleRecord[] = [];
  for (const provider of SAMPLE_PROVIDERS) {
    for (const [currency, rate] of Object.entries(provider.taxRates)) {
      const fixed = sharedColumns(`${provider.billingAccountId}|${currency}|Tax`, {
        ...accountColumns(provider, undefined),
        ChargeDescription: `Tax at ${roundTo(rate * 100, 4)}% on ${currency} charges`,
        ChargeFrequency: 'Recurring',
        ...pricingCurrencyColumns(currency),
      });
      for (let month = startOfMonth(from); endOfMonth(month) <= to; month = addMonths(month, 1)) {
        const billed = sums.get(`${provider.billingAccountId}|${currency}|${month.slice(0, 7)}`);
        const tax = roundCents((billed?.value ?? 0) * rate);
        if (tax <= 0) continue;
        out.push(
          chargeRecord({
            provider,
            account: undefined,
            serviceName: 'Tax',
            serviceCategory: 'Other',
            serviceSubcategory: 'Other (Other)',
            chargeCategory: 'Tax',
            region: '',
            from: month === startOfMonth(from) ? from : month,
            to: nextMonthStart(month),
            billed: tax,
            effective: tax,
            list: tax,
            contracted: tax,
            currency,
            fixed,
          }),
        );
      }
    }
  }
  return out;
}

/** BilledCost per `billingAccountId|currency|YYYY-MM`. Keys are rebuilt only when one of their parts changes. */
function billedByMonth(groups: SampleRecord[][], cal: Calendar): Map<string, CompensatedSum> {
  const sums = new Map<string, CompensatedSum>();
  const first = cal.dayMs[0] ?? 0;
  let last = { account: '', currency: '', day: -1, sum: new CompensatedSum() };
  for (const rows of groups) {
    for (const r of rows) {
      const day = Math.floor((r.chargePeriodStart.getTime() - first) / MS_PER_DAY);
      if (day !== last.day || r.billingAccountId !== last.account || r.currency !== last.currency) {
        const key = `${r.billingAccountId}|${r.currency}|${(cal.days[day] ?? '').slice(0, 7)}`;
        const sum = sums.get(key) ?? new CompensatedSum();
        sums.set(key, sum);
        last = { account: r.billingAccountId, currency: r.currency, day, sum };
      }
      last.sum.add(r.billedCost);
    }
  }
  return sums;
}
