import type { Day } from '../shared/day.js';

/** FOCUS ChargeCategory values. */
const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

/** A resource tag. Stored as a list of pairs, never as an object: keys may contain `.`, `/`, `:` or start with `$`. */
export interface Tag {
  key: string;
  value: string;
}

/**
 * An amount in the billing currency: a JavaScript number (API syncs, the sample, tests) or, from a FOCUS file, the
 * exact decimal literal as written there (`"12345678901.23"`, `"0.0000000123"`), so that no digit is lost before the
 * cost store sums it as a SQL `DECIMAL` (docs/cost-data.md).
 */
type Amount = number | string;

/**
 * The FOCUS detail Tally keeps besides the dimensions it always had (docs/cost-data.md). Every field is optional:
 * an API sync fills what its API returns, a FOCUS file what its columns hold; absent means FOCUS null.
 */
interface CostDetail {
  /** FOCUS 1.3+ ServiceProviderName (the provider that offers the service); ProviderName before 1.3. */
  serviceProvider?: string;
  /** FOCUS 1.3+ HostProviderName (where the resource runs, e.g. the cloud under a marketplace SaaS). */
  hostProvider?: string;
  billingAccountName?: string;
  serviceSubcategory?: string;
  chargeClass?: string;
  resourceName?: string;
  resourceType?: string;
  skuId?: string;
  pricingUnit?: string;
  pricingQuantity?: Amount;
  commitmentDiscountId?: string;
  commitmentDiscountType?: string;
  invoiceId?: string;
  /** FOCUS BillingPeriodStart as a UTC day. */
  billingPeriodStart?: Day;
}

/** One normalised FOCUS cost row. Amounts are in `currency` (FOCUS BillingCurrency). */
export interface CostRecord extends CostDetail {
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
  billedCost: Amount;
  effectiveCost: Amount;
  listCost: Amount;
  /** FOCUS ContractedCost (1.0+); absent when the source has none. */
  contractedCost?: Amount;
  currency: string;
  tags: Tag[];
}

/** The metrics an answer can be in. `effective` (amortised) is the default for "cost". */
const METRICS = ['effective', 'billed', 'list'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * A daily row of the cost store: the records of one source that share a UTC day and every kept dimension and
 * detail (resource, SKU, tags, …), summed. Hourly rows of a resource become one row per day. Written through
 * `CostRepository.replaceRollups`; queries aggregate these, never raw FOCUS rows.
 */
export interface DailyRollup extends CostDetail {
  /** Which import or sync wrote it; re-importing a source replaces its rows for the days it covers. */
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
  resourceId?: string;
  billed: Amount;
  effective: Amount;
  list: Amount;
  contracted?: Amount;
  /** How many FOCUS rows were summed into this row. */
  rows: number;
}
