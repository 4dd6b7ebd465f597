/**
 * FOCUS column names Tally reads (FOCUS 1.0–1.4, docs/cost-data.md). Each field lists the columns that can hold it,
 * in order of preference; the first one with a non-null value in a row wins, so a FOCUS 1.3 row with an empty
 * `ProviderName` takes `ServiceProviderName`, and FOCUS 1.4 files (which have no `ProviderName`) work as they are.
 * Unknown columns are ignored.
 */
export const FOCUS_COLUMNS = {
  provider: ['ProviderName', 'ServiceProviderName'],
  serviceProvider: ['ServiceProviderName', 'ProviderName'],
  hostProvider: ['HostProviderName'],
  billingAccountId: ['BillingAccountId'],
  billingAccountName: ['BillingAccountName'],
  subAccountId: ['SubAccountId'],
  subAccountName: ['SubAccountName'],
  serviceName: ['ServiceName'],
  serviceCategory: ['ServiceCategory'],
  serviceSubcategory: ['ServiceSubcategory'],
  region: ['RegionId', 'RegionName'],
  resourceId: ['ResourceId'],
  resourceName: ['ResourceName'],
  resourceType: ['ResourceType'],
  skuId: ['SkuId'],
  pricingUnit: ['PricingUnit'],
  pricingQuantity: ['PricingQuantity'],
  commitmentDiscountId: ['CommitmentDiscountId'],
  commitmentDiscountType: ['CommitmentDiscountType'],
  invoiceId: ['InvoiceId'],
  billingPeriodStart: ['BillingPeriodStart'],
  chargePeriodStart: ['ChargePeriodStart'],
  chargePeriodEnd: ['ChargePeriodEnd'],
  chargeCategory: ['ChargeCategory'],
  chargeClass: ['ChargeClass'],
  billedCost: ['BilledCost'],
  effectiveCost: ['EffectiveCost'],
  listCost: ['ListCost'],
  contractedCost: ['ContractedCost'],
  currency: ['BillingCurrency'],
  tags: ['Tags'],
} as const;

export type FocusField = keyof typeof FOCUS_COLUMNS;

/** Fields without which a file is not a cost-and-usage file. Missing ones are named in the error (exit 2). */
export const REQUIRED_FIELDS: FocusField[] = [
  'provider',
  'billingAccountId',
  'serviceName',
  'chargePeriodStart',
  'chargeCategory',
  'billedCost',
  'effectiveCost',
  'listCost',
  'currency',
];

/**
 * The other FOCUS datasets a folder of exports may hold, each recognised by columns only it has. They are listed
 * as skipped, never imported as costs and never a reason to refuse the folder.
 */
export const OTHER_FOCUS_DATASETS: { name: string; columns: string[] }[] = [
  { name: 'Contract Commitment', columns: ['ContractCommitmentId', 'ContractId'] },
  { name: 'Contract Commitment', columns: ['ContractCommitmentCategory'] },
  { name: 'Invoice Detail', columns: ['InvoiceId', 'InvoiceIssueDate'] },
  { name: 'Invoice Detail', columns: ['InvoiceLineId'] },
  { name: 'Billing Period', columns: ['BillingPeriodStart', 'BillingPeriodStatus'] },
];
