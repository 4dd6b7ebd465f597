import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  type Config,
  loadConfig,
  REDACT_PATHS,
  redactUrlCredentials,
  SECRET_FIELD_NAMES,
  SECRET_VARIABLES,
} from '../../../src/config/env.js';
import { TallyError } from '../../../src/shared/errors.js';

const GUID = '0b5c8a2e-3f41-4c7a-9d0e-6a1b2c3d4e5f';
const GUID2 = '1c6d9b3f-4a52-4d8b-8e1f-7b2c3d4e5f60';

/** A complete, valid environment: every variable set. */
const FULL_ENV = {
  PORT: '8080',
  LOG_LEVEL: 'DEBUG',
  MONGODB_URI: 'mongodb+srv://tally:mongo-pass@cluster0.example.net/tally',
  REDIS_URL: 'rediss://:redis-pass@redis.example.net:6380/0',
  TALLY_FOCUS_FILE: './exports/focus.csv.gz',
  TALLY_DATA_DIR: '/var/lib/tally',
  TALLY_DUCKDB_MEMORY: '1GB',
  TALLY_DUCKDB_THREADS: '3',
  TALLY_MAX_QUEUED_ANSWERS: '250',
  TALLY_UNDO_DAYS: '14',
  TALLY_POLICY_FILE: './policy.yml',
  TALLY_MCP_TOKEN: 'mcp-token-0123456789abcdef',
  TALLY_MCP_AS: 'pat',
  TALLY_TODAY: '2026-05-15',
  TALLY_FISCAL_YEAR_START: 'april',
  SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
  SLACK_SIGNING_SECRET: 'signing-secret',
  SLACK_APP_TOKEN: 'xapp-1-A1-2-def',
  SLACK_API_URL: 'http://127.0.0.1:4010/api/',
  MICROSOFT_APP_ID: GUID,
  MICROSOFT_APP_PASSWORD: 'teams-pass',
  MICROSOFT_APP_TENANT_ID: 'contoso.onmicrosoft.com',
  MICROSOFT_APP_TYPE: 'SingleTenant',
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
  TALLY_MODEL: 'llama3.1',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  AWS_SESSION_TOKEN: 'aws-session',
  AWS_PROFILE: 'finops',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
  TALLY_AWS_REGIONS: 'us-east-1, eu-west-1,us-east-1',
  TALLY_AWS_TAG_KEYS: 'team, cost-center,team, aws:createdBy',
  TALLY_AWS_ROLE_NAME: 'TallyReadAndAct',
  TALLY_AWS_EXTERNAL_ID: 'tally-ext-1',
  TALLY_AWS_ACCOUNTS: '222222222222, 333333333333,222222222222',
  TALLY_AZURE_TAG_KEYS: 'Team',
  TALLY_AZURE_RESOURCES: 'true',
  TALLY_QUEUE_PREFIX: 'tally-eu',
  TALLY_JOB_LOCK_SECONDS: '45',
  TALLY_SYNC_CRON: '15 */4 * * *',
  TALLY_PUBLIC_URL: 'https://tally.example.com',
  MICROSOFT_OPENID_METADATA_URL: 'http://127.0.0.1:8090/v1/.well-known/openidconfiguration',
  TALLY_TEAMS_ANONYMOUS: 'false',
  NODE_ENV: 'test',
  TWILIO_API_URL: 'http://127.0.0.1:8089',
  TALLY_SCAN_CRON: '0 6 * * *',
  TALLY_SYNC_RESYNC_DAYS: '5',
  TALLY_SYNC_HISTORY_DAYS: '120',
  AZURE_TENANT_ID: GUID,
  AZURE_CLIENT_ID: GUID2,
  AZURE_CLIENT_SECRET: 'azure-secret',
  AZURE_SUBSCRIPTION_IDS: `${GUID}, ${GUID2},${GUID}`,
  AZURE_STORAGE_CONNECTION_STRING:
    'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.windows.net',
  GOOGLE_APPLICATION_CREDENTIALS: '/secrets/gcp.json',
  GOOGLE_BILLING_EXPORT_TABLE: 'acme-billing.billing_export.gcp_billing_export_v1_0123AB_CDEF45_6789AB',
  GOOGLE_BILLING_ACCOUNT_ID: '0123AB-CDEF45-6789AB',
  SMTP_URL: 'smtps://mailer:smtp-pass@smtp.example.com:465',
  TALLY_EMAIL_FROM: 'Tally <tally@example.com>',
  TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
  TWILIO_AUTH_TOKEN: 'twilio-token',
  TWILIO_FROM: '+14155550100',
} satisfies Record<string, string>;

/** Runs loadConfig expecting it to fail, and returns the TallyError. */
function configErrorOf(env: Record<string, string | undefined>): TallyError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof TallyError) return e;
    throw e;
  }
  throw new Error('expected loadConfig to throw');
}

const badVariables = (env: Record<string, string | undefined>) => configErrorOf(env).metadata.variables;

function valueAt(config: Config, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], config);
}

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      logLevel: 'info',
      redis: { url: 'redis://127.0.0.1:6379' },
      teams: { appType: 'SingleTenant', enabled: false },
      llm: { model: 'gpt-4.1-mini', enabled: false },
      slack: { enabled: false, socketMode: false },
      azure: { subscriptionIds: [], enabled: false },
      aws: { enabled: false },
      google: { enabled: false },
      email: { enabled: false },
      sms: { enabled: false },
    });
    expect(config.mongo.uri).toBeUndefined();
    expect(config.today).toBeUndefined();
  });

  it('parses a complete environment into typed slices', () => {
    const config = loadConfig(FULL_ENV);
    expect(config.port).toBe(8080);
    expect(config.logLevel).toBe('debug');
    expect(config.today).toBe('2026-05-15');
    expect(config.slack).toEqual({
      botToken: 'xoxb-1-2-abc',
      signingSecret: 'signing-secret',
      appToken: 'xapp-1-A1-2-def',
      apiUrl: 'http://127.0.0.1:4010/api/',
      socketMode: true,
      enabled: true,
    });
    expect(config.teams).toMatchObject({ appId: GUID, tenantId: 'contoso.onmicrosoft.com', enabled: true });
    expect(config.azure.subscriptionIds).toEqual([GUID, GUID2]);
    expect(config.google.billingExportTable).toEqual({
      id: FULL_ENV.GOOGLE_BILLING_EXPORT_TABLE,
      projectId: 'acme-billing',
      datasetId: 'billing_export',
      tableId: 'gcp_billing_export_v1_0123AB_CDEF45_6789AB',
    });
    expect(config.google.billingAccountId).toBe('0123AB-CDEF45-6789AB');
    expect(config.sms).toMatchObject({ from: '+14155550100', enabled: true });
    for (const slice of [config.llm, config.aws, config.azure, config.google, config.email]) {
      expect(slice.enabled).toBe(true);
    }
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin' }).port).toBe(3000);
  });

  it('reports every bad variable in one CONFIG_INVALID error', () => {
    const error = configErrorOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://127.0.0.1:6379',
      TALLY_TODAY: '2026-02-30',
      SLACK_API_URL: 'ftp://example.com',
      AWS_REGION: 'mars',
      TWILIO_FROM: '0155 555',
      TALLY_EMAIL_FROM: 'not-an-address',
      SMTP_URL: 'smtp://mail.example.com',
    });
    expect(error.code).toBe('CONFIG_INVALID');
    const variables = [
      'PORT',
      'LOG_LEVEL',
      'TALLY_TODAY',
      'REDIS_URL',
      'SLACK_API_URL',
      'AWS_REGION',
      'TALLY_EMAIL_FROM',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
    ];
    expect([...(error.metadata.variables as string[])].sort()).toEqual([...variables].sort());
    expect(error.metadata.problems).toContainEqual({ variable: 'PORT', reason: 'INVALID' });
    expect(error.metadata.problems).toContainEqual({ variable: 'TWILIO_AUTH_TOKEN', reason: 'REQUIRED' });
    // One header line, then one line per variable, each naming it.
    const lines = error.message.split('\n').slice(1);
    expect(lines.map((line) => line.trim().split(':')[0])).toEqual(error.metadata.variables);
  });

  it.each([
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['MONGODB_URI', 'postgres://localhost/tally'],
    ['SLACK_BOT_TOKEN', 'xoxp-user-token'],
    ['MICROSOFT_APP_ID', 'not-a-guid'],
    ['MICROSOFT_APP_TYPE', 'Tenantless'],
    ['AZURE_SUBSCRIPTION_IDS', `${GUID},sub-2`],
    ['TALLY_AWS_TAG_KEYS', 'team,cost$center'],
    ['TALLY_AWS_ACCOUNTS', '22222222222'],
    ['TALLY_AWS_ROLE_NAME', 'role name with spaces'],
    ['TALLY_AZURE_TAG_KEYS', ' , '],
    ['TALLY_AZURE_RESOURCES', 'yes'],
    ['GOOGLE_BILLING_EXPORT_TABLE', 'just_a_table'],
    ['GOOGLE_BILLING_ACCOUNT_ID', 'billingAccounts/0123AB-CDEF45-6789AB'],
    ['TWILIO_ACCOUNT_SID', 'AC123'],
    ['OPENAI_BASE_URL', 'localhost:11434'],
    ['OPENAI_API_KEY', ' sk-padded '],
    ['TALLY_FISCAL_YEAR_START', '13'],
    ['TALLY_FISCAL_YEAR_START', 'smarch'],
    ['TALLY_DUCKDB_THREADS', '0'],
    ['TALLY_DUCKDB_THREADS', '1.5'],
    ['TALLY_DUCKDB_THREADS', '257'],
    ['TALLY_MAX_QUEUED_ANSWERS', '10001'],
    ['TALLY_MAX_QUEUED_ANSWERS', '-1'],
    ['TALLY_UNDO_DAYS', '91'],
    ['TALLY_UNDO_DAYS', '1.5'],
  ])('rejects %s=%j', (name, value) => {
    const env = { ...FULL_ENV, [name]: value };
    expect(badVariables(env)).toEqual([name]);
  });

  it('never echoes the value of a secret variable', () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxp-leaky-user-token',
      SLACK_APP_TOKEN: 'leaky app token',
      MONGODB_URI: 'postgres://admin:leaky-db-pass@db',
      REDIS_URL: 'http://:leaky-redis-pass@redis',
      SMTP_URL: 'http://mailer:leaky-smtp-pass@smtp',
      OPENAI_API_KEY: ' leaky-openai-key',
      AWS_SECRET_ACCESS_KEY: 'leaky-aws-secret ',
      TALLY_MCP_TOKEN: 'leaky-mcp',
    };
    const error = configErrorOf({ ...secrets, PORT: 'not-a-port' });
    expect(error.metadata.variables).toEqual(expect.arrayContaining(Object.keys(secrets)));
    for (const value of Object.values(secrets)) {
      expect(error.message).not.toContain(value.trim());
      expect(JSON.stringify(error.metadata)).not.toContain(value.trim());
    }
    expect(error.message).toContain('"not-a-port"');
  });

  it.each([
    ['Slack HTTP mode needs the signing secret', { SLACK_BOT_TOKEN: 'xoxb-1' }, ['SLACK_SIGNING_SECRET']],
    ['Slack app token needs the bot token', { SLACK_APP_TOKEN: 'xapp-1' }, ['SLACK_BOT_TOKEN']],
    [
      'SingleTenant needs password and tenant',
      { MICROSOFT_APP_ID: GUID },
      ['MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID'],
    ],
    [
      'MultiTenant needs the password',
      { MICROSOFT_APP_ID: GUID, MICROSOFT_APP_TYPE: 'MultiTenant' },
      ['MICROSOFT_APP_PASSWORD'],
    ],
    [
      'a managed identity needs the tenant',
      { MICROSOFT_APP_ID: GUID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' },
      ['MICROSOFT_APP_TENANT_ID'],
    ],
    ['Twilio is all or none', { TWILIO_FROM: '+14155550100' }, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']],
    ['SMTP needs a sender', { SMTP_URL: 'smtp://127.0.0.1:2525' }, ['TALLY_EMAIL_FROM']],
    ['an AWS key id needs its secret', { AWS_ACCESS_KEY_ID: 'test' }, ['AWS_SECRET_ACCESS_KEY']],
    [
      'an Azure client secret needs tenant and client',
      { AZURE_CLIENT_SECRET: 's' },
      ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID'],
    ],
  ])('cross-field rule: %s', (_rule, env, missing) => {
    const error = configErrorOf(env);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.metadata.problems).toEqual(missing.map((variable) => ({ variable, reason: 'REQUIRED' })));
  });

  it('accepts the valid partial setups the cross-field rules allow', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.socketMode).toBe(true);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack.socketMode).toBe(false);
    const msi = loadConfig({
      MICROSOFT_APP_ID: GUID,
      MICROSOFT_APP_TYPE: 'UserAssignedMSI',
      MICROSOFT_APP_TENANT_ID: GUID,
    });
    expect(msi.teams.enabled).toBe(true);
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', TALLY_EMAIL_FROM: 'a@b.example' }).email.enabled).toBe(true);
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '  ', SLACK_BOT_TOKEN: '', MONGODB_URI: '', TWILIO_FROM: '' });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.slack.enabled).toBe(false);
    expect(config.mongo.uri).toBeUndefined();
    expect(config.sms.enabled).toBe(false);
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig(FULL_ENV);
    expect(Object.isFrozen(config)).toBe(true);
    for (const slice of [config.slack, config.teams, config.azure, config.azure.subscriptionIds, config.redis]) {
      expect(Object.isFrozen(slice)).toBe(true);
    }
    expect(Object.isFrozen(config.google.billingExportTable)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('queues and AWS regions', () => {
  it('parses the queue prefix, the job lock and the region list (deduplicated)', () => {
    const config = loadConfig(FULL_ENV);
    expect(config.queues).toEqual({ prefix: 'tally-eu', lockSeconds: 45 });
    expect(config.aws.regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('parses the tag keys of the Cost Explorer and Cost Management syncs (deduplicated), none when unset', () => {
    const config = loadConfig(FULL_ENV);
    expect(config.aws.tagKeys).toEqual(['team', 'cost-center', 'aws:createdBy']);
    expect(config.azure.tagKeys).toEqual(['Team']);
    expect(loadConfig({}).aws.tagKeys).toEqual([]);
    expect(loadConfig({}).azure.tagKeys).toEqual([]);
    expect(config.aws).toMatchObject({
      roleName: 'TallyReadAndAct',
      externalId: 'tally-ext-1',
      accounts: ['222222222222', '333333333333'],
    });
    expect(loadConfig({}).aws.accounts).toBeUndefined();
    expect(config.azure.resources).toBe(true);
    expect(config.azure.storageConnectionString).toBe(FULL_ENV.AZURE_STORAGE_CONNECTION_STRING);
    expect(loadConfig({}).azure.storageConnectionString).toBeUndefined();
    expect(loadConfig({}).azure.resources).toBe(false);
  });

  it('scans AWS_REGION when TALLY_AWS_REGIONS is unset, and nothing without either', () => {
    expect(loadConfig({ AWS_REGION: 'eu-central-1' }).aws.regions).toEqual(['eu-central-1']);
    expect(loadConfig({}).aws.regions).toEqual([]);
  });

  it('serves Teams anonymously only when asked, and never in production', () => {
    expect(loadConfig({}).teams).toMatchObject({ enabled: false, anonymous: false });
    expect(loadConfig({ TALLY_TEAMS_ANONYMOUS: 'true' }).teams).toMatchObject({ enabled: true, anonymous: true });
    expect(() => loadConfig({ TALLY_TEAMS_ANONYMOUS: 'true', NODE_ENV: 'production' })).toThrow(
      /TALLY_TEAMS_ANONYMOUS/,
    );
  });

  it('reads the bound of the answer queue, 100 by default', () => {
    expect(loadConfig(FULL_ENV).maxQueuedAnswers).toBe(250);
    expect(loadConfig({ TALLY_MAX_QUEUED_ANSWERS: '0' }).maxQueuedAnswers).toBe(0);
    expect(loadConfig({}).maxQueuedAnswers).toBe(100);
  });

  it("reads DuckDB's threads, unset by default (each command then picks its own)", () => {
    expect(loadConfig(FULL_ENV).duckdbThreads).toBe(3);
    expect(loadConfig({ TALLY_DUCKDB_THREADS: '1' }).duckdbThreads).toBe(1);
    expect(loadConfig({ TALLY_FISCAL_YEAR_START: 'Apr' }).fiscalYearStart).toBe(4);
    expect(loadConfig({ TALLY_FISCAL_YEAR_START: '10' }).fiscalYearStart).toBe(10);
    expect(loadConfig({}).fiscalYearStart).toBe(1);
    expect(loadConfig({}).duckdbThreads).toBeUndefined();
  });

  it('parses the schedules and refuses a bad cron', () => {
    expect(loadConfig(FULL_ENV).schedules).toEqual({
      syncCron: '15 */4 * * *',
      scanCron: '0 6 * * *',
      resyncDays: 5,
      historyDays: 120,
    });
    expect(() => loadConfig({ TALLY_SYNC_CRON: 'every hour' })).toThrow(/TALLY_SYNC_CRON/);
    expect(() => loadConfig({ TALLY_SCAN_CRON: '61 * * * *' })).toThrow(/TALLY_SCAN_CRON/);
  });

  it('names each bad value', () => {
    const err = (() => {
      try {
        loadConfig({ TALLY_AWS_REGIONS: 'us-east-1,mars', TALLY_QUEUE_PREFIX: 'a:b', TALLY_JOB_LOCK_SECONDS: '0' });
      } catch (e) {
        return e as TallyError;
      }
      throw new Error('expected a CONFIG_INVALID error');
    })();
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.metadata.variables).toEqual(['TALLY_QUEUE_PREFIX', 'TALLY_JOB_LOCK_SECONDS', 'TALLY_AWS_REGIONS']);
  });
});

describe('CONFIG_VARIABLES', () => {
  it('documents every variable, with its Config key and default', () => {
    const full = loadConfig(FULL_ENV);
    const defaults = loadConfig({});
    for (const variable of CONFIG_VARIABLES) {
      expect(variable.description, variable.name).not.toBe('');
      expect(valueAt(full, variable.key), variable.name).toBeDefined();
      if (variable.default !== undefined) expect(String(valueAt(defaults, variable.key))).toBe(variable.default);
    }
    expect(CONFIG_VARIABLES.map((v) => v.name).sort()).toEqual(Object.keys(FULL_ENV).sort());
  });

  it('marks tokens, passwords, keys and credential-bearing URLs as secret', () => {
    expect([...SECRET_VARIABLES].sort()).toEqual(
      [
        'MONGODB_URI',
        'REDIS_URL',
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'SLACK_APP_TOKEN',
        'MICROSOFT_APP_PASSWORD',
        'OPENAI_API_KEY',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AZURE_CLIENT_SECRET',
        'AZURE_STORAGE_CONNECTION_STRING',
        'SMTP_URL',
        'TWILIO_AUTH_TOKEN',
        'TALLY_MCP_TOKEN',
      ].sort(),
    );
  });

  it('is what .env.example lists', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)];
    expect(listed.map((m) => m[1]).sort()).toEqual(CONFIG_VARIABLES.map((v) => v.name).sort());
    for (const [, name, value] of listed) {
      if (SECRET_VARIABLES.includes(name as never)) expect(value, `${name} must be empty`).toBe('');
    }
    // The example must itself be a valid configuration.
    expect(() => loadConfig(Object.fromEntries(listed.map((m) => [m[1], m[2]])))).not.toThrow();
  });
});

describe('redaction lists', () => {
  it('name secret fields by generic name, Config key and environment name', () => {
    for (const name of ['token', 'password', 'authorization', 'apiKey', 'botToken', 'authToken', 'SLACK_BOT_TOKEN']) {
      expect(SECRET_FIELD_NAMES).toContain(name);
    }
    // Connection URLs stay readable: their credentials are masked instead.
    for (const name of ['uri', 'url', 'smtpUrl', 'MONGODB_URI', 'REDIS_URL'])
      expect(SECRET_FIELD_NAMES).not.toContain(name);
  });

  it('give pino exact paths only', () => {
    for (const path of ['slack.botToken', 'config.sms.authToken', 'SLACK_BOT_TOKEN', 'req.headers.authorization']) {
      expect(REDACT_PATHS).toContain(path);
    }
    expect(REDACT_PATHS.filter((path) => path.includes('*'))).toEqual([]);
  });

  it('hide URL credentials but keep the host', () => {
    expect(redactUrlCredentials('mongodb://tally:pw@db:27017/tally')).toBe('mongodb://***@db:27017/tally');
    expect(redactUrlCredentials('mongodb://tally:p@ss@db/tally')).toBe('mongodb://***@db/tally');
    expect(redactUrlCredentials('connect redis://:pw@r:6379 failed')).toBe('connect redis://***@r:6379 failed');
    expect(redactUrlCredentials('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
