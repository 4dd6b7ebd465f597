import {
  type DimensionValuesWithAttributes,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
  type Group,
  type MetricValue,
} from '@aws-sdk/client-cost-explorer';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { withBreakdownOffsets } from '../../src/costs/breakdown-offsets.js';
import type { ChargeCategory, CostRecord } from '../../src/costs/cost-record.types.js';
import type { CostSource } from '../../src/costs/cost-source.port.js';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { addDays, type Day, dayOf, dayToDate } from '../../src/shared/day.js';
import { TallyError } from '../../src/shared/errors.js';
import type { AwsClients } from './aws-clients.js';
import { handleAwsError } from './aws-errors.js';

/** CE metric read as FOCUS EffectiveCost (amortised: commitments spread over the usage they cover). */
const EFFECTIVE = 'AmortizedCost';
/** CE metric read as FOCUS BilledCost (and ListCost: CE has no list price). */
const BILLED = 'UnblendedCost';
/** CE's REGION values for charges that have none. */
const NO_REGION = new Set(['global', 'NoRegion', '']);

/** FOCUS ServiceCategory by CE SERVICE name; first match wins, anything else is `Other`. */
const CATEGORIES: readonly [RegExp, string][] = [
  [/Elastic Compute Cloud|^EC2 |Lambda|Fargate|Elastic Container|Kubernetes|Lightsail|Batch/, 'Compute'],
  [/Simple Storage|Elastic File System|Glacier|Backup|FSx|Storage Gateway/, 'Storage'],
  [/Relational Database|DynamoDB|ElastiCache|Redshift|DocumentDB|Neptune|Keyspaces|MemoryDB/, 'Databases'],
  [/CloudFront|Route 53|Virtual Private Cloud|Load Balancing|Direct Connect|API Gateway|Data Transfer/, 'Networking'],
  [/CloudWatch|CloudTrail|AWS Config|Systems Manager|Control Tower/, 'Management and Governance'],
  [/Key Management|WAF|GuardDuty|Shield|Secrets Manager|Security Hub|Inspector|Certificate Manager/, 'Security'],
  [/SageMaker|Bedrock|Rekognition|Comprehend|Textract|Translate|Polly|Transcribe/, 'AI and Machine Learning'],
  [/Athena|Glue|Elastic MapReduce|Kinesis|QuickSight|OpenSearch|Managed Streaming/, 'Analytics'],
];

export interface AwsCostExplorerSourceOptions {
  /** The source of "today" for {@link AwsCostExplorerSource.accounts}' look-back window. @defaultValue the system clock */
  clock?: Clock;
  /**
   * FOCUS BillingAccountId of every record: the payer (management) account.
   * @defaultValue the account of the credentials, from STS GetCallerIdentity (CE is read from the payer account)
   */
  payerAccountId?: string;
  /** How many days back `accounts()` looks for linked accounts with costs. @defaultValue 35 */
  lookbackDays?: number;
  /**
   * Cost allocation tag keys (`TALLY_AWS_TAG_KEYS`): one more query per key and sync, grouped by `TAG:<key>` and
   * SERVICE, stored as breakdown rows (README.md#tags-and-resources-from-api-syncs). @defaultValue none
   */
  tagKeys?: readonly string[];
}

/**
 * Tally's {@link CostSource} on AWS Cost Explorer `GetCostAndUsage`: one linked account per sync,
 * DAILY, grouped by SERVICE and REGION, AmortizedCost as EffectiveCost and UnblendedCost as BilledCost and ListCost.
 * For each of `tagKeys`, one more query grouped by `TAG:<key>` and SERVICE gives that tag's values
 * ({@link withBreakdownOffsets}: the SERVICE × REGION rows stay the totals). Every page is a billed request ($0.01),
 * so a sync asks only for its own days.
 *
 * @example
 * const source = new AwsCostExplorerSource(createAwsClients(config.aws));
 * for await (const record of source.fetch('111122223333', { from: '2026-05-01', to: '2026-05-31' })) …
 */
export class AwsCostExplorerSource implements CostSource {
  readonly name = 'aws-ce';
  private readonly clock: Clock;
  private readonly lookbackDays: number;
  private readonly tagKeys: readonly string[];
  private payer: Promise<string> | undefined;
  /** Linked-account names seen in `DimensionValueAttributes` (CE returns them when grouping by LINKED_ACCOUNT). */
  private readonly accountNames = new Map<string, string>();

  constructor(
    private readonly clients: Pick<AwsClients, 'costExplorer' | 'sts'>,
    options: AwsCostExplorerSourceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.lookbackDays = options.lookbackDays ?? 35;
    this.tagKeys = [...new Set(options.tagKeys ?? [])];
    if (this.tagKeys.some((k) => k.trim() === '' || k.includes('$'))) {
      throw new TallyError('CONFIG_INVALID', 'A cost allocation tag key must not be empty nor contain `$`.');
    }
    if (!Number.isInteger(this.lookbackDays) || this.lookbackDays < 1) {
      throw new TallyError('CONFIG_INVALID', 'lookbackDays must be a whole number of days, at least 1.');
    }
    if (options.payerAccountId !== undefined) this.payer = Promise.resolve(options.payerAccountId);
  }

  /**
   * The LINKED_ACCOUNT values with costs in the last `lookbackDays` days (moto implements only `GetCostAndUsage` of
   * CE's read calls, so this groups costs rather than calling `GetDimensionValues`). Sorted, without duplicates.
   */
  async accounts(): Promise<string[]> {
    const today = dayOf(this.clock.now());
    const found = new Set<string>();
    const pages = this.pages({
      TimePeriod: { Start: addDays(today, -this.lookbackDays), End: today },
      Granularity: 'MONTHLY',
      Metrics: [BILLED],
      GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
    });
    for await (const page of pages) {
      for (const result of page.ResultsByTime ?? []) {
        for (const group of result.Groups ?? []) {
          const id = group.Keys?.[0];
          if (id) found.add(id);
        }
      }
    }
    return [...found].sort();
  }

  async *fetch(account: string, range: { from: Day; to: Day }): AsyncIterable<CostRecord> {
    const billingAccountId = await this.payerAccountId();
    const owner = { billingAccountId, subAccountId: account };
    yield* this.groups(
      account,
      range,
      [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'REGION' },
      ],
      owner,
      (group, day, names) => toCostRecord(group, day, names),
    );
    for (const key of this.tagKeys) {
      const tagged: CostRecord[] = [];
      const rows = this.groups(
        account,
        range,
        [
          { Type: 'TAG', Key: key },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ],
        owner,
        (group, day, names) => toTaggedRecord(key, group, day, names),
      );
      for await (const record of rows) tagged.push(record);
      yield* withBreakdownOffsets(tagged);
    }
  }

  /** The records of one DAILY query of one linked account, every page, as `toRecord` maps its groups. */
  private async *groups(
    account: string,
    range: { from: Day; to: Day },
    groupBy: NonNullable<GetCostAndUsageCommandInput['GroupBy']>,
    owner: { billingAccountId: string; subAccountId: string },
    toRecord: (group: Group, day: Day, account: AccountNames) => CostRecord | null,
  ): AsyncIterable<CostRecord> {
    const pages = this.pages({
      // End is exclusive in CE; the range is inclusive.
      TimePeriod: { Start: range.from, End: addDays(range.to, 1) },
      Granularity: 'DAILY',
      Metrics: [EFFECTIVE, BILLED],
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [account] } },
      GroupBy: groupBy,
    });
    for await (const page of pages) {
      const names = { ...owner, subAccountName: this.accountNames.get(account) ?? account };
      for (const result of page.ResultsByTime ?? []) {
        const day = result.TimePeriod?.Start;
        if (!day) continue;
        for (const group of result.Groups ?? []) {
          const record = toRecord(group, day, names);
          if (record) yield record;
        }
      }
    }
  }

  /** Every page of one query, following `NextPageToken` (CE has no paginator for it). */
  private async *pages(input: GetCostAndUsageCommandInput): AsyncIterable<GetCostAndUsageCommandOutput> {
    let token: string | undefined;
    do {
      let page: GetCostAndUsageCommandOutput;
      try {
        page = await this.clients.costExplorer.send(
          new GetCostAndUsageCommand(token === undefined ? input : { ...input, NextPageToken: token }),
        );
      } catch (err) {
        handleAwsError(err, 'GetCostAndUsage');
      }
      this.rememberNames(page.DimensionValueAttributes);
      yield page;
      token = page.NextPageToken || undefined;
    } while (token !== undefined);
  }

  private rememberNames(attributes: DimensionValuesWithAttributes[] | undefined): void {
    for (const { Value, Attributes } of attributes ?? []) {
      const name = Attributes?.description;
      if (Value && name) this.accountNames.set(Value, name);
    }
  }

  /** The payer account, from the options or STS (asked once; a failed call is asked again next time). */
  private payerAccountId(): Promise<string> {
    this.payer ??= this.callerAccount().catch((err: unknown) => {
      this.payer = undefined;
      throw err;
    });
    return this.payer;
  }

  private async callerAccount(): Promise<string> {
    try {
      const out = await this.clients.sts.send(new GetCallerIdentityCommand({}));
      if (!out.Account) throw new TallyError('CLOUD_FAILED', 'STS GetCallerIdentity returned no account');
      return out.Account;
    } catch (err) {
      return handleAwsError(err, 'GetCallerIdentity');
    }
  }
}

/** FOCUS ServiceCategory of a CE SERVICE name. */
function awsServiceCategory(service: string): string {
  return CATEGORIES.find(([pattern]) => pattern.test(service))?.[1] ?? 'Other';
}

/**
 * A CE amount string (`'0.0101516483'`) as a number. `Number()` gives the double nearest to the decimal CE prints (at
 * most 10 decimals), which is all a float can hold; no rounding on top, since scaling by 1e10 would lose digits above
 * about a million.
 */
function amount(metric: MetricValue | undefined): number {
  const value = Number(metric?.Amount ?? '0');
  if (!Number.isFinite(value)) {
    throw new TallyError('CLOUD_FAILED', `Cost Explorer returned a non-numeric amount: ${metric?.Amount}`);
  }
  return value === 0 ? 0 : value;
}

/** The FOCUS account columns of every record of one fetch. */
interface AccountNames {
  billingAccountId: string;
  subAccountId: string;
  subAccountName: string;
}

/**
 * One group of a `TAG:<key>` × SERVICE query as a record with that tag and no region; `null` for the untagged group
 * (CE's key is `<key>$` with nothing after it: that cost is already in the SERVICE × REGION rows) and for zero costs.
 */
function toTaggedRecord(key: string, group: Group, day: Day, account: AccountNames): CostRecord | null {
  const [tag = '', service = ''] = group.Keys ?? [];
  const value = tag.startsWith(`${key}$`) ? tag.slice(key.length + 1) : '';
  if (value === '') return null;
  const record = toCostRecord({ ...group, Keys: [service, ''] }, day, account);
  return record && { ...record, tags: [{ key, value }] };
}

/** One SERVICE × REGION group of one day as a FOCUS record; `null` when both costs are zero (CE lists such groups). */
function toCostRecord(group: Group, day: Day, account: AccountNames): CostRecord | null {
  const effective = group.Metrics?.[EFFECTIVE];
  const billed = group.Metrics?.[BILLED];
  const effectiveCost = amount(effective);
  const billedCost = amount(billed);
  if (effectiveCost === 0 && billedCost === 0) return null;
  const serviceName = group.Keys?.[0] ?? '';
  const region = group.Keys?.[1] ?? '';
  const chargeCategory: ChargeCategory = serviceName === 'Tax' ? 'Tax' : 'Usage';
  return {
    provider: 'AWS',
    ...account,
    serviceName,
    serviceCategory: awsServiceCategory(serviceName),
    region: NO_REGION.has(region) ? '' : region,
    resourceId: '',
    chargePeriodStart: dayToDate(day),
    chargePeriodEnd: dayToDate(addDays(day, 1)),
    chargeCategory,
    billedCost,
    effectiveCost,
    // CE has no list price: the on-demand (unblended) cost is the closest it offers.
    listCost: billedCost,
    currency: effective?.Unit ?? billed?.Unit ?? 'USD',
    tags: [],
  };
}
