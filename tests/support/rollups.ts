import type { DailyRollup } from '../../src/costs/cost-record.types.js';

/** A usage rollup for tests: one service line of one AWS account on one day, every metric equal unless overridden. */
export function testRollup(
  day: string,
  serviceName: string,
  effective: number,
  extra: Partial<DailyRollup> = {},
): DailyRollup {
  return {
    source: 't',
    day,
    provider: 'AWS',
    billingAccountId: 'b',
    subAccountId: '111',
    subAccountName: 'payments',
    serviceName,
    serviceCategory: 'Compute',
    region: 'us-east-1',
    chargeCategory: 'Usage',
    currency: 'USD',
    tags: [],
    billed: effective,
    effective,
    list: effective,
    rows: 1,
    ...extra,
  };
}
