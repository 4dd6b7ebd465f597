/**
 * Every environment variable Tally reads, validated once by one zod schema (README.md#configuration lists them;
 * docs/architecture.md#configuration-is-read-once).
 *
 * `loadConfig(env)` is pure: callers pass the environment in. `loadProcessConfig()` is the one place in Tally that
 * reads the process environment, at call time, never at import. Each variable's
 * documentation is registered on its schema, so `CONFIG_VARIABLES`, `SECRET_VARIABLES`, the log redaction lists
 * and `.env.example` all come from the same place.
 */

import { homedir } from 'node:os';
import { join } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { isDay } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import { type Config, LOG_LEVELS, TEAMS_APP_TYPES } from './config.types.js';

export * from './config.types.js';

/** What is documented about one variable. */
interface ConfigVariableDoc {
  /** Where the parsed value lives in {@link Config}, e.g. `slack.botToken`. */
  readonly key: string;
  readonly description: string;
  /** Never echoed in error messages and redacted from logs. */
  readonly secret: boolean;
}

const DOCS = z.registry<ConfigVariableDoc>();

function doc<T extends z.ZodType>(schema: T, key: string, description: string, secret = false): T {
  DOCS.add(schema, { key, description, secret });
  return schema;
}
const secret = <T extends z.ZodType>(schema: T, key: string, description: string): T =>
  doc(schema, key, description, true);

// Blank values were removed before these run, so every schema sees a non-empty string.
const text = () => z.string().refine((s) => s.trim() === s, { error: 'must not start or end with whitespace' });
const pattern = (re: RegExp, expected: string) => z.string().regex(re, { error: `expected ${expected}` });
const url = (scheme: RegExp, expected: string) =>
  z.string().refine((s) => scheme.test(s) && URL.canParse(s), { error: `expected ${expected}` });
const httpUrl = () => url(/^https?:\/\/\S+$/, 'an http:// or https:// URL');

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_RE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
// project (optionally domain-scoped, `example.com:proj`), dataset, table (`*` allowed for wildcard tables).
const BQ_TABLE_RE = /^((?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9])\.(\w{1,1024})\.([\w-]+\*?)$/;
const AWS_REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const EMAIL_FROM_RE = /^(?:[^<>]*<([^<>\s]+)>|([^<>\s]+))$/;

const splitList = (s: string) =>
  s
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** `4`, `04`, `april`, `Apr` → 4; anything else null. */
function monthNumber(v: string): number | null {
  if (/^\d{1,2}$/.test(v)) return Number(v) >= 1 && Number(v) <= 12 ? Number(v) : null;
  const i = MONTH_NAMES.indexOf(v.toLowerCase().slice(0, 3));
  return i >= 0 && /^[a-z]+$/i.test(v) ? i + 1 : null;
}

const wholeNumber = (min: number, max: number) =>
  pattern(/^\d{1,6}$/, `a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: `expected a whole number from ${min} to ${max}` });
const cron = z.string().refine(isCron, { error: 'expected a cron pattern such as "0 */6 * * *" (5 or 6 fields)' });

const port = pattern(/^\d{1,5}$/, 'an integer from 1 to 65535')
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65_535, { error: 'expected an integer from 1 to 65535' });
const logLevel = z
  .string()
  .toLowerCase()
  .pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }));
const day = z.string().refine(isDay, { error: 'expected a valid date as YYYY-MM-DD' });
const appType = z.enum(TEAMS_APP_TYPES, { error: `expected one of ${TEAMS_APP_TYPES.join(', ')}` });
const guid = (what: string) => pattern(GUID_RE, `a GUID (${what})`);
const tenant = pattern(TENANT_RE, 'a tenant GUID or domain');
const guidList = z
  .string()
  .refine((s) => splitList(s).length > 0 && splitList(s).every((id) => GUID_RE.test(id)), {
    error: 'expected a comma-separated list of subscription GUIDs',
  })
  .transform((s) => [...new Set(splitList(s))]);
/** Tag keys of a billing API's tag breakdowns (README.md#tags-and-resources-from-api-syncs); CE's `key$` forbids `$`. */
const tagKeyList = z
  .string()
  .refine((s) => splitList(s).length > 0 && splitList(s).every((key) => !key.includes('$') && key.length <= 128), {
    error: 'expected a comma-separated list of tag keys (at most 128 characters, no $)',
  })
  .transform((s) => [...new Set(splitList(s))]);
const emailFrom = z.string().refine((s) => z.email().safeParse(EMAIL_FROM_RE.exec(s)?.slice(1).find(Boolean)).success, {
  error: 'expected an email address, optionally as "Name <address>"',
});

// One line per variable: schema, Config key, description (the .env.example comment says more).
const variables = z.object({
  PORT: doc(port.default(3000), 'port', 'HTTP port for Slack, Teams, /healthz, /readyz and /metrics.'),
  LOG_LEVEL: doc(logLevel.default('info'), 'logLevel', 'Log level (fatal … trace, or silent); logs go to stderr.'),
  TALLY_TODAY: doc(day.optional(), 'today', 'Pins "today" (UTC YYYY-MM-DD) for demos and tests.'),
  TALLY_FISCAL_YEAR_START: doc(
    z
      .string()
      .trim()
      .transform((v, ctx) => {
        const n = monthNumber(v);
        if (n === null) {
          ctx.addIssue({ code: 'custom', message: 'expected a month: 1 to 12, or its name (april, apr)' });
          return z.NEVER;
        }
        return n;
      })
      .default(1),
    'fiscalYearStart',
    'The month the fiscal year starts (1–12 or a name); "fiscal Q1", "FY2026", "this fiscal year" follow it. FY2026 ends in 2026.',
  ),
  MONGODB_URI: secret(
    pattern(/^mongodb(?:\+srv)?:\/\/\S+$/, 'a mongodb:// or mongodb+srv:// connection string').optional(),
    'mongo.uri',
    'MongoDB connection string. Unset: an in-process store.',
  ),
  REDIS_URL: secret(
    url(/^rediss?:\/\/\S+$/, 'a redis:// or rediss:// URL').default('redis://127.0.0.1:6379'),
    'redis.url',
    'Redis for the job queues.',
  ),
  TALLY_PUBLIC_URL: doc(
    httpUrl().optional(),
    'publicUrl',
    "Tally's public base URL; Teams cards then show charts served at /charts/.",
  ),
  TALLY_QUEUE_PREFIX: doc(
    pattern(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - or _ (at most 40)').default('tally'),
    'queues.prefix',
    'Prefix of the job queues in Redis (several Tallys can share one Redis).',
  ),
  TALLY_JOB_LOCK_SECONDS: doc(
    pattern(/^\d{1,4}$/, 'a whole number of seconds from 1 to 3600')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 3600, { error: 'expected a whole number of seconds from 1 to 3600' })
      .default(30),
    'queues.lockSeconds',
    "A job's lock; a crashed worker's job is taken up again after it.",
  ),
  TALLY_UNDO_DAYS: doc(
    wholeNumber(0, 90).default(7),
    'undoDays',
    'Days an executed action can be undone (Undo button, `undo <approval id>`); 0 turns undo off.',
  ),
  TALLY_SYNC_CRON: doc(cron.default('0 */6 * * *'), 'schedules.syncCron', 'When cloud costs are synced (cron, UTC).'),
  TALLY_SCAN_CRON: doc(cron.default('30 7 * * *'), 'schedules.scanCron', 'Daily anomaly scan (cron, UTC).'),
  TALLY_SYNC_RESYNC_DAYS: doc(
    wholeNumber(0, 60).default(3),
    'schedules.resyncDays',
    'Days before the last synced day fetched again (late data).',
  ),
  TALLY_SYNC_HISTORY_DAYS: doc(
    wholeNumber(1, 400).default(90),
    'schedules.historyDays',
    'Days fetched by the first sync of an account.',
  ),
  TALLY_FOCUS_FILE: doc(
    text().optional(),
    'focusFile',
    'FOCUS exports imported at start and on the sync schedule: a file (CSV, .csv.gz, Parquet), a folder, or an s3://bucket/prefix/, az://account/container/prefix/ or gs://bucket/prefix/ synced object by object; several separated by commas or new lines, each imported on its own.',
  ),
  TALLY_DATA_DIR: doc(
    text().optional(),
    'dataDir',
    'Cost data directory (Parquet files), shared by every Tally process of an installation. Default ~/.tally/data.',
  ),
  TALLY_DUCKDB_MEMORY: doc(
    pattern(/^\d{1,6}(\.\d+)?\s?(KB|MB|GB|KiB|MiB|GiB)$/i, 'a size such as 512MB or 2GB').default('512MB'),
    'duckdbMemory',
    'Memory DuckDB may use per process for queries and imports before it spills to the data directory.',
  ),
  TALLY_DUCKDB_THREADS: doc(
    wholeNumber(1, 256).optional(),
    'duckdbThreads',
    'Threads DuckDB may use per process. Default: `tally start` one fewer than the cores (at least 1), other commands all.',
  ),
  TALLY_MAX_QUEUED_ANSWERS: doc(
    wholeNumber(0, 10_000).default(100),
    'maxQueuedAnswers',
    'Chat answers that may wait per process (beyond the 4 being worked out); past it people are told Tally is busy.',
  ),
  TALLY_POLICY_FILE: doc(text().optional(), 'policyFile', 'Approval and notification policy YAML.'),
  TALLY_MCP_TOKEN: secret(
    text().min(16, { error: 'expected at least 16 characters' }).optional(),
    'mcp.token',
    'Bearer token of /mcp on the web server (docs/mcp.md). Unset: /mcp is off.',
  ),
  TALLY_MCP_AS: doc(
    text().optional(),
    'mcp.as',
    'A person key of approvals.people whose scope MCP callers get. Unset: the operator (sees everything).',
  ),
  SLACK_BOT_TOKEN: secret(
    pattern(/^xoxb-\S+$/, 'a token starting with xoxb-').optional(),
    'slack.botToken',
    'Slack bot token; enables Slack.',
  ),
  SLACK_SIGNING_SECRET: secret(text().optional(), 'slack.signingSecret', 'Verifies Slack requests in HTTP mode.'),
  SLACK_APP_TOKEN: secret(
    pattern(/^xapp-\S+$/, 'a token starting with xapp-').optional(),
    'slack.appToken',
    'Enables Socket Mode.',
  ),
  SLACK_API_URL: doc(httpUrl().optional(), 'slack.apiUrl', 'Slack Web API base URL (proxies, tests).'),
  MICROSOFT_APP_ID: doc(guid('the bot app id').optional(), 'teams.appId', 'Bot Framework app id; enables Teams.'),
  MICROSOFT_APP_PASSWORD: secret(text().optional(), 'teams.appPassword', 'Bot Framework client secret.'),
  MICROSOFT_APP_TENANT_ID: doc(tenant.optional(), 'teams.tenantId', 'Entra ID tenant of the bot.'),
  MICROSOFT_APP_TYPE: doc(
    appType.default('SingleTenant'),
    'teams.appType',
    'SingleTenant, MultiTenant or UserAssignedMSI.',
  ),
  MICROSOFT_OPENID_METADATA_URL: doc(
    httpUrl().optional(),
    'teams.openIdMetadataUrl',
    'OpenID metadata that signs Bot Framework requests (tests, sovereign clouds).',
  ),
  TALLY_TEAMS_ANONYMOUS: doc(
    z
      .enum(['true', 'false'], { error: 'expected true or false' })
      .default('false')
      .transform((v) => v === 'true'),
    'teams.anonymous',
    'Serve Teams without an app id (Bot Framework Emulator); refused when NODE_ENV=production.',
  ),
  NODE_ENV: doc(text().optional(), 'nodeEnv', 'production turns off anything meant only for development.'),
  OPENAI_API_KEY: secret(text().optional(), 'llm.apiKey', 'API key of the OpenAI-compatible model server.'),
  OPENAI_BASE_URL: doc(httpUrl().optional(), 'llm.baseUrl', 'Any OpenAI-compatible server. Unset: OpenAI.'),
  TALLY_MODEL: doc(text().default('gpt-4.1-mini'), 'llm.model', 'Chat model for free-text questions.'),
  AWS_REGION: doc(
    pattern(AWS_REGION_RE, 'an AWS region such as us-east-1').optional(),
    'aws.region',
    'AWS region for EC2 and CloudWatch.',
  ),
  AWS_ACCESS_KEY_ID: secret(text().optional(), 'aws.accessKeyId', 'AWS access key id.'),
  AWS_SECRET_ACCESS_KEY: secret(text().optional(), 'aws.secretAccessKey', 'AWS secret access key.'),
  AWS_SESSION_TOKEN: secret(text().optional(), 'aws.sessionToken', 'AWS session token (temporary credentials).'),
  AWS_PROFILE: doc(text().optional(), 'aws.profile', 'Named profile from ~/.aws/config.'),
  AWS_ENDPOINT_URL: doc(httpUrl().optional(), 'aws.endpointUrl', 'Endpoint for every AWS service (e.g. moto).'),
  TALLY_AWS_REGIONS: doc(
    z
      .string()
      .refine((s) => splitList(s).length > 0 && splitList(s).every((r) => AWS_REGION_RE.test(r)), {
        error: 'expected a comma-separated list of AWS regions such as us-east-1,eu-west-1',
      })
      .transform((s) => [...new Set(splitList(s))])
      .optional(),
    'aws.regions',
    'Regions scanned for recommendations. Unset: AWS_REGION.',
  ),
  TALLY_AWS_TAG_KEYS: doc(
    tagKeyList.optional(),
    'aws.tagKeys',
    'Cost allocation tag keys synced from Cost Explorer (one more request per key and page).',
  ),
  TALLY_AWS_ROLE_NAME: doc(
    pattern(/^[\w+=,.@/-]{1,64}$/, 'an IAM role name such as TallyReadAndAct').optional(),
    'aws.roleName',
    'Role assumed (STS AssumeRole) in every other covered account for recommendations and actions; with it, the AWS accounts of the cost data are covered.',
  ),
  TALLY_AWS_EXTERNAL_ID: doc(
    pattern(/^[\w+=,.@:/-]{2,1224}$/, 'an external id (2-1224 characters)').optional(),
    'aws.externalId',
    "External id passed to AssumeRole, when the member accounts' trust policy asks for one.",
  ),
  TALLY_AWS_ACCOUNTS: doc(
    z
      .string()
      .refine((s) => splitList(s).length > 0 && splitList(s).every((a) => /^\d{12}$/.test(a)), {
        error: 'expected a comma-separated list of 12-digit AWS account ids',
      })
      .transform((s) => [...new Set(splitList(s))])
      .optional(),
    'aws.accounts',
    "Accounts recommendations and actions cover besides the credentials' own. Unset: those of the policy's aws.roles and, with TALLY_AWS_ROLE_NAME, the AWS accounts of the cost data.",
  ),
  AZURE_TENANT_ID: doc(tenant.optional(), 'azure.tenantId', 'Entra ID tenant.'),
  AZURE_CLIENT_ID: doc(guid('a client id').optional(), 'azure.clientId', 'App registration or managed identity id.'),
  AZURE_CLIENT_SECRET: secret(text().optional(), 'azure.clientSecret', 'Client secret of the app registration.'),
  AZURE_SUBSCRIPTION_IDS: doc(guidList.optional(), 'azure.subscriptionIds', 'Subscriptions to sync; enables Azure.'),
  TALLY_AZURE_TAG_KEYS: doc(
    tagKeyList.optional(),
    'azure.tagKeys',
    'Tag keys synced from Cost Management (two more queries per key and subscription).',
  ),
  TALLY_AZURE_RESOURCES: doc(
    z
      .enum(['true', 'false'], { error: 'expected true or false' })
      .default('false')
      .transform((v) => v === 'true'),
    'azure.resources',
    'Sync Azure resource ids (two more queries per subscription).',
  ),
  AZURE_STORAGE_CONNECTION_STRING: secret(
    text().optional(),
    'azure.storageConnectionString',
    'Storage account connection string for az:// sources (else Entra ID credentials).',
  ),
  GOOGLE_APPLICATION_CREDENTIALS: doc(
    text().optional(),
    'google.credentialsFile',
    'Service account key file (BigQuery export and gs:// sources).',
  ),
  GOOGLE_BILLING_EXPORT_TABLE: doc(
    pattern(BQ_TABLE_RE, 'a BigQuery table as project.dataset.table').optional(),
    'google.billingExportTable',
    'BigQuery billing export table; enables Google Cloud.',
  ),
  GOOGLE_BILLING_ACCOUNT_ID: doc(
    pattern(/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/, 'a billing account id as XXXXXX-XXXXXX-XXXXXX').optional(),
    'google.billingAccountId',
    'Billing account whose projects Cloud Billing lists for the BigQuery sync (needs Billing Account Viewer).',
  ),
  SMTP_URL: secret(
    url(/^smtps?:\/\/\S+$/, 'an smtp:// or smtps:// URL').optional(),
    'email.smtpUrl',
    'SMTP server for alerts.',
  ),
  TALLY_EMAIL_FROM: doc(emailFrom.optional(), 'email.from', 'Sender of email alerts and digests.'),
  TWILIO_ACCOUNT_SID: doc(
    pattern(/^AC[0-9a-f]{32}$/i, 'a Twilio account SID (AC and 32 hex digits)').optional(),
    'sms.accountSid',
    'Twilio account SID; all three TWILIO_* enable SMS.',
  ),
  TWILIO_AUTH_TOKEN: secret(text().optional(), 'sms.authToken', 'Twilio auth token.'),
  TWILIO_API_URL: doc(httpUrl().optional(), 'sms.apiUrl', 'Twilio API base URL (proxies, tests).'),
  TWILIO_FROM: doc(
    pattern(/^\+[1-9]\d{1,14}$/, 'an E.164 number such as +14155550100').optional(),
    'sms.from',
    'Sending phone number for SMS alerts.',
  ),
});

/** A cron pattern cron-parser (BullMQ's) accepts, with 5 or 6 fields. */
function isCron(value: string): boolean {
  const fields = value.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) return false;
  try {
    CronExpressionParser.parse(value, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

/** The name of a variable Tally reads. */
export type ConfigVariableName = keyof typeof variables.shape;
type Env = z.output<typeof variables>;

/** One documented variable: the single source for `.env.example` and the docs. */
export interface ConfigVariable extends ConfigVariableDoc {
  readonly name: ConfigVariableName;
  /** The value used when the variable is unset or empty. */
  readonly default?: string;
}

/** Every variable, in documentation order. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = Object.freeze(
  (Object.keys(variables.shape) as ConfigVariableName[]).map((name) => {
    const schema = variables.shape[name];
    const fallback = schema.safeParse(undefined).data;
    const meta = DOCS.get(schema);
    if (!meta) throw new Error(`${name} has no documentation`);
    return Object.freeze({ name, ...meta, ...(fallback === undefined ? {} : { default: String(fallback) }) });
  }),
);

/** Names of the variables whose values are never echoed or logged. */
export const SECRET_VARIABLES: readonly ConfigVariableName[] = Object.freeze(
  CONFIG_VARIABLES.filter((v) => v.secret).map((v) => v.name),
);

// Secrets that are connection URLs stay loggable with their credentials masked (see `redactUrlCredentials`).
const isUrlVariable = (v: ConfigVariable) => /ur[il]$/i.test(v.key);
const SECRET_VARIABLE_DOCS = CONFIG_VARIABLES.filter((v) => v.secret && !isUrlVariable(v));

/**
 * Field names whose values are secrets wherever they appear in a logged object, at any depth; loggers match them
 * case-insensitively. Generic names (`token`, `password`, `authorization`, …) plus the Config key and environment
 * name of every secret that is not a URL (`botToken`, `SLACK_BOT_TOKEN`, …).
 */
export const SECRET_FIELD_NAMES: readonly string[] = Object.freeze([
  ...new Set([
    ...['token', 'accessToken', 'refreshToken', 'idToken', 'password', 'passwd', 'secret', 'clientSecret'],
    ...['apiKey', 'privateKey', 'credentials', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie'],
    ...['x-api-key', 'x-slack-signature', 'x-twilio-signature'],
    ...SECRET_VARIABLE_DOCS.flatMap((v) => [v.key.split('.').at(-1) ?? v.key, v.name]),
  ]),
]);

/**
 * Exact pino `redact` paths for the places secrets are known to sit: each secret's Config path (alone or under
 * `config`), its environment name (alone or under `env`), and request/response headers. No wildcards: pino's
 * leading-wildcard paths cost ~100 µs per line; deeper or unexpected places are covered by `SECRET_FIELD_NAMES`.
 */
export const REDACT_PATHS: readonly string[] = Object.freeze([
  ...SECRET_VARIABLE_DOCS.flatMap((v) => [v.key, `config.${v.key}`, v.name, `env.${v.name}`]),
  ...['authorization', 'cookie'].flatMap((h) => [`headers.${h}`, `req.headers.${h}`]),
  'res.headers["set-cookie"]',
]);

/**
 * Replaces the user and password of every URL in `value` with `***`, e.g. `redis://***@host:6379`, so that a
 * connection string (or a message quoting one) can be logged.
 */
export function redactUrlCredentials(value: string): string {
  // Greedy up to the last `@` of the authority, so a password with a stray `@` is not half shown.
  return value.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}

type RuleContext = z.core.$RefinementCtx<Env>;

/**
 * Rules between variables; each names the variable that is missing. They run even when some values are bad
 * (`when: () => true`) so that one start-up lists everything, and so they only test whether a variable is set.
 */
function checkCrossFieldRules(env: Env, ctx: RuleContext): void {
  const set = (name: ConfigVariableName) => env[name] !== undefined;
  const need = (name: ConfigVariableName, when: boolean, why: string) => {
    if (when && !set(name))
      ctx.addIssue({ code: 'custom', path: [name], message: why, params: { reason: 'REQUIRED' } });
  };
  const slackHttp = set('SLACK_BOT_TOKEN') && !set('SLACK_APP_TOKEN');
  need('SLACK_SIGNING_SECRET', slackHttp, 'required when SLACK_BOT_TOKEN is set without SLACK_APP_TOKEN (HTTP mode)');
  need('SLACK_BOT_TOKEN', set('SLACK_APP_TOKEN'), 'required when SLACK_APP_TOKEN is set');
  need('SLACK_BOT_TOKEN', set('SLACK_SIGNING_SECRET'), 'required when SLACK_SIGNING_SECRET is set');

  const teams = set('MICROSOFT_APP_ID');
  const type = env.MICROSOFT_APP_TYPE;
  const teamsWhy = `required when MICROSOFT_APP_ID is set and MICROSOFT_APP_TYPE is ${type}`;
  need('MICROSOFT_APP_PASSWORD', teams && (type === 'SingleTenant' || type === 'MultiTenant'), teamsWhy);
  need('MICROSOFT_APP_TENANT_ID', teams && (type === 'SingleTenant' || type === 'UserAssignedMSI'), teamsWhy);
  need('MICROSOFT_APP_ID', set('MICROSOFT_APP_PASSWORD'), 'required when MICROSOFT_APP_PASSWORD is set');
  if (env.TALLY_TEAMS_ANONYMOUS && env.NODE_ENV === 'production')
    ctx.addIssue({
      code: 'custom',
      path: ['TALLY_TEAMS_ANONYMOUS'],
      message: 'anonymous Teams traffic is refused when NODE_ENV=production; set MICROSOFT_APP_ID',
    });

  const twilio = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const;
  const twilioSet = twilio.filter(set);
  for (const name of twilio) {
    const verb = twilioSet.length > 1 ? 'are' : 'is';
    need(name, twilioSet.length > 0, `required when ${twilioSet.join(' and ')} ${verb} set (set all TWILIO_* or none)`);
  }

  need('TALLY_EMAIL_FROM', set('SMTP_URL'), 'required when SMTP_URL is set');

  need('AWS_SECRET_ACCESS_KEY', set('AWS_ACCESS_KEY_ID'), 'required when AWS_ACCESS_KEY_ID is set');
  need(
    'AWS_ACCESS_KEY_ID',
    set('AWS_SECRET_ACCESS_KEY') || set('AWS_SESSION_TOKEN'),
    'required when AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN is set',
  );
  need('AWS_SECRET_ACCESS_KEY', set('AWS_SESSION_TOKEN'), 'required when AWS_SESSION_TOKEN is set');

  need('AZURE_TENANT_ID', set('AZURE_CLIENT_SECRET'), 'required when AZURE_CLIENT_SECRET is set');
  need('AZURE_CLIENT_ID', set('AZURE_CLIENT_SECRET'), 'required when AZURE_CLIENT_SECRET is set');
}

function toConfig(env: Env): Config {
  const table = env.GOOGLE_BILLING_EXPORT_TABLE;
  const parts = table === undefined ? undefined : BQ_TABLE_RE.exec(table);
  const subscriptionIds = env.AZURE_SUBSCRIPTION_IDS ?? [];
  const sms = { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM };
  const smsApi = env.TWILIO_API_URL;
  return {
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    publicUrl: env.TALLY_PUBLIC_URL,
    today: env.TALLY_TODAY,
    fiscalYearStart: env.TALLY_FISCAL_YEAR_START,
    mongo: { uri: env.MONGODB_URI },
    redis: { url: env.REDIS_URL },
    queues: { prefix: env.TALLY_QUEUE_PREFIX, lockSeconds: env.TALLY_JOB_LOCK_SECONDS },
    schedules: {
      syncCron: env.TALLY_SYNC_CRON,
      scanCron: env.TALLY_SCAN_CRON,
      resyncDays: env.TALLY_SYNC_RESYNC_DAYS,
      historyDays: env.TALLY_SYNC_HISTORY_DAYS,
    },
    focusFile: env.TALLY_FOCUS_FILE,
    dataDir: env.TALLY_DATA_DIR ?? join(homedir(), '.tally', 'data'),
    duckdbMemory: env.TALLY_DUCKDB_MEMORY,
    duckdbThreads: env.TALLY_DUCKDB_THREADS,
    maxQueuedAnswers: env.TALLY_MAX_QUEUED_ANSWERS,
    undoDays: env.TALLY_UNDO_DAYS,
    policyFile: env.TALLY_POLICY_FILE,
    mcp: { token: env.TALLY_MCP_TOKEN, as: env.TALLY_MCP_AS },
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
      socketMode: env.SLACK_APP_TOKEN !== undefined,
      enabled: env.SLACK_BOT_TOKEN !== undefined,
    },
    teams: {
      appId: env.MICROSOFT_APP_ID,
      appPassword: env.MICROSOFT_APP_PASSWORD,
      tenantId: env.MICROSOFT_APP_TENANT_ID,
      appType: env.MICROSOFT_APP_TYPE,
      openIdMetadataUrl: env.MICROSOFT_OPENID_METADATA_URL,
      anonymous: env.TALLY_TEAMS_ANONYMOUS,
      enabled: env.MICROSOFT_APP_ID !== undefined || env.TALLY_TEAMS_ANONYMOUS,
    },
    llm: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.TALLY_MODEL,
      enabled: env.OPENAI_API_KEY !== undefined || env.OPENAI_BASE_URL !== undefined,
    },
    aws: {
      region: env.AWS_REGION,
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      sessionToken: env.AWS_SESSION_TOKEN,
      profile: env.AWS_PROFILE,
      endpointUrl: env.AWS_ENDPOINT_URL,
      regions: env.TALLY_AWS_REGIONS ?? (env.AWS_REGION ? [env.AWS_REGION] : []),
      tagKeys: env.TALLY_AWS_TAG_KEYS ?? [],
      roleName: env.TALLY_AWS_ROLE_NAME,
      externalId: env.TALLY_AWS_EXTERNAL_ID,
      accounts: env.TALLY_AWS_ACCOUNTS,
      enabled: [env.AWS_REGION, env.AWS_PROFILE, env.AWS_ACCESS_KEY_ID, env.AWS_ENDPOINT_URL].some(Boolean),
    },
    azure: {
      tenantId: env.AZURE_TENANT_ID,
      clientId: env.AZURE_CLIENT_ID,
      clientSecret: env.AZURE_CLIENT_SECRET,
      subscriptionIds,
      tagKeys: env.TALLY_AZURE_TAG_KEYS ?? [],
      resources: env.TALLY_AZURE_RESOURCES,
      storageConnectionString: env.AZURE_STORAGE_CONNECTION_STRING,
      enabled: subscriptionIds.length > 0,
    },
    google: {
      credentialsFile: env.GOOGLE_APPLICATION_CREDENTIALS,
      billingExportTable:
        table && parts ? { id: table, projectId: parts[1]!, datasetId: parts[2]!, tableId: parts[3]! } : undefined,
      billingAccountId: env.GOOGLE_BILLING_ACCOUNT_ID,
      enabled: table !== undefined,
    },
    email: { smtpUrl: env.SMTP_URL, from: env.TALLY_EMAIL_FROM, enabled: env.SMTP_URL !== undefined },
    sms: { ...sms, apiUrl: smsApi, enabled: Object.values(sms).every((v) => v !== undefined) },
  };
}

/** Empty (or blank) values count as unset, as with most `.env` loaders. */
function dropBlankValues(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')));
}

/** The one schema: environment record in, frozen-ready {@link Config} out. */
const envSchema = z
  .preprocess(dropBlankValues, variables.superRefine(checkCrossFieldRules, { when: () => true }))
  .transform(toConfig);

/** Why a variable was rejected: a bad value, or missing while another variable needs it. */
type ConfigProblemReason = 'INVALID' | 'REQUIRED';

/**
 * Parses and validates the environment, once, at start-up.
 *
 * @param env - the environment to read; `src/bootstrap/` passes the process environment, tests pass literals.
 * @returns a deeply frozen {@link Config}.
 * @throws TallyError `CONFIG_INVALID` listing every bad variable, one per line; `metadata.variables` holds their
 * names and `metadata.problems` `{ variable, reason }` pairs. Secret values are never echoed.
 * @example
 * const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
 * config.slack.socketMode; // true
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) throw configError(result.error.issues, env);
  return deepFreeze(result.data);
}

/**
 * {@link loadConfig} over the process environment: the only read of `process.env` in Tally
 * (`tests/unit/boundary.test.ts` checks it). Called once, by `src/bootstrap/`; everything else receives a
 * {@link Config} or one of its slices.
 */
export function loadProcessConfig(): Config {
  return loadConfig(process.env);
}

function configError(issues: readonly z.core.$ZodIssue[], env: Readonly<Record<string, string | undefined>>) {
  const byVariable = new Map<string, { reason: ConfigProblemReason; message: string }>();
  for (const issue of issues) {
    const variable = String(issue.path[0] ?? 'environment');
    if (byVariable.has(variable)) continue;
    const reason = issue.code === 'custom' && issue.params?.reason === 'REQUIRED' ? 'REQUIRED' : 'INVALID';
    byVariable.set(variable, { reason, message: issue.message });
  }
  const order = CONFIG_VARIABLES.map((v) => v.name as string);
  const variableNames = [...byVariable.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const lines = variableNames.map((name) => {
    const { reason, message } = byVariable.get(name)!;
    const raw = env[name];
    const shown = reason === 'INVALID' && raw !== undefined && !(SECRET_VARIABLES as readonly string[]).includes(name);
    return `  ${name}: ${message}${shown ? ` (got ${JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw)})` : ''}`;
  });
  return new TallyError('CONFIG_INVALID', `Invalid configuration:\n${lines.join('\n')}`, {
    metadata: {
      variables: variableNames,
      problems: variableNames.map((variable) => ({ variable, reason: byVariable.get(variable)!.reason })),
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
