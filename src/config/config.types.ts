/**
 * The shape of Tally's parsed configuration: one typed, frozen slice per adapter
 * (docs/architecture.md#configuration-is-read-once).
 * Parsing lives in `env.ts`, which re-exports everything here; import from `env.ts`.
 */

/** Log levels accepted by `LOG_LEVEL` (pino's, plus `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** Bot Framework app types accepted by `MICROSOFT_APP_TYPE` (README.md#microsoft-teams). */
export const TEAMS_APP_TYPES = ['SingleTenant', 'MultiTenant', 'UserAssignedMSI'] as const;
type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];

/** The parsed configuration: one typed, frozen slice per adapter. */
export interface Config {
  readonly port: number;
  readonly logLevel: LogLevel;
  /** `NODE_ENV`; `production` refuses development shortcuts such as anonymous Teams traffic. */
  readonly nodeEnv?: string;
  /** `TALLY_PUBLIC_URL`: where Tally is reachable from the chat platforms (the host of /api/messages). */
  readonly publicUrl?: string;
  /** `TALLY_TODAY`: a pinned UTC day (`YYYY-MM-DD`) for demos and tests. */
  readonly today?: string;
  readonly mongo: { readonly uri?: string };
  readonly redis: { readonly url: string };
  readonly queues: QueuesConfig;
  readonly schedules: SchedulesConfig;
  readonly focusFile?: string;
  /** `TALLY_DATA_DIR`: where cost data is stored as Parquet (docs/cost-data.md). */
  readonly dataDir: string;
  /** `TALLY_DUCKDB_MEMORY`: DuckDB's memory limit per process. */
  readonly duckdbMemory: string;
  /** `TALLY_DUCKDB_THREADS`: DuckDB's threads per process; unset: the command's default (src/bootstrap/start.ts). */
  readonly duckdbThreads?: number;
  /** The month (1–12) the fiscal year starts; 1 when not set. */
  readonly fiscalYearStart: number;
  /** `TALLY_MAX_QUEUED_ANSWERS`: chat answers that may wait per process before people are told Tally is busy. */
  readonly maxQueuedAnswers: number;
  /** `TALLY_UNDO_DAYS`: days an executed action can be undone (docs/architecture.md#undo); 0: never. @defaultValue 7 */
  readonly undoDays: number;
  readonly policyFile?: string;
  /** The MCP server (docs/mcp.md). */
  readonly mcp: McpConfig;
  readonly slack: SlackConfig;
  readonly teams: TeamsConfig;
  readonly llm: LlmConfig;
  readonly aws: AwsConfig;
  readonly azure: AzureConfig;
  readonly google: GoogleConfig;
  readonly email: EmailConfig;
  readonly sms: SmsConfig;
}

interface QueuesConfig {
  /** `TALLY_QUEUE_PREFIX`. @defaultValue 'tally' */
  readonly prefix: string;
  /** `TALLY_JOB_LOCK_SECONDS`: a job's lock; a crashed worker's job is taken up again after it. @defaultValue 30 */
  readonly lockSeconds: number;
}

interface SchedulesConfig {
  /** `TALLY_SYNC_CRON`, UTC. @defaultValue '0 *\/6 * * *' */
  readonly syncCron: string;
  /** `TALLY_SCAN_CRON`, UTC. @defaultValue '30 7 * * *' */
  readonly scanCron: string;
  /** @defaultValue 3 */
  readonly resyncDays: number;
  /** @defaultValue 90 */
  readonly historyDays: number;
}

/** The MCP server: `tally mcp` (stdio) and `/mcp` on the web server of `tally start` (docs/mcp.md). */
interface McpConfig {
  /** `TALLY_MCP_TOKEN`: the bearer token of `/mcp`; unset, `/mcp` is off (404). */
  readonly token?: string;
  /** `TALLY_MCP_AS`: a person of `approvals.people` whose scope MCP callers get; unset, the operator's (everything). */
  readonly as?: string;
}

interface SlackConfig {
  readonly botToken?: string;
  readonly signingSecret?: string;
  readonly appToken?: string;
  readonly apiUrl?: string;
  /** `SLACK_APP_TOKEN` is set: Socket Mode instead of HTTP. */
  readonly socketMode: boolean;
  /** `SLACK_BOT_TOKEN` is set. */
  readonly enabled: boolean;
}

interface TeamsConfig {
  readonly appId?: string;
  readonly appPassword?: string;
  readonly tenantId?: string;
  /** @defaultValue `'SingleTenant'` */
  readonly appType: TeamsAppType;
  /** `MICROSOFT_OPENID_METADATA_URL`: where the keys that sign inbound requests are published (tests). */
  readonly openIdMetadataUrl?: string;
  /** `TALLY_TEAMS_ANONYMOUS`: serve without an app id (Bot Framework Emulator); never in production. */
  readonly anonymous: boolean;
  /** `MICROSOFT_APP_ID` is set, or anonymous Teams traffic is allowed. */
  readonly enabled: boolean;
}

interface LlmConfig {
  readonly apiKey?: string;
  readonly baseUrl?: string;
  /** @defaultValue `'gpt-4.1-mini'` */
  readonly model: string;
  /** `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set (a local server may need no key). */
  readonly enabled: boolean;
}

export interface AwsConfig {
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** `TALLY_AWS_REGIONS`, else `AWS_REGION`: the regions scanned for recommendations. */
  readonly regions: readonly string[];
  /** `TALLY_AWS_TAG_KEYS`: cost allocation tag keys the Cost Explorer sync breaks costs down by; empty when unset. */
  readonly tagKeys: readonly string[];
  /** `TALLY_AWS_ROLE_NAME`: the role assumed in each covered account other than the credentials' own. */
  readonly roleName?: string;
  /** `TALLY_AWS_EXTERNAL_ID`: passed to AssumeRole when set. */
  readonly externalId?: string;
  /**
   * `TALLY_AWS_ACCOUNTS`: the accounts recommendations and actions cover besides the credentials' own; unset, those
   * of the policy's `aws.roles` and, with a role name, the AWS accounts of the cost data (README "Every account").
   */
  readonly accounts?: readonly string[];
  /** Any of `AWS_REGION`, `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, `AWS_ENDPOINT_URL` is set. */
  readonly enabled: boolean;
}

export interface AzureConfig {
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** De-duplicated; empty when unset. */
  readonly subscriptionIds: readonly string[];
  /** `TALLY_AZURE_TAG_KEYS`: tag keys the Cost Management sync breaks costs down by; empty when unset. */
  readonly tagKeys: readonly string[];
  /** `TALLY_AZURE_RESOURCES`: the sync also reads resource ids (a ResourceId breakdown). @defaultValue false */
  readonly resources: boolean;
  /**
   * `AZURE_STORAGE_CONNECTION_STRING`: how Azure Blob sources (`az://account/container/prefix`) authenticate; unset,
   * they use Entra ID (`DefaultAzureCredential`).
   */
  readonly storageConnectionString?: string;
  /** At least one subscription id is set. */
  readonly enabled: boolean;
}

/** A BigQuery table reference parsed from `project.dataset.table`. */
export interface BigQueryTableRef {
  /** The whole `project.dataset.table`, as given. */
  readonly id: string;
  readonly projectId: string;
  readonly datasetId: string;
  readonly tableId: string;
}

export interface GoogleConfig {
  readonly credentialsFile?: string;
  readonly billingExportTable?: BigQueryTableRef;
  /**
   * `GOOGLE_BILLING_ACCOUNT_ID`: the billing account whose projects Cloud Billing lists for the BigQuery sync.
   * @defaultValue none: the sync takes the projects of the export alone
   */
  readonly billingAccountId?: string;
  /** `GOOGLE_BILLING_EXPORT_TABLE` is set. */
  readonly enabled: boolean;
}

interface EmailConfig {
  readonly smtpUrl?: string;
  readonly from?: string;
  /** `SMTP_URL` (and therefore `TALLY_EMAIL_FROM`) is set. */
  readonly enabled: boolean;
}

interface SmsConfig {
  /** `TWILIO_API_URL`: the API base, for proxies and tests. @defaultValue https://api.twilio.com */
  readonly apiUrl?: string;
  readonly accountSid?: string;
  readonly authToken?: string;
  readonly from?: string;
  /** All three `TWILIO_*` variables are set. */
  readonly enabled: boolean;
}
