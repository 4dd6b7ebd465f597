import type { Day } from '../shared/day.js';

/** FOCUS ChargeCategory values. */
export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

/** A resource tag. Stored as a list of pairs, never as an object: keys may contain `.` or start with `$` (DESIGN §3). */
export interface Tag {
  key: string;
  value: string;
}

/** One normalised FOCUS cost row (DESIGN §3). Amounts are in `currency` (FOCUS BillingCurrency). */
export interface CostRecord {
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  subAccountName: string;
  serviceName: string;
  serviceCategory: string;
  region: string;
  resourceId: string;
  chargePeriodStart: Date;
  chargePeriodEnd: Date;
  chargeCategory: ChargeCategory;
  billedCost: number;
  effectiveCost: number;
  listCost: number;
  currency: string;
  tags: Tag[];
}

/** The metrics an answer can be in. `effective` (amortised) is the default for "cost". */
export const METRICS = ['effective', 'billed', 'list'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * A daily rollup: all records of one source that share a day and every dimension, summed.
 * Queries run on these (DESIGN §3), never on raw rows.
 */
export interface DailyRollup {
  /** Which import or sync wrote it; re-importing a source replaces its rollups for the days it covers. */
  source: string;
  day: Day;
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  subAccountName: string;
  serviceName: string;
  serviceCategory: string;
  region: string;
  chargeCategory: ChargeCategory;
  currency: string;
  /** Sorted by key; one entry per key. */
  tags: Tag[];
  billed: number;
  effective: number;
  list: number;
  /** How many FOCUS rows were summed into this rollup. */
  rows: number;
}
