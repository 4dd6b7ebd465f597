import { addDays, addMonths, type Day, daysBetween, dayToDate, endOfMonth, startOfMonth } from '../../shared/day.js';
import { CompensatedSum, roundCents, sumAmounts } from '../../shared/money.js';
import type { ChargeCategory, CostRecord } from '../cost-record.types.js';
import { hashString, mixSeed, mulberry32, type Random } from './prng.js';
import { SAMPLE_COMMITMENTS, SAMPLE_PROVIDERS, type SampleProvider, type SampleSubAccount } from './sample-catalog.js';
import { type Calendar, fillTemplate, ownerTags, type UsageLine } from './sample-series.js';

/**
 * The non-usage rows of the sample dataset: commitment purchases (BilledCost > 0, EffectiveCost 0, because their
 * cost is amortised into the covered usage rows), promotional credits (negative) and monthly taxes.
 */

const MS_PER_DAY = 86_400_000;

interface ChargeSpec {
  provider: SampleProvider;
  /** Undefined for account-level charges (taxes): SubAccountId and SubAccountName are then empty. */
  account: SampleSubAccount | undefined;
  serviceName: string;
  serviceCategory: string;
  chargeCategory: ChargeCategory;
  region: string;
  resourceId: string;
  /** Charge period: `from` up to, not including, `to`. */
  from: Day;
  to: Day;
  billed: number;
  effective: number;
  list: number;
  currency: string;
}

function chargeRecord(spec: ChargeSpec): CostRecord {
  const { provider, account } = spec;
  return {
    provider: provider.name,
    billingAccountId: provider.billingAccountId,
    subAccountId: account?.id ?? '',
    subAccountName: account?.name ?? '',
    serviceName: spec.serviceName,
    serviceCategory: spec.serviceCategory,
    region: spec.region,
    resourceId: spec.resourceId,
    chargePeriodStart: dayToDate(spec.from),
    chargePeriodEnd: dayToDate(spec.to),
    chargeCategory: spec.chargeCategory,
    billedCost: spec.billed,
    effectiveCost: spec.effective,
    listCost: spec.list,
    currency: spec.currency,
    tags: account ? ownerTags(account) : [],
  };
}

const isMonthStart = (day: Day): boolean => day.endsWith('-01');
const nextMonthStart = (day: Day): Day => addDays(endOfMonth(day), 1);

/** Monthly Savings Plan fees and yearly reservation purchases (effective 0), and monthly promotional credits. */
export function commitmentRecords(lines: UsageLine[], cal: Calendar, seed: number): CostRecord[] {
  const rand = mulberry32(mixSeed(seed, hashString('commitments')));
  return [...savingsPlanFees(lines, cal, rand), ...reservationPurchases(lines, cal, rand), ...credits(lines, cal)];
}

interface PurchaseSpec {
  serviceName: string;
  region: string;
  resourceId: string;
  from: Day;
  to: Day;
  fee: number;
}

/** A commitment purchase: billed now, amortised into the covered usage rows, so its own EffectiveCost is 0. */
function purchase(line: UsageLine, { fee, ...rest }: PurchaseSpec): CostRecord {
  const { provider, account, service } = line;
  return chargeRecord({
    ...rest,
    provider,
    account,
    serviceCategory: service.category,
    chargeCategory: 'Purchase',
    billed: fee,
    effective: 0,
    list: fee,
    currency: account.currency,
  });
}

function savingsPlanFees(lines: UsageLine[], cal: Calendar, rand: Random): CostRecord[] {
  const covered = lines.filter((l) => l.coveredBy === 'savings-plan');
  const first = covered[0];
  if (!first) return [];
  const arn = fillTemplate('arn:aws:savingsplans::{account}:savingsplan/{uuid}', first.account, '', rand);
  const perDay = sumAmounts(covered.map((l) => l.base));
  return cal.days.filter(isMonthStart).map((day) => {
    const next = nextMonthStart(day);
    const fee = roundCents(perDay * daysBetween(day, next));
    const serviceName = SAMPLE_COMMITMENTS.savingsPlan.serviceName;
    // Savings Plans are not regional: FOCUS RegionId is null on their fee rows.
    return purchase(first, { serviceName, region: '', resourceId: arn, from: day, to: next, fee });
  });
}

function reservationPurchases(lines: UsageLine[], cal: Calendar, rand: Random): CostRecord[] {
  const covered = lines.filter((l) => l.coveredBy === 'reservation');
  const first = covered[0];
  if (!first) return [];
  const order = fillTemplate('/providers/Microsoft.Capacity/reservationOrders/{uuid}', first.account, '', rand);
  const fee = roundCents(sumAmounts(covered.map((l) => l.base)) * 365);
  const { serviceName, renewsOn } = SAMPLE_COMMITMENTS.reservation;
  return cal.days
    .filter((day) => day.slice(5) === renewsOn)
    .map((day) =>
      purchase(first, { serviceName, region: first.region, resourceId: order, from: day, to: addDays(day, 1), fee }),
    );
}

function credits(lines: UsageLine[], cal: Calendar): CostRecord[] {
  const { subAccountId, serviceName, monthlyAmount } = SAMPLE_COMMITMENTS.credit;
  const line = lines.find((l) => l.account.id === subAccountId && l.service.name === serviceName);
  if (!line) return [];
  const { provider, account, service } = line;
  return cal.days.filter(isMonthStart).map((day) =>
    chargeRecord({
      provider,
      account,
      serviceName,
      serviceCategory: service.category,
      chargeCategory: 'Credit',
      region: '',
      resourceId: '',
      from: day,
      to: nextMonthStart(day),
      billed: -monthlyAmount,
      effective: -monthlyAmount,
      // Credits have no list price.
      list: 0,
      currency: account.currency,
    }),
  );
}

/** One Tax row per billing account, currency and complete month: the rate times the month's BilledCost. */
export function taxRecords(groups: CostRecord[][], cal: Calendar): CostRecord[] {
  const sums = billedByMonth(groups, cal);
  const from = cal.days[0] ?? '';
  const to = cal.days[cal.days.length - 1] ?? '';
  const out: CostRecord[] = [];
  for (const provider of SAMPLE_PROVIDERS) {
    for (const [currency, rate] of Object.entries(provider.taxRates)) {
      for (let month = startOfMonth(from); endOfMonth(month) <= to; month = addMonths(month, 1)) {
        const billed = sums.get(`${provider.billingAccountId}|${currency}|${month.slice(0, 7)}`);
        const tax = roundCents((billed?.value ?? 0) * rate);
        if (tax <= 0) continue;
        const common = { provider, account: undefined, serviceName: 'Tax', serviceCategory: 'Other', region: '' };
        const period = { from: month === startOfMonth(from) ? from : month, to: nextMonthStart(month), currency };
        out.push(
          chargeRecord({
            ...common,
            ...period,
            chargeCategory: 'Tax',
            resourceId: '',
            billed: tax,
            effective: tax,
            list: tax,
          }),
        );
      }
    }
  }
  return out;
}

/** BilledCost per `billingAccountId|currency|YYYY-MM`. Keys are rebuilt only when one of their parts changes. */
function billedByMonth(groups: CostRecord[][], cal: Calendar): Map<string, CompensatedSum> {
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
