import type { Tag } from '../cost-record.types.js';

/**
 * The static catalog behind the built-in sample dataset: three providers (FOCUS ProviderName values), their billing
 * accounts, sub-accounts (AWS accounts, Azure subscriptions, Google Cloud projects) with owner tags, the services
 * each sub-account uses, and what they cost on a normal weekday at the end of the sample period.
 */

/** A service as it appears in FOCUS ServiceName / ServiceCategory. */
export interface SampleService {
  name: string;
  /** FOCUS ServiceCategory, e.g. `Compute`, `AI and Machine Learning`. */
  category: string;
  /** How much lower a weekend day is than a weekday (0.32 = 32 % lower); about 0 for storage-like services. */
  weekendDrop: number;
  /**
   * ResourceId template; `''` when the service bills at account level. Placeholders: `{account}` (sub-account id),
   * `{name}` (sub-account name), `{region}`, `{uuid}`, `{hexN}` / `{HEXN}` (N random lower/upper-case hex digits).
   */
  resource: string;
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
  /** Negotiated discount off list price for on-demand usage: ListCost = EffectiveCost / (1 − discount). */
  discount: number;
  /** Decimal places of amounts, as in the provider's real export. */
  decimals: number;
  /** Monthly tax rate per billing currency, applied to the month's BilledCost. */
  taxRates: Record<string, number>;
  services: SampleService[];
  subAccounts: SampleSubAccount[];
}

type Owner = [team: string, env: SampleSubAccount['env'], costCenter: string, currency?: string];

function svc(name: string, category: string, weekendDrop: number, resource: string, region?: string): SampleService {
  return region === undefined
    ? { name, category, weekendDrop, resource }
    : { name, category, weekendDrop, resource, region };
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

const k8s = (cluster: string): Tag => ({ key: 'kubernetes.io/cluster', value: cluster });
const arn = (service: string): string => `arn:aws:${service}:{region}:{account}:`;
const AZ_RG = '/subscriptions/{account}/resourceGroups/rg-{name}/providers/Microsoft.';

const PAYMENTS_PROD = '483920175634';
const ERP_PROD = 'b4f1c2d3-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const ERP_EU_PROD = '7d3e9a10-2b4c-4e5f-9a6b-1c2d3e4f5a6b';
const IDENTITY_STAGING = 'c9a8b7d6-e5f4-4321-8765-0fedcba98765';
const AI_ASSISTANT_DEV = 'e1d2c3b4-a596-4788-9a0b-c1d2e3f4a5b6';
const ML_RESEARCH = 'ml-research-2214';

/** Commitment purchases and credits layered on top of usage. */
export const SAMPLE_COMMITMENTS = {
  /** A Compute Savings Plan billed monthly (Purchase) that pays for the `coveredBy: 'savings-plan'` usage. */
  savingsPlan: { subAccountId: PAYMENTS_PROD, serviceName: 'Savings Plans for AWS Compute usage', discount: 0.28 },
  /** A one-year VM reservation paid up front, renewed every year on `renewsOn` (MM-DD). */
  reservation: { subAccountId: ERP_PROD, serviceName: 'Virtual Machines', renewsOn: '04-01', discount: 0.41 },
  /** A promotional credit posted on the 1st of every month. */
  credit: { subAccountId: ML_RESEARCH, serviceName: 'Vertex AI', monthlyAmount: 750 },
} as const;

const AWS: SampleProvider = {
  name: 'AWS',
  billingAccountId: '842196537001',
  billingAccountName: 'Acme Shop AWS Organization',
  discount: 0.06,
  decimals: 10,
  taxRates: { USD: 0.0625 },
  services: [
    svc('Amazon Elastic Compute Cloud', 'Compute', 0.32, 'i-0{hex16}'),
    svc('AWS Lambda', 'Compute', 0.36, `${arn('lambda')}function:{name}-handler`),
    svc('Amazon Elastic Kubernetes Service', 'Compute', 0.28, `${arn('eks')}cluster/{name}-eks`),
    svc('Amazon Simple Storage Service', 'Storage', 0.01, 'arn:aws:s3:::{name}-assets-{hex6}'),
    svc('Amazon Relational Database Service', 'Databases', 0.04, `${arn('rds')}db:{name}-db-1`),
    svc('Amazon DynamoDB', 'Databases', 0.15, `${arn('dynamodb')}table/{name}-orders`),
    svc('Amazon ElastiCache', 'Databases', 0.03, `${arn('elasticache')}cluster:{name}-cache-001`),
    svc('Amazon CloudFront', 'Networking', 0.12, 'arn:aws:cloudfront::{account}:distribution/E{HEX13}', 'global'),
    svc('Amazon Route 53', 'Networking', 0.05, 'arn:aws:route53:::hostedzone/Z{HEX20}', 'global'),
    svc('Amazon Virtual Private Cloud', 'Networking', 0.15, `${arn('ec2')}natgateway/nat-0{hex16}`),
    svc('Amazon CloudWatch', 'Management and Governance', 0.1, ''),
    svc('AWS Key Management Service', 'Security', 0, `${arn('kms')}key/{uuid}`),
    svc('AWS WAF', 'Security', 0.08, `${arn('wafv2')}regional/webacl/{name}-acl/{uuid}`),
    svc('Amazon SageMaker', 'AI and Machine Learning', 0.38, `${arn('sagemaker')}endpoint/{name}-endpoint`),
    svc('Amazon Athena', 'Analytics', 0.35, ''),
  ],
  subAccounts: [
    account(PAYMENTS_PROD, 'payments-prod', ['payments', 'prod', 'CC-1001'], ['us-east-1'], {
      'Amazon Elastic Compute Cloud': { base: 300, coveredBy: 'savings-plan' },
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
      'Amazon Elastic Compute Cloud': { base: 380, growth: 0.03 },
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
      'Amazon Elastic Compute Cloud': { base: 640, growth: 0.02, tags: [k8s('storefront-eks')] },
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
  discount: 0.04,
  decimals: 8,
  taxRates: { USD: 0.07, EUR: 0.19 },
  services: [
    svc('Virtual Machines', 'Compute', 0.3, `${AZ_RG}Compute/virtualMachines/vm-{name}-{hex4}`),
    svc('Azure Kubernetes Service', 'Compute', 0.27, `${AZ_RG}ContainerService/managedClusters/aks-{name}`),
    svc('Functions', 'Compute', 0.38, `${AZ_RG}Web/sites/func-{name}-{hex4}`),
    svc('Azure App Service', 'Web', 0.25, `${AZ_RG}Web/serverFarms/asp-{name}`),
    svc('Storage', 'Storage', 0.02, `${AZ_RG}Storage/storageAccounts/st{hex10}`),
    svc('Azure SQL Database', 'Databases', 0.05, `${AZ_RG}Sql/servers/sql-{name}/databases/{name}-db`),
    svc('Azure Cosmos DB', 'Databases', 0.12, `${AZ_RG}DocumentDB/databaseAccounts/cosmos-{name}`),
    svc('Bandwidth', 'Networking', 0.15, ''),
    svc('Azure Monitor', 'Management and Governance', 0.1, ''),
    svc('Log Analytics', 'Management and Governance', 0.12, `${AZ_RG}OperationalInsights/workspaces/log-{name}`),
    svc('Key Vault', 'Security', 0, `${AZ_RG}KeyVault/vaults/kv-{name}-{hex4}`),
    svc('Microsoft Defender for Cloud', 'Security', 0, ''),
    svc('Azure OpenAI Service', 'AI and Machine Learning', 0.4, `${AZ_RG}CognitiveServices/accounts/oai-{name}`),
    svc('Azure Synapse Analytics', 'Analytics', 0.3, `${AZ_RG}Synapse/workspaces/syn-{name}`),
  ],
  subAccounts: [
    account(ERP_PROD, 'erp-prod', ['finance-systems', 'prod', 'CC-2001'], ['eastus'], {
      'Virtual Machines': { base: 240, coveredBy: 'reservation' },
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
      'Virtual Machines': 280,
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
  discount: 0.03,
  decimals: 6,
  taxRates: { USD: 0.05 },
  services: [
    svc('Compute Engine', 'Compute', 0.33, 'projects/{account}/zones/{region}-b/instances/{name}-vm-{hex4}'),
    svc('Kubernetes Engine', 'Compute', 0.3, 'projects/{account}/locations/{region}/clusters/{name}-gke'),
    svc('Cloud Run', 'Compute', 0.36, 'projects/{account}/locations/{region}/services/{name}-api'),
    svc('Cloud Storage', 'Storage', 0.01, 'projects/_/buckets/{account}-{hex6}'),
    svc('Cloud SQL', 'Databases', 0.05, 'projects/{account}/instances/{name}-pg-{hex4}'),
    svc('Networking', 'Networking', 0.15, ''),
    svc('Cloud Logging', 'Management and Governance', 0.12, ''),
    svc('Cloud Monitoring', 'Management and Governance', 0.05, ''),
    svc('Cloud Pub/Sub', 'Integration', 0.2, 'projects/{account}/topics/{name}-events'),
    svc('Cloud Composer', 'Integration', 0.1, 'projects/{account}/locations/{region}/environments/{name}-composer'),
    svc('Secret Manager', 'Security', 0, ''),
    svc('BigQuery', 'Analytics', 0.3, 'projects/{account}/datasets/ds_{hex6}'),
    svc('Dataflow', 'Analytics', 0.2, 'projects/{account}/locations/{region}/jobs/{name}-etl'),
    svc('Vertex AI', 'AI and Machine Learning', 0.38, 'projects/{account}/locations/{region}/endpoints/{hex12}'),
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
      'Compute Engine': 150,
      'Cloud Storage': 40,
      BigQuery: 25,
      'Cloud Logging': 5,
      Networking: 12,
    }),
  ],
};

/** The three providers of the sample dataset, in output order. */
export const SAMPLE_PROVIDERS: readonly SampleProvider[] = [AWS, MICROSOFT, GOOGLE];
