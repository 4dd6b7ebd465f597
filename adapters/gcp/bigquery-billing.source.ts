import { BigQuery, type Job, type Query, type QueryResultsOptions } from '@google-cloud/bigquery';
import type { BigQueryTableRef } from '../../src/config/config.types.js';
import type { ChargeCategory, CostRecord, Tag } from '../../src/costs/cost-record.types.js';
import type { AccountListing, CostSource } from '../../src/costs/cost-source.port.js';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { addDays, type Day, dayOf, dayToDate, isDay } from '../../src/shared/day.js';
import { TallyError } from '../../src/shared/errors.js';
import { type BillingProjectList, exportProjectNotes } from './gcp-billing-projects.js';
import { handleGcpError } from './gcp-errors.js';

/** FOCUS ChargeCategory by export `cost_type`. */
const CHARGE_CATEGORIES: Readonly<Record<string, ChargeCategory>> = {
  regular: 'Usage',
  tax: 'Tax',
  adjustment: 'Adjustment',
  rounding_error: 'Adjustment',
};

/** FOCUS ServiceCategory by export `service.description`; first match wins, anything else is `Other`. */
const CATEGORIES: readonly [RegExp, string][] = [
  [/Compute Engine|Kubernetes Engine|Cloud Run|Cloud Functions|App Engine|Batch/, 'Compute'],
  [/Cloud Storage|Filestore|Backup/, 'Storage'],
  [/Cloud SQL|Spanner|Firestore|Datastore|Bigtable|Memorystore|AlloyDB/, 'Databases'],
  [/Networking|Cloud CDN|Cloud DNS|Load Balancing|Cloud NAT|Interconnect/, 'Networking'],
  [/Cloud Logging|Cloud Monitoring|Stackdriver/, 'Management and Governance'],
  [/Secret Manager|Key Management|Security Command Center|Cloud Armor/, 'Security'],
  [/Vertex AI|Gemini|Cloud AI|Vision|Translat|Speech|Natural Language|Document AI/, 'AI and Machine Learning'],
  [/BigQuery|Dataflow|Dataproc|Pub\/Sub|Looker|Composer/, 'Analytics'],
];

/** What `env.ts` accepts, checked again because the name is pasted into SQL (between backticks). */
const TABLE_PART = { project: /^[a-z0-9.:-]+$/, dataset: /^\w+$/, table: /^[\w-]+\*?$/ };

export interface BigQueryBillingSourceOptions {
  /** The source of "today" for `accounts()`' look-back window. @defaultValue the system clock */
  clock?: Clock;
  /** How many days back `accounts()` looks for projects with costs. @defaultValue 35 */
  lookbackDays?: number;
  /** Rows per `getQueryResults` page. @defaultValue 10000 */
  pageSize?: number;
  /** Location of the export dataset (`US`, `EU`, …). @defaultValue BigQuery's choice from the table referenced */
  location?: string;
  /**
   * The billing account's own list of projects (Cloud Billing, `GOOGLE_BILLING_ACCOUNT_ID`), which `listAccounts()`
   * checks the export's projects against.
   * @defaultValue none: the export's projects, unchecked
   */
  projects?: BillingProjectList;
}

/**
 * Tally's {@link CostSource} on Google's Cloud Billing export to BigQuery, standard table schema:
 * one parameterised query job per sync, daily sums per project × service × region × cost type × currency, read page by
 * page (`pageToken`). EffectiveCost = `cost` + all `credits[].amount` (net cost); BilledCost and ListCost = `cost`
 * (the standard table's `cost_at_list` is not in every table or view, so it is not read).
 *
 * Every row keeps its labels as tags: project labels, then the resource's `labels` (which win over a project label of
 * the same key), then `system_labels` (their keys are namespaced, `compute.googleapis.com/machine_spec`). On the
 * detailed (resource-level) export, whose schema has a `resource` column (asked once with `tables.get`), rows are also
 * per resource: ResourceId = `resource.global_name`, ResourceName = `resource.name`.
 *
 * `accounts()` asks the export for projects with costs in the last days rather than Cloud Billing for the projects of
 * the billing account: it needs no extra permission and finds exactly the projects that have rows to sync (each sync of
 * a project is a query job that scans the table, so idle projects are not synced for nothing). With `projects`,
 * `listAccounts()` checks them against the billing account's list: a project the account does not list, or lists with
 * billing disabled, is still synced, and noted; when Cloud Billing fails, the export's projects are synced and the
 * failure is the note. Project names are the export's `project.name` (Cloud Billing has ids only).
 * No partition filter is used (a view has no `_PARTITIONTIME`), so each query scans the referenced columns of the
 * whole table; late rows (up to days) are caught by re-syncing recent days.
 */
export class BigQueryBillingSource implements CostSource {
  readonly name = 'gcp-bigquery';
  private readonly tableSql: string;
  private readonly table: BigQueryTableRef;
  private readonly clock: Clock;
  private readonly lookbackDays: number;
  private readonly pageSize: number;
  private detailed: Promise<boolean> | undefined;

  constructor(
    private readonly bigquery: BigQuery,
    table: BigQueryTableRef,
    private readonly options: BigQueryBillingSourceOptions = {},
  ) {
    const ok =
      TABLE_PART.project.test(table.projectId) &&
      TABLE_PART.dataset.test(table.datasetId) &&
      TABLE_PART.table.test(table.tableId);
    if (!ok) throw new TallyError('CONFIG_INVALID', `Not a BigQuery table name: ${table.id}`);
    this.tableSql = `\`${table.projectId}.${table.datasetId}.${table.tableId}\``;
    this.table = table;
    this.clock = options.clock ?? systemClock;
    this.lookbackDays = options.lookbackDays ?? 35;
    this.pageSize = options.pageSize ?? 10_000;
  }

  /** Project ids with rows in the export since `lookbackDays` days ago, sorted. */
  async accounts(): Promise<string[]> {
    const since = addDays(dayOf(this.clock.now()), -this.lookbackDays);
    const query = [
      'SELECT DISTINCT project.id AS project_id',
      `FROM ${this.tableSql}`,
      'WHERE DATE(usage_start_time) >= @from_day AND project.id IS NOT NULL',
      'ORDER BY project_id',
    ].join('\n');
    const ids: string[] = [];
    for await (const rows of this.run(query, { from_day: BigQuery.date(since) })) {
      for (const row of rows) ids.push(text(row.project_id));
    }
    return ids;
  }

  /** {@link accounts}, checked against the billing account's projects when `projects` is given (see the class). */
  async listAccounts(): Promise<AccountListing> {
    const accounts = await this.accounts();
    const projects = this.options.projects;
    if (!projects) return { accounts, notes: [] };
    try {
      return { accounts, notes: exportProjectNotes(accounts, await projects.list(), projects.billingAccountId) };
    } catch (err) {
      const code = err instanceof TallyError ? err.code : 'INTERNAL';
      const message = err instanceof Error ? err.message : String(err);
      const note = `Google Cloud: Cloud Billing could not list the projects of billing account ${projects.billingAccountId} (${code}: ${message}); the ${accounts.length} projects of the billing export are synced unchecked.`;
      return { accounts, notes: [note] };
    }
  }

  async *fetch(account: string, range: { from: Day; to: Day }): AsyncIterable<CostRecord> {
    const params = { project: account, from_day: BigQuery.date(range.from), to_day: BigQuery.date(range.to) };
    const sql = this.dailyCostSql(await this.isDetailed());
    for await (const rows of this.run(sql, params)) {
      for (const row of rows) yield toCostRecord(row);
    }
  }

  /** Whether the table is the detailed export (it has a `resource` column); asked once, again after a failure. */
  private isDetailed(): Promise<boolean> {
    this.detailed ??= this.bigquery
      .dataset(this.table.datasetId, { projectId: this.table.projectId })
      .table(this.table.tableId)
      .getMetadata()
      .then(([metadata]) => {
        const fields = (metadata as { schema?: { fields?: { name?: string }[] } }).schema?.fields ?? [];
        return fields.some((f) => f.name === 'resource');
      })
      .catch((err: unknown) => {
        this.detailed = undefined;
        return handleGcpError(err, 'BigQuery tables.get');
      });
    return this.detailed;
  }

  /**
   * Daily sums of one project per label set (and resource on the detailed export); amounts summed as NUMERIC so that
   * no float error builds up in BigQuery. Label arrays are grouped as sorted JSON text (arrays cannot be grouped).
   */
  private dailyCostSql(detailed: boolean): string {
    const labels = (column: string, alias: string) =>
      `  TO_JSON_STRING(ARRAY(SELECT AS STRUCT l.key, l.value FROM UNNEST(${column}) AS l ORDER BY l.key, l.value)) AS ${alias},`;
    return [
      'SELECT',
      '  billing_account_id,',
      '  project.id AS project_id,',
      '  ANY_VALUE(project.name) AS project_name,',
      '  service.description AS service_name,',
      "  IFNULL(location.region, '') AS region_name,",
      "  IFNULL(cost_type, 'regular') AS charge_type,",
      '  currency,',
      "  FORMAT_DATE('%F', DATE(usage_start_time)) AS usage_day,",
      labels('project.labels', 'project_labels'),
      labels('labels', 'resource_labels'),
      labels('system_labels', 'system_labels_json'),
      ...(detailed
        ? [
            "  IFNULL(resource.name, '') AS resource_name,",
            "  IFNULL(resource.global_name, '') AS resource_global_name,",
          ]
        : []),
      '  SUM(CAST(cost AS NUMERIC)) AS cost_sum,',
      '  SUM(IFNULL((SELECT SUM(CAST(c.amount AS NUMERIC)) FROM UNNEST(credits) AS c), 0)) AS credit_sum',
      `FROM ${this.tableSql}`,
      'WHERE project.id = @project AND DATE(usage_start_time) BETWEEN @from_day AND @to_day',
      'GROUP BY billing_account_id, project_id, service_name, region_name, charge_type, currency, usage_day,',
      `  project_labels, resource_labels, system_labels_json${detailed ? ', resource_name, resource_global_name' : ''}`,
      'ORDER BY usage_day, service_name, region_name, charge_type, currency',
    ].join('\n');
  }

  /** Runs a query job and yields its result rows page by page (`getQueryResults` with `pageToken`). */
  private async *run(query: string, params: Record<string, unknown>): AsyncIterable<Record<string, unknown>[]> {
    const request: Query = {
      query,
      params,
      useLegacySql: false,
      jobPrefix: 'tally_',
      labels: { app: 'tally' },
      ...(this.options.location ? { location: this.options.location } : {}),
    };
    let job: Job;
    try {
      [job] = await this.bigquery.createQueryJob(request);
    } catch (err) {
      handleGcpError(err, 'BigQuery jobs.insert');
    }
    // A page comes back with `jobComplete: false` while the job runs; the library then repeats the same request.
    let next: QueryResultsOptions | null | undefined = { maxResults: this.pageSize, autoPaginate: false };
    while (next) {
      let rows: Record<string, unknown>[];
      try {
        [rows, next] = await job.getQueryResults(next);
      } catch (err) {
        handleGcpError(err, 'BigQuery jobs.getQueryResults');
      }
      if (rows.length > 0) yield rows;
    }
  }
}

/** FOCUS ServiceCategory of a Google Cloud service description. */
function gcpServiceCategory(service: string): string {
  return CATEGORIES.find(([pattern]) => pattern.test(service))?.[1] ?? 'Other';
}

/** A cell as text; NULL is `''`. */
function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A NUMERIC cell (the library gives a `Big`) or FLOAT cell as a number. */
function amount(value: unknown, column: string): number {
  const n = Number(text(value) || '0');
  if (!Number.isFinite(n))
    throw new TallyError('CLOUD_FAILED', `BigQuery returned a non-numeric ${column}: ${text(value)}`);
  return n === 0 ? 0 : n;
}

/** A `[{"key":…,"value":…}]` JSON cell as pairs; NULL or `[]` is none. */
function labelPairs(value: unknown, column: string): Tag[] {
  const json = text(value);
  if (json === '' || json === '[]') return [];
  try {
    return (JSON.parse(json) as { key?: unknown; value?: unknown }[])
      .filter((l) => typeof l.key === 'string' && l.key !== '')
      .map((l) => ({ key: String(l.key), value: l.value === null || l.value === undefined ? '' : String(l.value) }));
  } catch {
    throw new TallyError('CLOUD_FAILED', `BigQuery returned ${column} that is not JSON: ${json.slice(0, 80)}`);
  }
}

/** Project labels, then resource labels over them, then system labels: one tag per key, sorted by key. */
function tagsOf(row: Record<string, unknown>): Tag[] {
  const byKey = new Map<string, string>();
  for (const column of ['project_labels', 'resource_labels', 'system_labels_json']) {
    for (const { key, value } of labelPairs(row[column], column)) byKey.set(key, value);
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => ({ key, value }));
}

function toCostRecord(row: Record<string, unknown>): CostRecord {
  const day = text(row.usage_day);
  if (!isDay(day)) throw new TallyError('CLOUD_FAILED', `BigQuery returned a bad usage_day: ${day}`);
  const serviceName = text(row.service_name);
  const cost = amount(row.cost_sum, 'cost_sum');
  const credits = amount(row.credit_sum, 'credit_sum');
  const projectId = text(row.project_id);
  return {
    provider: 'Google Cloud',
    billingAccountId: text(row.billing_account_id),
    subAccountId: projectId,
    subAccountName: text(row.project_name) || projectId,
    serviceName,
    serviceCategory: gcpServiceCategory(serviceName),
    region: text(row.region_name),
    resourceId: text(row.resource_global_name),
    ...(text(row.resource_name) ? { resourceName: text(row.resource_name) } : {}),
    chargePeriodStart: dayToDate(day),
    chargePeriodEnd: dayToDate(addDays(day, 1)),
    chargeCategory: CHARGE_CATEGORIES[text(row.charge_type)] ?? 'Usage',
    billedCost: cost,
    // Credits are negative amounts: net cost = cost + credits.
    effectiveCost: cost + credits === 0 ? 0 : cost + credits,
    listCost: cost,
    currency: text(row.currency),
    tags: tagsOf(row),
  };
}
