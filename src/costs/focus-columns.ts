/**
 * FOCUS column names Tally reads, with the aliases used across FOCUS 1.0–1.3.
 * The first name of each entry is the one Tally writes. Unknown columns are ignored.
 */
export const FOCUS_COLUMNS = {
  provider: ['ProviderName', 'ServiceProviderName'],
  billingAccountId: ['BillingAccountId'],
  subAccountId: ['SubAccountId'],
  subAccountName: ['SubAccountName'],
  serviceName: ['ServiceName'],
  serviceCategory: ['ServiceCategory'],
  region: ['RegionId', 'RegionName'],
  resourceId: ['ResourceId'],
  chargePeriodStart: ['ChargePeriodStart'],
  chargePeriodEnd: ['ChargePeriodEnd'],
  chargeCategory: ['ChargeCategory'],
  billedCost: ['BilledCost'],
  effectiveCost: ['EffectiveCost'],
  listCost: ['ListCost'],
  currency: ['BillingCurrency'],
  tags: ['Tags'],
} as const;

export type FocusField = keyof typeof FOCUS_COLUMNS;

/** Fields without which a file cannot be imported. Missing ones are named in the error (exit 2). */
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

/** The column order Tally writes (`tally sample`). Extra FOCUS columns are filled for realism. */
export const FOCUS_WRITE_COLUMNS = [
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeDescription',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ProviderName',
  'PublisherName',
  'InvoiceIssuerName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ServiceCategory',
  'ServiceName',
  'SubAccountId',
  'SubAccountName',
  'Tags',
] as const;
