import type { Tag } from '../cost-record.types.js';

/**
 * The static catalog behind the built-in sample dataset: three providers (FOCUS ProviderName values), their billing
 * accounts, sub-accounts (AWS accounts, Azure subscriptions, Google Cloud projects) with owner tags, the services
 * each sub-account uses, what they cost on a normal weekday at the end of the sample period, and the FOCUS detail
 * of each service: its ServiceSubcategory, the resources it bills for and the SKU its usage is priced in.
 */

/** The SKU a service's usage is priced in (FOCUS SkuMeter, PricingUnit, ListUnitPrice, SkuPriceDetails). */
interface SampleSku {
  /** FOCUS SkuMeter. */
  meter: string;
  /** FOCUS PricingUnit, in FOCUS Unit Format: `Hours`, `GB-Months`, `1000000 Requests`, … */
  unit: string;
  /** List unit price in USD (the pricing currency of every provider here), as the provider's price list writes it. */
  price: number;
  /** Decimal places of PricingQuantity. */
  quantityDecimals: number;
  /** ConsumedUnit when it is not the PricingUnit, and how many of it one PricingUnit holds (`1000000 Requests`). */
  consumed?: { unit: string; perPricingUnit: number };
  /** FOCUS SkuPriceDetails (FOCUS-defined keys, or `x_` ones). */
  details?: Record<string, string | number>;
}

/** A machine size billed per hour: a usage line of a service with sizes runs the size closest to its cost. */
export interface SampleSize {
  type: string;
  /** List price per hour in USD. */
  price: number;
  cores: number;
  /** GiB of memory. */
  memory: number;
}

/**
 * A kind of resource a service bills for. Templates take `{account}` (sub-account id), `{name}` (sub-account
 * name), `{region}`, `{zone}`, `{n}` (1, 2, … per sub-account and service), `{uuid}`, `{hexN}` / `{HEXN}` (N random
 * lower/upper-case hex digits); the id template also takes `{resource}`, the resource's name.
 */
interface SampleResource {
  /** FOCUS ResourceType. */
  type: string;
  /** ResourceName template; the name is also the resource's `Name` (AWS) or `name` tag, so it must be unique. */
  name: string;
  /** ResourceId template. */
  id: string;
  /** Whether the resource lives in one availability zone (FOCUS AvailabilityZone is then filled). */
  zonal?: boolean;
}

/** A service as it appears in FOCUS ServiceName / ServiceCategory / ServiceSubcategory. */
export interface SampleService {
  name: string;
  /** FOCUS ServiceCategory, e.g. `Compute`, `AI and Machine Learning`. */
  category: string;
  /** FOCUS ServiceSubcategory, one of the values allowed under `category`. */
  subcategory: string;
  /** How much lower a weekend day is than a weekday (0.32 = 32 % lower); about 0 for storage-like services. */
  weekendDrop: number;
  /** What the service bills for; absent when it bills at account level (FOCUS ResourceId null). */
  resource?: SampleResource;
  sku: SampleSku;
  /** Machine sizes billed per hour; each usage line runs the one closest to its hourly list cost. */
  sizes?: SampleSize[];
  /** Region of a service billed globally (e.g. CloudFront); otherwise the sub-account's regions are used. */
  region?: string;
}

/** How the usage of one service in one sub-account is generated. */
export interface SampleUsage {
  /** Weekday cost per day at the end of the period, in the sub-account's currency, summed over its regions. */
  base: number;
  /** Growth per month as a fraction (0.04 = +4 %/month; negative declines). @defaultValue 0.01 */
  growth?: number;
  /** Emit 24 hourly rows per day instead of one daily row. @defaultValue false */
  hourly?: boolean;
  /** Usage paid by a commitment: BilledCost 0, EffectiveCost = `base` per day (the amortised commitment, flat). */
  coveredBy?: 'savings-plan' | 'reservation';
  /** Resources per region the cost is spread over (each its own ResourceId and rows). @defaultValue 1 */
  resources?: number;
  /** Extra resource tags on these rows, besides the sub-account's team/env/cost-center. */
  tags?: Tag[];
}

/** An AWS account, Azure subscription or Google Cloud project. */
export interface SampleSubAccount {
  id: string;
  name: string;
  team: string;
  env: 'prod' | 'staging' | 'dev';
  costCenter: string;
  /** FOCUS BillingCurrency of this sub-account's rows. */
  currency: string;
  /** One or two regions; usage is split 65/35 over two. */
  regions: string[];
  /** Service name → weekday cost per day, or full options. */
  usage: Record<string, number | SampleUsage>;
}

/** A provider with its one billing account. */
export interface SampleProvider {
  name: 'AWS' | 'Microsoft' | 'Google Cloud';
  billingAccountId: string;
  billingAccountName: string;
  /** FOCUS BillingAccountType and SubAccountType, as the provider names them. */
  billingAccountType: string;
  subAccountType: string;
  /** The tag key holding a resource's display name: `Name` on AWS, a lower-case `name` label elsewhere. */
  nameTag: string;
  /**
   * How the provider's export writes a null cell: empty, or the literal `NULL` (as the FinOps Foundation's sample
   * data does). Both are FOCUS null.
   */
  nullToken: '' | 'NULL';
  /** InvoiceId shape: a prefix and that many digits. */
  invoice: { prefix: string; digits: number };
  /** Negotiated discount off list price for on-demand usage: ContractedUnitPrice = ListUnitPrice × (1 − discount). */
  discount: number;
  /** Decimal places of the amortised commitment cost of covered usage (other costs are a price times a quantity). */
  decimals: number;
  /** Monthly tax rate per billing currency, applied to the month's BilledCost. */
  taxRates: Record<string, number>;
  /** FOCUS RegionName of each RegionId. */
  regionNames: Record<string, string>;
  services: SampleService[];
  subAccounts: SampleSubAccount[];
}

/** Every price list here is in USD; a row billed in another currency has PricingCurrency USD. */
export const PRICING_CURRENCY = 'USD';

/** USD per unit of a billing currency, fixed over the sample period (FOCUS PricingCurrency* columns). */
export const USD_PER: Record<string, number> = { USD: 1, EUR: 1.0842 };

type Owner = [team: string, env: SampleSubAccount['env'], costCenter: string, currency?: string];

interface ServiceSpec {
  resource?: SampleResource;
  sku: SampleSku;
  sizes?: SampleSize[];
  region?: string;
}

function svc(
  name: string,
  [category, subcategory]: [string, string],
  weekendDrop: number,
  spec: ServiceSpec,
): SampleService {
  return { name, category, subcategory, weekendDrop, ...spec };
}

function account(
  id: string,
  name: string,
  owner: Owner,
  regions: string[],
  usage: Record<string, number | SampleUsage>,
): SampleSubAccount {
  const [team, env, costCenter, currency = 'USD'] = owner;
  return { id, name, team, env, costCenter, currency, regions, usage };
}

/** A SKU priced per hour of a machine size: its meter, quantity in hours. */
const hourly = (meter: string): SampleSku => ({ meter, unit: 'Hours', price: 0, quantityDecimals: 4 });
const sizes = (...list: [string, number, number, number][]): SampleSize[] =>
  list.map(([type, price, cores, memory]) => ({ type, price, cores, memory }));
/** A SKU priced per block of units, e.g. `1000000 Requests` consumed as `Requests`. */
const per = (meter: string, block: number, unit: string, price: number): SampleSku => ({
  meter,
  unit: `${block} ${unit}`,
  price,
  quantityDecimals: 6,
  consumed: { unit, perPricingUnit: block },
});
const sku = (meter: string, unit: string, price: number, quantityDecimals: number, details?: SampleSku['details']) =>
  details ? { meter, unit, price, quantityDecimals, details } : { meter, unit, price, quantityDecimals };

const k8s = (cluster: string): Tag => ({ key: 'kubernetes.io/cluster', value: cluster });
const arn = (service: string): string => `arn:aws:${service}:{region}:{account}:`;
const AZ_RG = '/subscriptions/{account}/resourceGroups/rg-{name}/providers/Microsoft.';
const GCP = (service: string): string => `//${service}.googleapis.com/projects/{account}/`;

const PAYMENTS_PROD = '483920175634';
const ERP_PROD = 'b4f1c2d3-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const ERP_EU_PROD = '7d3e9a10-2b4c-4e5f-9a6b-1c2d3e4f5a6b';
const IDENTITY_STAGING = 'c9a8b7d6-e5f4-4321-8765-0fedcba98765';
const AI_ASSISTANT_DEV = 'e1d2c3b4-a596-4788-9a0b-c1d2e3f4a5b6';
const ML_RESEARCH = 'ml-research-2214';

/** A commitment discount as its FOCUS CommitmentDiscount* columns describe it. */
export interface SampleCommitment {
  subAccountId: string;
  /** ServiceName of its purchase rows. */
  serviceName: string;
  /** Discount off list price of the usage it covers. */
  discount: number;
  /** FOCUS CommitmentDiscountName, CommitmentDiscountType and CommitmentDiscountCategory. */
  name: string;
  type: string;
  category: 'Spend' | 'Usage';
  /** FOCUS CommitmentDiscountUnit: the billing currency for a spend commitment, hours for a reservation. */
  unit: string;
  /** FOCUS SkuMeter of its purchase rows. */
  meter: string;
}

/** Commitment purchases and credits layered on top of usage. */
export const SAMPLE_COMMITMENTS = {
  /** A Compute Savings Plan billed monthly (Purchase) that pays for the `coveredBy: 'savings-plan'` usage. */
  savingsPlan: {
    subAccountId: PAYMENTS_PROD,
    serviceName: 'Savings Plans for AWS Compute usage',
    discount: 0.28,
    name: 'payments-prod-compute-sp',
    type: 'Compute Savings Plan',
    category: 'Spend',
    unit: 'USD',
    meter: 'Savings Plan Commitment Hours',
  } satisfies SampleCommitment,
  /** A one-year VM reservation paid up front, renewed every year on `renewsOn` (MM-DD). */
  reservation: {
    subAccountId: ERP_PROD,
    serviceName: 'Virtual Machines',
    discount: 0.41,
    name: 'erp-prod-vm-reservation',
    type: 'Reservation',
    category: 'Usage',
    unit: 'Hours',
    meter: 'Reserved VM Instance, 1 Year',
    renewsOn: '04-01',
  } satisfies SampleCommitment & { renewsOn: string },
  /** A promotional credit posted on the 1st of every month. */
  credit: { subAccountId: ML_RESEARCH, serviceName: 'Vertex AI', monthlyAmount: 750 },
} as const;

const AWS: SampleProvider = {
  name: 'AWS',
  billingAccountId: '842196537001',
  billingAccountName: 'Acme Shop AWS Organization',
  billingAccountType: 'Management Account',
  subAccountType: 'Member Account',
  nameTag: 'Name',
  nullToken: '',
  invoice: { prefix: '', digits: 10 },
  discount: 0.06,
  decimals: 10,
  taxRates: { USD: 0.0625 },
  regionNames: {
    'us-east-1': 'US East (N. Virginia)',
    'us-west-2': 'US West (Oregon)',
    'eu-west-1': 'Europe (Ireland)',
    global: 'Global',
  },
  services: [
    svc('Amazon Elastic Compute Cloud', ['Compute', 'Virtual Machines'], 0.32, {
      resource: { type: 'Instance', name: '{name}-app-{n}', id: 'i-0{hex16}', zonal: true },
      sku: hourly('Linux/UNIX On Demand Instance Hour'),
      sizes: sizes(
        ['m5.xlarge', 0.192, 4, 16],
        ['m5.4xlarge', 0.768, 16, 64],
        ['r5.8xlarge', 2.016, 32, 256],
        ['m5.24xlarge', 4.608, 96, 384],
        ['r5.24xlarge', 6.048, 96, 768],
        ['p3.8xlarge', 12.24, 32, 244],
      ),
    }),
    svc('AWS Lambda', ['Compute', 'Serverless Compute'], 0.36, {
      resource: { type: 'Function', name: '{name}-handler-{n}', id: `${arn('lambda')}function:{resource}` },
      sku: sku('Lambda Duration', 'GB-Seconds', 0.0000166667, 1),
    }),
    svc('Amazon Elastic Kubernetes Service', ['Compute', 'Containers'], 0.28, {
      resource: { type: 'Cluster', name: '{name}-eks-{n}', id: `${arn('eks')}cluster/{resource}` },
      sku: sku('Fargate vCPU Hours', 'vCPU-Hours', 0.04048, 4),
    }),
    svc('Amazon Simple Storage Service', ['Storage', 'Object Storage'], 0.01, {
      resource: { type: 'Bucket', name: '{name}-assets-{hex6}', id: 'arn:aws:s3:::{resource}' },
      sku: sku('Standard Storage', 'GB-Months', 0.023, 6, { StorageClass: 'Standard', Redundancy: 'Zonal' }),
    }),
    svc('Amazon Relational Database Service', ['Databases', 'Relational Databases'], 0.04, {
      resource: { type: 'DB Instance', name: '{name}-db-{n}', id: `${arn('rds')}db:{resource}`, zonal: true },
      sku: hourly('Multi-AZ PostgreSQL Instance Hour'),
      sizes: sizes(
        ['db.r5.large', 0.5, 2, 16],
        ['db.r5.2xlarge', 2, 8, 64],
        ['db.r5.4xlarge', 4, 16, 128],
        ['db.r5.8xlarge', 8, 32, 256],
        ['db.r5.16xlarge', 16, 64, 512],
      ),
    }),
    svc('Amazon DynamoDB', ['Databases', 'NoSQL Databases'], 0.15, {
      resource: { type: 'Table', name: '{name}-orders-{n}', id: `${arn('dynamodb')}table/{resource}` },
      sku: per('On-Demand Write Request Units', 1000000, 'Requests', 1.25),
    }),
    svc('Amazon ElastiCache', ['Databases', 'Caching'], 0.03, {
      resource: {
        type: 'Cache Cluster',
        name: '{name}-cache-{n}',
        id: `${arn('elasticache')}cluster:{resource}`,
        zonal: true,
      },
      sku: hourly('Cache Node Hour'),
      sizes: sizes(
        ['cache.r6g.large', 0.206, 2, 13],
        ['cache.r6g.xlarge', 0.411, 4, 26],
        ['cache.r6g.2xlarge', 0.821, 8, 52],
        ['cache.r6g.4xlarge', 1.642, 16, 105],
      ),
    }),
    svc('Amazon CloudFront', ['Networking', 'Content Delivery'], 0.12, {
      resource: { type: 'Distribution', name: '{name}-cdn', id: 'arn:aws:cloudfront::{account}:distribution/E{HEX13}' },
      sku: sku('Data Transfer Out to Internet', 'GB', 0.085, 6),
      region: 'global',
    }),
    svc('Amazon Route 53', ['Networking', 'Network Routing'], 0.05, {
      resource: { type: 'Hosted Zone', name: '{name}.acme-shop.example', id: 'arn:aws:route53:::hostedzone/Z{HEX20}' },
      sku: per('DNS Queries', 1000000, 'Queries', 0.4),
      region: 'global',
    }),
    svc('Amazon Virtual Private Cloud', ['Networking', 'Network Infrastructure'], 0.15, {
      resource: { type: 'NAT Gateway', name: '{name}-nat-{n}', id: `${arn('ec2')}natgateway/nat-0{hex16}` },
      sku: sku('NAT Gateway Data Processed', 'GB', 0.045, 6),
    }),
    svc('Amazon CloudWatch', ['Management and Governance', 'Observability'], 0.1, {
      sku: sku('Log Data Ingested', 'GB', 0.5, 6),
    }),
    svc('AWS Key Management Service', ['Security', 'Secret Management'], 0, {
      resource: { type: 'Key', name: 'alias/{name}-key-{n}', id: `${arn('kms')}key/{uuid}` },
      sku: per('API Requests', 10000, 'Requests', 0.03),
    }),
    svc('AWS WAF', ['Security', 'Threat Detection and Response'], 0.08, {
      resource: { type: 'Web ACL', name: '{name}-acl-{n}', id: `${arn('wafv2')}regional/webacl/{resource}/{uuid}` },
      sku: per('Web ACL Requests', 1000000, 'Requests', 0.6),
    }),
    svc('Amazon SageMaker', ['AI and Machine Learning', 'Machine Learning'], 0.38, {
      resource: { type: 'Endpoint', name: '{name}-endpoint-{n}', id: `${arn('sagemaker')}endpoint/{resource}` },
      sku: hourly('Hosting Instance Hour'),
      sizes: sizes(
        ['ml.m5.xlarge', 0.23, 4, 16],
        ['ml.g4dn.xlarge', 0.7364, 4, 16],
        ['ml.g5.4xlarge', 2.03, 16, 64],
        ['ml.g5.12xlarge', 7.09, 48, 192],
      ),
    }),
    svc('Amazon Athena', ['Analytics', 'Analytics Platforms'], 0.35, {
      sku: sku('Data Scanned', 'TB', 5, 6),
    }),
  ],
  subAccounts: [
    account(PAYMENTS_PROD, 'payments-prod', ['payments', 'prod', 'CC-1001'], ['us-east-1'], {
      'Amazon Elastic Compute Cloud': { base: 300, coveredBy: 'savings-plan', resources: 2 },
      'Amazon Elastic Kubernetes Service': { base: 72, tags: [k8s('payments-eks')] },
      'Amazon Relational Database Service': 420,
      'Amazon DynamoDB': 95,
      'AWS Lambda': 60,
      'Amazon Simple Storage Service': 70,
      'Amazon CloudWatch': 45,
      'AWS Key Management Service': 12,
      'Amazon Virtual Private Cloud': 80,
      'Amazon ElastiCache': 55,
      'AWS WAF': 18,
    }),
    account('571204938862', 'payments-staging', ['payments', 'staging', 'CC-1001'], ['us-east-1'], {
      'Amazon Elastic Compute Cloud': 140,
      'Amazon Relational Database Service': 85,
      'AWS Lambda': 12,
      'Amazon Simple Storage Service': 15,
      'Amazon CloudWatch': 10,
      'Amazon Virtual Private Cloud': 22,
      'Amazon DynamoDB': 9,
    }),
    account('309817446251', 'data-platform-prod', ['data', 'prod', 'CC-1004'], ['us-east-1', 'us-west-2'], {
      'Amazon Elastic Compute Cloud': { base: 380, growth: 0.03, resources: 2 },
      'Amazon Simple Storage Service': { base: 260, growth: 0.04 },
      'Amazon Athena': 110,
      'Amazon SageMaker': { base: 190, growth: 0.06 },
      'Amazon CloudWatch': 30,
      // The one declining service: the team is migrating off this cache.
      'Amazon ElastiCache': { base: 140, growth: -0.07 },
      'Amazon Virtual Private Cloud': 40,
      'AWS Key Management Service': 8,
    }),
    account('762450183390', 'web-storefront-prod', ['storefront', 'prod', 'CC-1002'], ['us-east-1', 'eu-west-1'], {
      'Amazon Elastic Compute Cloud': { base: 640, growth: 0.02, resources: 3, tags: [k8s('storefront-eks')] },
      'Amazon Elastic Kubernetes Service': { base: 144, tags: [k8s('storefront-eks')] },
      'Amazon CloudFront': 210,
      'Amazon Route 53': 6,
      'Amazon Simple Storage Service': 90,
      'Amazon Relational Database Service': 260,
      'Amazon ElastiCache': 75,
      'AWS Lambda': 35,
      'AWS WAF': 25,
      'Amazon CloudWatch': 40,
      'Amazon Virtual Private Cloud': 95,
    }),
  ],
};

const MICROSOFT: SampleProvider = {
  name: 'Microsoft',
  billingAccountId: '7f3c2a91-5b4e-4d8a-9c61-2e8f0b3d7a45:1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9_2019-05-31',
  billingAccountName: 'Acme Shop MCA',
  billingAccountType: 'Billing Account',
  subAccountType: 'Subscription',
  nameTag: 'name',
  nullToken: 'NULL',
  invoice: { prefix: 'G', digits: 9 },
  discount: 0.04,
  decimals: 8,
  taxRates: { USD: 0.07, EUR: 0.19 },
  regionNames: {
    eastus: 'East US',
    eastus2: 'East US 2',
    westeurope: 'West Europe',
    northeurope: 'North Europe',
  },
  services: [
    svc('Virtual Machines', ['Compute', 'Virtual Machines'], 0.3, {
      resource: { type: 'Virtual Machine', name: 'vm-{name}-{n}', id: `${AZ_RG}Compute/virtualMachines/{resource}` },
      sku: hourly('Virtual Machines Compute Hours'),
      sizes: sizes(
        ['Standard_D2s_v5', 0.096, 2, 8],
        ['Standard_D8s_v5', 0.384, 8, 32],
        ['Standard_D16s_v5', 0.768, 16, 64],
        ['Standard_E32s_v5', 2.016, 32, 256],
        ['Standard_D64s_v5', 3.072, 64, 256],
        ['Standard_M64s', 6.669, 64, 1024],
      ),
    }),
    svc('Azure Kubernetes Service', ['Compute', 'Containers'], 0.27, {
      resource: {
        type: 'Managed Cluster',
        name: 'aks-{name}-{n}',
        id: `${AZ_RG}ContainerService/managedClusters/{resource}`,
      },
      sku: sku('Virtual Node vCPU Duration', 'vCPU-Hours', 0.0405, 4),
    }),
    svc('Functions', ['Compute', 'Serverless Compute'], 0.38, {
      resource: { type: 'Function App', name: 'func-{name}-{hex4}', id: `${AZ_RG}Web/sites/{resource}` },
      sku: sku('Execution Time', 'GB-Seconds', 0.000016, 1),
    }),
    svc('Azure App Service', ['Web', 'Application Platforms'], 0.25, {
      resource: { type: 'App Service Plan', name: 'asp-{name}-{n}', id: `${AZ_RG}Web/serverFarms/{resource}` },
      sku: hourly('Premium v3 App Service Hours'),
      sizes: sizes(['P1v3', 0.248, 2, 8], ['P2v3', 0.496, 4, 16], ['P3v3', 0.992, 8, 32]),
    }),
    svc('Storage', ['Storage', 'Object Storage'], 0.02, {
      resource: { type: 'Storage Account', name: 'st{hex10}', id: `${AZ_RG}Storage/storageAccounts/{resource}` },
      sku: sku('Hot LRS Data Stored', 'GB-Months', 0.0184, 6, { StorageClass: 'Hot', Redundancy: 'Local' }),
    }),
    svc('Azure SQL Database', ['Databases', 'Relational Databases'], 0.05, {
      resource: {
        type: 'SQL Database',
        name: '{name}-db-{n}',
        id: `${AZ_RG}Sql/servers/sql-{name}-{n}/databases/{resource}`,
      },
      sku: sku('General Purpose vCore', 'vCore-Hours', 0.2523, 4),
    }),
    svc('Azure Cosmos DB', ['Databases', 'NoSQL Databases'], 0.12, {
      resource: {
        type: 'Database Account',
        name: 'cosmos-{name}-{n}',
        id: `${AZ_RG}DocumentDB/databaseAccounts/{resource}`,
      },
      sku: per('Serverless Request Units', 1000000, 'Request Units', 0.25),
    }),
    svc('Bandwidth', ['Networking', 'Network Connectivity'], 0.15, {
      sku: sku('Standard Data Transfer Out', 'GB', 0.087, 6),
    }),
    svc('Azure Monitor', ['Management and Governance', 'Observability'], 0.1, {
      sku: sku('Analytics Logs Data Ingestion', 'GB', 2.3, 6),
    }),
    svc('Log Analytics', ['Management and Governance', 'Observability'], 0.12, {
      resource: { type: 'Workspace', name: 'log-{name}-{n}', id: `${AZ_RG}OperationalInsights/workspaces/{resource}` },
      sku: sku('Pay-as-you-go Data Ingestion', 'GB', 2.76, 6),
    }),
    svc('Key Vault', ['Security', 'Secret Management'], 0, {
      resource: { type: 'Key Vault', name: 'kv-{name}-{hex4}', id: `${AZ_RG}KeyVault/vaults/{resource}` },
      sku: per('Operations', 10000, 'Operations', 0.03),
    }),
    svc('Microsoft Defender for Cloud', ['Security', 'Security Posture Management'], 0, {
      sku: sku('Defender for Servers Plan 2', 'Server-Hours', 0.02, 4),
    }),
    svc('Azure OpenAI Service', ['AI and Machine Learning', 'Generative AI'], 0.4, {
      resource: {
        type: 'Cognitive Services Account',
        name: 'oai-{name}-{n}',
        id: `${AZ_RG}CognitiveServices/accounts/{resource}`,
      },
      sku: per('gpt-4o Input Tokens', 1000, 'Tokens', 0.0025),
    }),
    svc('Azure Synapse Analytics', ['Analytics', 'Analytics Platforms'], 0.3, {
      resource: { type: 'Synapse Workspace', name: 'syn-{name}-{n}', id: `${AZ_RG}Synapse/workspaces/{resource}` },
      sku: sku('Apache Spark Pool vCore', 'vCore-Hours', 0.143, 4),
    }),
  ],
  subAccounts: [
    account(ERP_PROD, 'erp-prod', ['finance-systems', 'prod', 'CC-2001'], ['eastus'], {
      'Virtual Machines': { base: 240, coveredBy: 'reservation', resources: 2 },
      'Azure SQL Database': 310,
      Storage: 65,
      'Azure App Service': 120,
      'Azure Monitor': 25,
      Bandwidth: 30,
      'Key Vault': 4,
      'Log Analytics': 45,
    }),
    // The one sub-account billed in EUR, so per-currency totals are exercised.
    account(ERP_EU_PROD, 'erp-eu-prod', ['finance-systems', 'prod', 'CC-2002', 'EUR'], ['westeurope', 'northeurope'], {
      'Virtual Machines': { base: 280, resources: 2 },
      'Azure SQL Database': 190,
      Storage: { base: 55, growth: 0.03 },
      'Azure App Service': 70,
      'Azure Monitor': 14,
      Bandwidth: 18,
      'Key Vault': 3,
      'Microsoft Defender for Cloud': 22,
    }),
    account(IDENTITY_STAGING, 'identity-staging', ['identity', 'staging', 'CC-2003'], ['eastus'], {
      'Virtual Machines': 75,
      Functions: 14,
      'Azure Cosmos DB': 48,
      Storage: 12,
      'Azure Monitor': 6,
      'Key Vault': 2,
    }),
    account(AI_ASSISTANT_DEV, 'ai-assistant-dev', ['ml', 'dev', 'CC-2004'], ['eastus2'], {
      'Azure OpenAI Service': { base: 160, growth: 0.08 },
      'Azure Kubernetes Service': { base: 95, tags: [k8s('aks-ai-assistant-dev')] },
      'Virtual Machines': 110,
      Storage: 20,
      'Azure Cosmos DB': 35,
      'Azure Synapse Analytics': 65,
      'Log Analytics': 12,
    }),
  ],
};

const GOOGLE: SampleProvider = {
  name: 'Google Cloud',
  billingAccountId: '01A2B3-C4D5E6-F7A8B9',
  billingAccountName: 'Acme Shop GCP',
  billingAccountType: 'Billing Account',
  subAccountType: 'Project',
  nameTag: 'name',
  nullToken: '',
  invoice: { prefix: '', digits: 10 },
  discount: 0.03,
  decimals: 6,
  taxRates: { USD: 0.05 },
  regionNames: { 'us-central1': 'Iowa', 'europe-west1': 'Belgium' },
  services: [
    svc('Compute Engine', ['Compute', 'Virtual Machines'], 0.33, {
      resource: {
        type: 'Compute Instance',
        name: '{name}-vm-{n}',
        id: `${GCP('compute')}zones/{zone}/instances/{resource}`,
        zonal: true,
      },
      sku: hourly('Instance Core and RAM running'),
      sizes: sizes(
        ['e2-standard-4', 0.134012, 4, 16],
        ['n2-standard-16', 0.776944, 16, 64],
        ['n2-standard-32', 1.553888, 32, 128],
        ['n2-highmem-64', 4.189056, 64, 512],
        ['a2-highgpu-4g', 14.69304, 48, 340],
      ),
    }),
    svc('Kubernetes Engine', ['Compute', 'Containers'], 0.3, {
      resource: {
        type: 'Cluster',
        name: '{name}-gke-{n}',
        id: `${GCP('container')}locations/{region}/clusters/{resource}`,
      },
      sku: sku('Autopilot Pod vCPU Requests', 'vCPU-Hours', 0.0445, 4),
    }),
    svc('Cloud Run', ['Compute', 'Serverless Compute'], 0.36, {
      resource: { type: 'Service', name: '{name}-api-{n}', id: `${GCP('run')}locations/{region}/services/{resource}` },
      sku: sku('CPU Allocation Time', 'vCPU-Seconds', 0.000024, 0),
    }),
    svc('Cloud Storage', ['Storage', 'Object Storage'], 0.01, {
      resource: {
        type: 'Bucket',
        name: '{account}-{hex6}',
        id: '//storage.googleapis.com/projects/_/buckets/{resource}',
      },
      sku: sku('Standard Storage', 'GiB-Months', 0.02, 6, { StorageClass: 'Standard', Redundancy: 'Regional' }),
    }),
    svc('Cloud SQL', ['Databases', 'Relational Databases'], 0.05, {
      resource: { type: 'Instance', name: '{name}-pg-{n}', id: `${GCP('cloudsql')}instances/{resource}`, zonal: true },
      sku: sku('Enterprise vCPU', 'vCPU-Hours', 0.0413, 4),
    }),
    svc('Networking', ['Networking', 'Network Connectivity'], 0.15, {
      sku: sku('Network Internet Data Transfer Out', 'GiB', 0.12, 6),
    }),
    svc('Cloud Logging', ['Management and Governance', 'Observability'], 0.12, {
      sku: sku('Log Storage', 'GiB', 0.5, 6),
    }),
    svc('Cloud Monitoring', ['Management and Governance', 'Observability'], 0.05, {
      sku: sku('Metric Volume', 'MiB', 0.258, 6),
    }),
    svc('Cloud Pub/Sub', ['Integration', 'Messaging'], 0.2, {
      resource: { type: 'Topic', name: '{name}-events-{n}', id: `${GCP('pubsub')}topics/{resource}` },
      sku: sku('Message Delivery Basic', 'TiB', 40, 6),
    }),
    svc('Cloud Composer', ['Integration', 'Workflow Orchestration'], 0.1, {
      resource: {
        type: 'Environment',
        name: '{name}-composer-{n}',
        id: `${GCP('composer')}locations/{region}/environments/{resource}`,
      },
      sku: sku('Cloud Composer Compute vCPU', 'vCPU-Hours', 0.045, 4),
    }),
    svc('Secret Manager', ['Security', 'Secret Management'], 0, {
      sku: per('Secret Access Operations', 10000, 'Operations', 0.03),
    }),
    svc('BigQuery', ['Analytics', 'Analytics Platforms'], 0.3, {
      resource: { type: 'Dataset', name: 'ds_{hex6}', id: `${GCP('bigquery')}datasets/{resource}` },
      sku: sku('Analysis', 'TiB', 6.25, 6),
    }),
    svc('Dataflow', ['Analytics', 'Data Processing'], 0.2, {
      resource: { type: 'Job', name: '{name}-etl-{n}', id: `${GCP('dataflow')}locations/{region}/jobs/{resource}` },
      sku: sku('vCPU Time Batch', 'vCPU-Hours', 0.056, 4),
    }),
    svc('Vertex AI', ['AI and Machine Learning', 'AI Platforms'], 0.38, {
      resource: {
        type: 'Endpoint',
        name: '{name}-endpoint-{n}',
        id: `${GCP('aiplatform')}locations/{region}/endpoints/{hex12}`,
      },
      sku: sku('Online Prediction Node', 'Node-Hours', 1.3, 4),
    }),
  ],
  subAccounts: [
    account('shop-prod-4821', 'shop-prod', ['storefront', 'prod', 'CC-1002'], ['us-central1', 'europe-west1'], {
      // Emitted hourly, as the Cloud Billing BigQuery export does.
      'Compute Engine': { base: 420, hourly: true },
      'Kubernetes Engine': {
        base: 180,
        tags: [
          { key: 'goog-k8s-cluster-name', value: 'shop-gke' },
          { key: 'app.kubernetes.io/part-of', value: 'storefront' },
        ],
      },
      'Cloud SQL': 150,
      'Cloud Storage': 45,
      Networking: 85,
      'Cloud Run': 60,
      'Cloud Logging': 22,
      'Cloud Monitoring': 9,
      'Cloud Pub/Sub': 14,
      'Secret Manager': 1.5,
    }),
    account('shop-staging-1937', 'shop-staging', ['storefront', 'staging', 'CC-1002'], ['us-central1'], {
      'Compute Engine': 90,
      'Kubernetes Engine': 40,
      'Cloud SQL': 35,
      'Cloud Storage': 8,
      'Cloud Run': 12,
      'Cloud Logging': 6,
      Networking: 10,
    }),
    account('analytics-prod-7730', 'analytics-prod', ['data', 'prod', 'CC-1004'], ['us-central1'], {
      BigQuery: { base: 380, growth: 0.05 },
      'Cloud Storage': { base: 120, growth: 0.04 },
      Dataflow: 95,
      'Cloud Composer': 42,
      'Cloud Pub/Sub': 30,
      'Cloud Logging': 15,
      'Compute Engine': 60,
    }),
    account(ML_RESEARCH, 'ml-research', ['ml', 'dev', 'CC-1006'], ['europe-west1', 'us-central1'], {
      'Vertex AI': { base: 230, growth: 0.06, tags: [{ key: 'ml.acme.dev/experiment', value: 'ranker-v3' }] },
      'Compute Engine': { base: 150, resources: 2 },
      'Cloud Storage': 40,
      BigQuery: 25,
      'Cloud Logging': 5,
      Networking: 12,
    }),
  ],
};

/** The three providers of the sample dataset, in output order. */
export const SAMPLE_PROVIDERS: readonly SampleProvider[] = [AWS, MICROSOFT, GOOGLE];
