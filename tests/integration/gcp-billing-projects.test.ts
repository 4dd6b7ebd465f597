// The billing account's projects from Cloud Billing (adapters/gcp/gcp-billing-projects.ts, the real
// @google-cloud/billing client over its REST transport) against a loopback fake of the Cloud Billing API, and the
// BigQuery billing sync that checks its export's projects against them, on the BigQuery fake, through the real
// SyncService, cost store and commands. Expected figures are computed here from the seeded export rows.
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BigQueryBillingSource } from '../../adapters/gcp/bigquery-billing.source.js';
import { GcpBillingProjects } from '../../adapters/gcp/gcp-billing-projects.js';
import { createBigQueryClient, createCloudBillingClient } from '../../adapters/gcp/gcp-clients.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { vocabularyOf } from '../../src/agent/understand/vocabulary.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import type { BigQueryTableRef } from '../../src/config/config.types.js';
import { CommandService } from '../../src/conversation/run-command.js';
import { CostQueryService } from '../../src/costs/cost-query.service.js';
import { ForecastService } from '../../src/costs/forecast.service.js';
import { SyncService } from '../../src/costs/sync.service.js';
import type { Clock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type BigQueryFake, type BillingExportRow, startBigQueryFake } from '../support/bigquery-fake.js';
import {
  type CloudBillingFake,
  type FakeBillingProject,
  startCloudBillingFake,
} from '../support/cloud-billing-fake.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';
import { toUnits, unitsToDecimal } from '../support/decimal-sum.js';

const BILLING = '01A2B3-C4D5E6-F7A8B9';
const TABLE: BigQueryTableRef = {
  id: 'acme-billing.billing_export.gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9',
  projectId: 'acme-billing',
  datasetId: 'billing_export',
  tableId: 'gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9',
};
const TOKEN = 'fake-google-token';
/** "Today": last month is May 2026, and the export's May rows are inside the 35-day look-back of `accounts()`. */
const NOW = new Date('2026-06-10T12:00:00Z');

const SHOP = { id: 'shop-prod-1234', name: 'Shop Prod' };
const ML = { id: 'ml-research-2214', name: 'ML Research' };
/** In the export, not on the billing account (moved away). */
const LEGACY = { id: 'legacy-app-0001', name: 'Legacy App' };

/** The billing account's projects: ML with billing disabled, and idle projects with no costs in the export. */
const ACCOUNT_PROJECTS: FakeBillingProject[] = [
  { projectId: 'sandbox-b-0002' },
  { projectId: SHOP.id },
  { projectId: ML.id, billingEnabled: false },
  { projectId: 'sandbox-a-0001' },
  { projectId: 'sandbox-c-0003' },
];

function row(project: { id: string; name: string }, day: string, service: string, cost: number): BillingExportRow {
  return {
    billing_account_id: BILLING,
    project,
    service: { description: service },
    location: { region: 'us-central1' },
    usage_start_time: `${day}T05:00:00Z`,
    cost,
    currency: 'USD',
    cost_type: 'regular',
    credits: [],
  };
}

const ROWS: BillingExportRow[] = [
  row(SHOP, '2026-05-10', 'Compute Engine', 120.125),
  row(SHOP, '2026-05-11', 'Cloud Storage', 3.3333),
  row(SHOP, '2026-06-02', 'Compute Engine', 40),
  row(ML, '2026-05-20', 'Vertex AI', 55.5),
  row(LEGACY, '2026-05-12', 'App Engine', 7.25),
  row(LEGACY, '2026-05-31', 'App Engine', 1.05),
];

/** May 2026 cost per project id, exact. */
function mayByProject(): Map<string, number> {
  const sums = new Map<string, bigint>();
  for (const r of ROWS.filter((x) => x.usage_start_time.startsWith('2026-05'))) {
    sums.set(r.project.id, (sums.get(r.project.id) ?? 0n) + toUnits(String(r.cost)));
  }
  return new Map([...sums].map(([id, units]) => [id, Number(unitsToDecimal(units))]));
}

function fakeAuth(): OAuth2Client {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: TOKEN, expiry_date: Date.now() + 3_600_000 });
  return authClient;
}

function billingProjects(fake: CloudBillingFake, pageSize: number): GcpBillingProjects {
  const client = createCloudBillingClient({}, { apiEndpoint: fake.url, authClient: fakeAuth() });
  return new GcpBillingProjects(client, BILLING, { pageSize });
}

beforeAll(() => {
  // Nothing may probe the GCE metadata server for credentials.
  vi.stubEnv('METADATA_SERVER_DETECTION', 'none');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('GcpBillingProjects on the Cloud Billing fake', () => {
  let fake: CloudBillingFake;
  beforeAll(async () => {
    fake = await startCloudBillingFake({ accounts: { [BILLING]: ACCOUNT_PROJECTS } });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('lists every project of the billing account with billingEnabled, following pageToken page by page', async () => {
    fake.requests.length = 0;
    const listed = await billingProjects(fake, 2).list();
    const want = ACCOUNT_PROJECTS.map((p) => ({ projectId: p.projectId, billingEnabled: p.billingEnabled ?? true }));
    expect(listed).toEqual(want.sort((a, b) => (a.projectId < b.projectId ? -1 : 1)));
    // Five projects two a page: three requests, each after the first with a new token.
    const pages = Math.ceil(ACCOUNT_PROJECTS.length / 2);
    expect(fake.requests).toHaveLength(pages);
    for (const r of fake.requests) {
      expect(r).toMatchObject({
        method: 'GET',
        path: `/v1/billingAccounts/${BILLING}/projects`,
        query: { pageSize: '2' },
      });
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    }
    const tokens = fake.requests.map((r) => r.query.pageToken);
    expect(tokens[0]).toBeUndefined();
    expect(new Set(tokens.slice(1)).size).toBe(pages - 1);
  });

  it('maps a refusal to CLOUD_DENIED and a quota error to CLOUD_THROTTLED', async () => {
    const projects = billingProjects(fake, 100);
    try {
      fake.fail(403, 'PERMISSION_DENIED');
      await expect(projects.list()).rejects.toMatchObject({ code: 'CLOUD_DENIED', metadata: { httpStatus: 403 } });
      fake.fail(429, 'RESOURCE_EXHAUSTED');
      await expect(projects.list()).rejects.toMatchObject({ code: 'CLOUD_THROTTLED', metadata: { httpStatus: 429 } });
    } finally {
      fake.heal();
    }
  });
});

interface Answer {
  rows: { key: string; label?: string; cost: number }[];
  totals: { currency: string; total: number }[];
}

describe('BigQuery billing sync with the billing account’s projects', () => {
  let billing: CloudBillingFake;
  let bigquery: BigQueryFake;
  let store: TestCostStore;
  let sync: SyncService;
  let commands: CommandService;
  const runs = new MemoryImportRunRepository();

  beforeAll(async () => {
    billing = await startCloudBillingFake({ accounts: { [BILLING]: ACCOUNT_PROJECTS }, maxPageSize: 2 });
    bigquery = await startBigQueryFake({ table: TABLE.id });
    bigquery.rows.push(...ROWS);
    const client = createBigQueryClient(
      { billingExportTable: TABLE },
      { apiEndpoint: bigquery.url, authClient: fakeAuth(), maxRetries: 0 },
    );
    // A second passes at every reading, so that each run recorded is newer than the one before.
    let at = NOW.getTime();
    const clock: Clock = {
      now: () => {
        at += 1000;
        return new Date(at);
      },
    };
    const source = new BigQueryBillingSource(client, TABLE, { clock, projects: billingProjects(billing, 100) });
    store = await createTestCostStore();
    sync = new SyncService({
      sources: [source],
      costs: store.repo,
      runs,
      clock,
      logger: silentLogger,
      historyDays: 45,
    });
    const costs = new CostQueryService(store.repo);
    commands = new CommandService({
      costs,
      forecast: new ForecastService(costs),
      clock,
      status: async () => ({
        store: 'test',
        dataRange: await store.repo.dataRange(),
        imports: await runs.latest(200),
        notes: [],
      }),
      names: vocabularyOf(store.repo),
    });
  });
  afterAll(async () => {
    await billing?.close();
    await bigquery?.close();
    await store?.cleanup();
  });

  const run = async (text: string): Promise<Reply> => {
    const parsed = parseCommand(text);
    if (!parsed.ok) throw new Error(`${text} did not parse`);
    return commands.run(parsed.command);
  };
  const footnote = async () => (await run('status')).footnote ?? '';
  const syncAll = async () => {
    const accounts = await sync.accounts('gcp-bigquery');
    for (const account of accounts) await sync.sync('gcp-bigquery', account);
    return accounts;
  };

  it('syncs every project of the export, one the billing account does not list included', async () => {
    expect(await syncAll()).toEqual([LEGACY.id, ML.id, SHOP.id]);
    // The account was listed page by page (five projects, at most two a page).
    expect(billing.requests.filter((r) => r.query.pageToken)).toHaveLength(2);
  });

  it('answers cost by account last month with the projects by name and the export’s figures', async () => {
    const answer = (await run('cost by account last month')).data as unknown as Answer;
    const want = mayByProject();
    const names = new Map([SHOP, ML, LEGACY].map((p) => [p.id, p.name]));
    expect(answer.rows.map((r) => r.key).sort()).toEqual([...want.keys()].sort());
    for (const r of answer.rows) {
      expect(r.label).toBe(`${names.get(r.key)} (${r.key})`);
      expect(r.cost).toBeCloseTo(want.get(r.key)!, 2);
    }
    const total = [...want.values()].reduce((a, b) => a + b, 0);
    expect(answer.totals[0]?.total).toBeCloseTo(total, 2);
  });

  it('notes in status the project not on the billing account and the one with billing disabled', async () => {
    const note = await footnote();
    expect(note).toContain(LEGACY.id);
    expect(note).toContain(ML.id);
    expect(note).toContain(BILLING);
    expect(note).not.toContain(SHOP.id);
    expect(note).not.toContain('sandbox-');
  });

  it('goes on syncing the export’s projects when Cloud Billing fails, and says so in status', async () => {
    billing.fail(403, 'PERMISSION_DENIED');
    try {
      const accounts = await sync.accounts('gcp-bigquery');
      expect(accounts).toEqual([LEGACY.id, ML.id, SHOP.id]);
      // A late row inside the window this sync fetches again.
      bigquery.rows.push(row(SHOP, '2026-06-08', 'Cloud Storage', 2.5));
      const window = await sync.window('gcp-bigquery', SHOP.id);
      const synced = await sync.sync('gcp-bigquery', SHOP.id);
      expect(synced.error).toBeUndefined();
      const inWindow = bigquery.rows.filter((r) => {
        const day = r.usage_start_time.slice(0, 10);
        return r.project.id === SHOP.id && day >= window.from && day <= window.to;
      });
      expect(inWindow.length).toBeGreaterThan(0);
      expect(synced.rowsImported).toBe(inWindow.length);
      const note = await footnote();
      expect(note).toContain('CLOUD_DENIED');
      expect(note).toContain(BILLING);
      const answer = (await run('cost by account last month')).data as unknown as Answer;
      expect(answer.rows.find((r) => r.key === SHOP.id)?.cost).toBeCloseTo(mayByProject().get(SHOP.id)!, 2);
    } finally {
      billing.heal();
    }
    // The next listing works again: its notes replace the failure.
    await sync.accounts('gcp-bigquery');
    const note = await footnote();
    expect(note).not.toContain('CLOUD_DENIED');
    expect(note).toContain(LEGACY.id);
  });
});
