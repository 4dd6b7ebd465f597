import type { CostManagementClient, QueryColumn, QueryDefinition, QueryResult } from '@azure/arm-costmanagement';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { AzureConfig } from '../../src/config/config.types.js';
import { withBreakdownOffsets } from '../../src/costs/breakdown-offsets.js';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import type { CostSource } from '../../src/costs/cost-source.port.js';
import { addDays, type Day, dayToDate, isDay } from '../../src/shared/day.js';
import { TallyError } from '../../src/shared/errors.js';
import { CompensatedSum } from '../../src/shared/money.js';
import {
  ARM_ENDPOINT,
  type CostManagementClientOptions,
  createCostManagementClient,
  isLoopbackHttp,
} from './azure-clients.js';
import { handleAzureError } from './azure-errors.js';

/** The two views of the same costs: ActualCost is what is invoiced, AmortizedCost spreads reservations over usage. */
type CostType = 'ActualCost' | 'AmortizedCost';
/** Cost column names Azure answers with for `{ name: 'Cost' }` (classic subscriptions say `PreTaxCost`). */
const COST_COLUMNS = ['cost', 'pretaxcost'];
/** ResourceLocation values of charges that have no region. */
const NO_REGION = new Set(['', 'global', 'unassigned', 'unknown']);

/** FOCUS ServiceCategory by Azure ServiceName; first match wins, anything else is `Other`. */
const CATEGORIES: readonly [RegExp, string][] = [
  [/Virtual Machines|Functions|App Service|Container|Kubernetes|Batch|Virtual Machine Scale Sets/, 'Compute'],
  [/Storage|Backup|Data Box|NetApp/, 'Storage'],
  [/SQL|Cosmos DB|Cache for Redis|Redis Cache|Database for/, 'Databases'],
  [/Bandwidth|Virtual Network|Load Balancer|Application Gateway|VPN|DNS|Front Door|CDN|ExpressRoute/, 'Networking'],
  [/Azure Monitor|Log Analytics|Automation|Advisor/, 'Management and Governance'],
  [/Key Vault|Defender|Sentinel|Security Center|Firewall/, 'Security'],
  [/OpenAI|Cognitive Services|Machine Learning|AI /, 'AI and Machine Learning'],
  [/Synapse|Data Factory|Databricks|Event Hubs|Stream Analytics|HDInsight|Data Explorer/, 'Analytics'],
];

export interface AzureCostSourceOptions extends CostManagementClientOptions {
  /**
   * FOCUS BillingAccountId of every record. A subscription-scope query does not name the billing account.
   * @defaultValue the subscription id
   */
  billingAccountId?: string;
  /**
   * Tag keys (`TALLY_AZURE_TAG_KEYS`): per key two more queries (ActualCost, AmortizedCost) grouped by the TagKey and
   * ServiceName, stored as breakdown rows (README.md#tags-and-resources-from-api-syncs). @defaultValue none
   */
  tagKeys?: readonly string[];
  /**
   * Read resource ids (`TALLY_AZURE_RESOURCES`): two more queries per sync grouped by ResourceId and ServiceName,
   * stored as breakdown rows like a tag key's. @defaultValue false
   */
  resources?: boolean;
}

/** One row of a query answer: a day × service × location (or tag value) in one currency. */
interface CostRow {
  day: Day;
  service: string;
  location: string;
  currency: string;
  cost: number;
  /** The TagValue of a TagKey grouping or the ResourceId of a resource grouping; `''` for cost without one. */
  detail?: string;
}

type Grouping = NonNullable<NonNullable<QueryDefinition['dataset']>['grouping']>;

/** A page of a query answer, as `query.usage` returns it or as read from a `nextLink` page. */
type Page = Pick<QueryResult, 'columns' | 'rows' | 'nextLink'>;

/**
 * Tally's {@link CostSource} on the Azure Cost Management query API: per subscription, two
 * Custom-timeframe Daily queries grouped by ServiceName and ResourceLocation — ActualCost (BilledCost, ListCost: the
 * query API has no list price) and AmortizedCost (EffectiveCost) — joined by day × service × location × currency.
 * For each of `tagKeys`, two more queries grouped by that TagKey and ServiceName give the tag's values
 * ({@link withBreakdownOffsets}: the service × location rows stay the totals); with `resources`, two more grouped by
 * ResourceId and ServiceName give the resource ids.
 * Pages are followed through `nextLink`, which the SDK does not do. Subscription names are not queried (that would
 * spend a rate-limited query per subscription): SubAccountName is the subscription id.
 */
export class AzureCostSource implements CostSource {
  readonly name = 'azure';
  private readonly client: CostManagementClient;
  private readonly origin: string;
  private readonly insecure: boolean;

  constructor(
    private readonly config: Pick<AzureConfig, 'subscriptionIds'>,
    credential: TokenCredential,
    private readonly options: AzureCostSourceOptions = {},
  ) {
    this.client = createCostManagementClient(credential, options);
    const endpoint = options.endpoint ?? ARM_ENDPOINT;
    this.origin = new URL(endpoint).origin;
    this.insecure = isLoopbackHttp(endpoint);
  }

  /** The configured subscription ids. */
  async accounts(): Promise<string[]> {
    return [...this.config.subscriptionIds];
  }

  async *fetch(account: string, range: { from: Day; to: Day }): AsyncIterable<CostRecord> {
    const byLocation: Grouping = [
      { type: 'Dimension', name: 'ServiceName' },
      { type: 'Dimension', name: 'ResourceLocation' },
    ];
    const actual = await this.rows(account, 'ActualCost', range, byLocation);
    const amortized = await this.rows(account, 'AmortizedCost', range, byLocation);
    const owner = {
      billingAccountId: this.options.billingAccountId ?? account,
      subAccountId: account,
      subAccountName: account,
    };
    for (const joined of joinByKey(actual, amortized)) yield toCostRecord(joined, owner);
    for (const key of new Set(this.options.tagKeys ?? [])) {
      const byTag = { type: 'TagKey', name: key };
      yield* await this.breakdown(account, range, owner, byTag, (value) => ({ tags: [{ key, value }] }));
    }
    if (this.options.resources) {
      const byResource = { type: 'Dimension', name: 'ResourceId' };
      yield* await this.breakdown(account, range, owner, byResource, (resourceId) => ({ resourceId }));
    }
  }

  /**
   * The breakdown of one subscription's costs by `detail` (a TagKey, or ResourceId) and ServiceName, both views
   * joined, with its offsets ({@link withBreakdownOffsets}). Rows without a value (cost without the tag, charges of
   * no resource) are left out: that cost is already in the service × location rows.
   */
  private async breakdown(
    account: string,
    range: { from: Day; to: Day },
    owner: { billingAccountId: string; subAccountId: string; subAccountName: string },
    detail: Grouping[number],
    withDetail: (value: string) => Partial<CostRecord>,
  ): Promise<CostRecord[]> {
    const grouping: Grouping = [detail, { type: 'Dimension', name: 'ServiceName' }];
    const valued = (rows: CostRow[]) => rows.filter((r) => r.detail).map((r) => ({ ...r, location: '' }));
    const actual = valued(await this.rows(account, 'ActualCost', range, grouping));
    const amortized = valued(await this.rows(account, 'AmortizedCost', range, grouping));
    const records = joinByKey(actual, amortized).map((j) => ({
      ...toCostRecord(j, owner),
      ...withDetail(j.detail ?? ''),
    }));
    return withBreakdownOffsets(records);
  }

  /** All rows of one query, every page. */
  private async rows(
    subscriptionId: string,
    type: CostType,
    range: { from: Day; to: Day },
    grouping: Grouping,
  ): Promise<CostRow[]> {
    const definition: QueryDefinition = {
      type,
      timeframe: 'Custom',
      timePeriod: { from: dayToDate(range.from), to: new Date(dayToDate(addDays(range.to, 1)).getTime() - 1000) },
      dataset: {
        granularity: 'Daily',
        aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
        grouping,
      },
    };
    // The path template is `/{scope}/…`: a scope with a leading `/` would go out as `//subscriptions/…`.
    const scope = `subscriptions/${encodeURIComponent(subscriptionId)}`;
    let page: Page;
    try {
      page = await this.client.query.usage(scope, definition);
    } catch (err) {
      handleAzureError(err, `Query.Usage ${type}`);
    }
    const rows = readRows(page);
    while (page.nextLink) {
      page = await this.nextPage(page.nextLink, definition, type);
      rows.push(...readRows(page));
    }
    return rows;
  }

  /** POSTs the same query to `nextLink` (it carries a `$skiptoken`) through the client's pipeline: auth, retries. */
  private async nextPage(nextLink: string, definition: QueryDefinition, type: CostType): Promise<Page> {
    if (new URL(nextLink).origin !== this.origin) {
      throw new TallyError('CLOUD_FAILED', 'Azure returned a nextLink to another host', {
        metadata: { operation: `Query.Usage ${type}` },
      });
    }
    const request = createPipelineRequest({
      url: nextLink,
      method: 'POST',
      headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8', accept: 'application/json' }),
      body: JSON.stringify(definition),
    });
    request.allowInsecureConnection = this.insecure;
    try {
      const response = await this.client.sendRequest(request);
      if (response.status === 204) return {};
      const body = JSON.parse(response.bodyAsText ?? '{}') as {
        properties?: Page;
        error?: { code?: string; message?: string };
      };
      if (response.status !== 200) {
        const message = body.error?.message ?? `HTTP ${response.status}`;
        throw new RestError(message, { statusCode: response.status, code: body.error?.code ?? '', response });
      }
      return body.properties ?? {};
    } catch (err) {
      return handleAzureError(err, `Query.Usage ${type} (next page)`);
    }
  }
}

/** FOCUS ServiceCategory of an Azure ServiceName. */
function azureServiceCategory(service: string): string {
  return CATEGORIES.find(([pattern]) => pattern.test(service))?.[1] ?? 'Other';
}

/** The rows of a page, its columns found by name (their order is Azure's to choose). */
function readRows(page: Page): CostRow[] {
  const columns: QueryColumn[] = page.columns ?? [];
  const index = (names: string[]) => columns.findIndex((c) => names.includes((c.name ?? '').toLowerCase()));
  const at = {
    cost: index(COST_COLUMNS),
    date: index(['usagedate']),
    service: index(['servicename']),
    location: index(['resourcelocation']),
    currency: index(['currency']),
  };
  // A breakdown answers TagKey and TagValue, or ResourceId, instead of ResourceLocation.
  const detail = index(['tagvalue', 'resourceid']);
  const rows = page.rows ?? [];
  if (rows.length === 0) return [];
  if (detail >= 0) at.location = detail;
  if (Object.values(at).some((i) => i < 0)) {
    const names = columns.map((c) => c.name).join(', ');
    throw new TallyError('CLOUD_FAILED', `Azure query answered with unexpected columns: ${names}`);
  }
  return rows.map((row) => ({
    day: usageDay(row[at.date]),
    service: String(row[at.service] ?? ''),
    location: String(row[at.location] ?? ''),
    currency: String(row[at.currency] ?? ''),
    cost: Number(row[at.cost] ?? 0),
    ...(detail >= 0 ? { detail: String(row[detail] ?? '') } : {}),
  }));
}

/** `UsageDate` is the number `yyyymmdd` (20260501); a string date is accepted too. */
function usageDay(value: unknown): Day {
  const text = String(value ?? '');
  const day = /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text.slice(0, 10);
  if (!isDay(day)) throw new TallyError('CLOUD_FAILED', `Azure query answered with a bad UsageDate: ${text}`);
  return day;
}

interface Joined {
  detail?: string;
  day: Day;
  service: string;
  region: string;
  currency: string;
  billed: number;
  effective: number;
}

/** Sums actual (billed) and amortised (effective) rows per day × service × region × currency, sorted by key. */
function joinByKey(actual: CostRow[], amortized: CostRow[]): Joined[] {
  const sums = new Map<
    string,
    { row: Omit<Joined, 'billed' | 'effective'>; billed: CompensatedSum; effective: CompensatedSum }
  >();
  const add = (rows: CostRow[], field: 'billed' | 'effective') => {
    for (const r of rows) {
      const location = r.location.trim().toLowerCase();
      const region = NO_REGION.has(location) ? '' : location;
      const key = [r.day, r.service, region, r.currency, r.detail ?? ''].join('\u0000');
      let entry = sums.get(key);
      if (!entry) {
        entry = {
          row: { day: r.day, service: r.service, region, currency: r.currency, detail: r.detail },
          billed: new CompensatedSum(),
          effective: new CompensatedSum(),
        };
        sums.set(key, entry);
      }
      entry[field].add(r.cost);
    }
  };
  add(actual, 'billed');
  add(amortized, 'effective');
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => ({ ...e.row, billed: e.billed.value, effective: e.effective.value }))
    .filter((j) => j.billed !== 0 || j.effective !== 0);
}

function toCostRecord(
  j: Joined,
  account: { billingAccountId: string; subAccountId: string; subAccountName: string },
): CostRecord {
  return {
    provider: 'Microsoft',
    ...account,
    serviceName: j.service,
    serviceCategory: azureServiceCategory(j.service),
    region: j.region,
    resourceId: '',
    chargePeriodStart: dayToDate(j.day),
    chargePeriodEnd: dayToDate(addDays(j.day, 1)),
    chargeCategory: 'Usage',
    billedCost: j.billed,
    effectiveCost: j.effective,
    listCost: j.billed,
    currency: j.currency,
    tags: [],
  };
}
