import type { CostRecord } from './cost-record.types.js';

/**
 * What makes two breakdown rows part of the same service-level cost: everything a billing API's second query keeps
 * besides the detail it breaks the cost down by (a tag value or a resource id).
 */
const serviceKey = (r: CostRecord) =>
  [
    r.chargePeriodStart.toISOString(),
    r.provider,
    r.billingAccountId,
    r.subAccountId,
    r.serviceName,
    r.chargeCategory,
    r.currency,
  ].join('\u0000');

/** `-x`, with `-0` as `0` (a sum of rows must not print as `-0.00`). */
const negate = (x: number) => (x === 0 ? 0 : -x);

/**
 * Breakdown rows of one detail (one tag key's values, or resource ids) made safe to store beside the service-level
 * rows of the same sync, which stay the only source of totals (README.md#tags-and-resources-from-api-syncs).
 *
 * A billing API answers a breakdown as a second query over the same costs (Cost Explorer grouped by `TAG:team` and
 * SERVICE, Azure by a TagKey and ServiceName). Its rows would count every cost a second time, so each day × service
 * of the breakdown gets one offset row without the detail that subtracts what the breakdown rows add. Then:
 * a total (by service, account, category) equals the service-level rows alone; grouped by the detail, each value
 * has exactly the breakdown's figure and `(untagged)` / no resource holds the rest. Breakdowns of several tag keys
 * each cancel out on their own, so they can sit side by side. The rows without the detail (CE's `team$`, Azure's
 * empty TagValue) are left out by the caller: the rest of the service-level cost is already that.
 *
 * Amounts must be numbers (API syncs); region is the breakdown's own (usually `''`: the breakdown has none).
 *
 * @returns the breakdown rows, then one offset row per day × service × category × currency, in that order
 */
export function withBreakdownOffsets(breakdown: readonly CostRecord[]): CostRecord[] {
  const offsets = new Map<string, CostRecord>();
  for (const r of breakdown) {
    const key = serviceKey(r);
    const offset = offsets.get(key);
    if (offset) {
      offset.billedCost = (offset.billedCost as number) - Number(r.billedCost);
      offset.effectiveCost = (offset.effectiveCost as number) - Number(r.effectiveCost);
      offset.listCost = (offset.listCost as number) - Number(r.listCost);
    } else {
      offsets.set(key, {
        provider: r.provider,
        billingAccountId: r.billingAccountId,
        subAccountId: r.subAccountId,
        subAccountName: r.subAccountName,
        serviceName: r.serviceName,
        serviceCategory: r.serviceCategory,
        region: r.region,
        resourceId: '',
        chargePeriodStart: r.chargePeriodStart,
        chargePeriodEnd: r.chargePeriodEnd,
        chargeCategory: r.chargeCategory,
        billedCost: negate(Number(r.billedCost)),
        effectiveCost: negate(Number(r.effectiveCost)),
        listCost: negate(Number(r.listCost)),
        currency: r.currency,
        tags: [],
      });
    }
  }
  return [...breakdown, ...offsets.values()];
}
