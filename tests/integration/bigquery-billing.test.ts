// BigQueryBillingSource against a loopback fake of the BigQuery v2 API: a query job on the
// standard billing export table, results read page by page with `pageToken` (after one `jobComplete: false` poll),
// credits netted into EffectiveCost. Expected records are computed here from the seeded export rows with exact
// decimal sums, independently of the adapter and of the fake.
import { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BigQueryBillingSource } from '../../adapters/gcp/bigquery-billing.source.js';
import { createBigQueryClient } from '../../adapters/gcp/gcp-clients.js';
import type { BigQueryTableRef } from '../../src/config/config.types.js';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import {
  type BigQueryFake,
  type BigQueryRequest,
  type BillingExportRow,
  startBigQueryFake,
} from '../support/bigquery-fake.js';
import { toUnits, unitsToCents } from '../support/decimal-sum.js';

const TABLE: BigQueryTableRef = {
  id: 'acme-billing.billing_export.gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9',
  projectId: 'acme-billing',
  datasetId: 'billing_export',
  tableId: 'gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9',
};
const BILLING = '01A2B3-C4D5E6-F7A8B9';
const SHOP = { id: 'shop-prod-1234', name: 'Shop Prod' };
const ML = { id: 'ml-research-2214', name: 'ML Research' };
const OLD = { id: 'legacy-app-0001', name: 'Legacy' };
const RANGE = { from: '2026-05-01', to: '2026-05-02' };
const NOW = new Date('2026-05-20T12:00:00Z');

function row(
  project: { id: string; name: string },
  at: string,
  service: string,
  region: string | null,
  cost: number,
  credits: number[] = [],
  costType: BillingExportRow['cost_type'] = 'regular',
): BillingExportRow {
  return {
    billing_account_id: BILLING,
    project,
    service: { description: service },
    location: { region },
    usage_start_time: at,
    cost,
    currency: 'USD',
    cost_type: costType,
    credits: credits.map((amount, i) => ({ name: `credit-${i}`, amount })),
  };
}

const ROWS: BillingExportRow[] = [
  row(SHOP, '2026-04-30T23:00:00Z', 'Compute Engine', 'us-central1', 99),
  row(SHOP, '2026-05-01T00:00:00Z', 'Compute Engine', 'us-central1', 0.1, [-0.02, -0.005]),
  row(SHOP, '2026-05-01T13:00:00Z', 'Compute Engine', 'us-central1', 0.2, [-0.03]),
  row(SHOP, '2026-05-01T23:00:00Z', 'Compute Engine', 'us-central1', 10.123456),
  row(SHOP, '2026-05-01T05:00:00Z', 'Compute Engine', 'europe-west1', 4.5),
  row(SHOP, '2026-05-01T05:00:00Z', 'Cloud DNS', null, 0.4),
  row(SHOP, '2026-05-01T05:00:00Z', 'BigQuery', 'US', 12.75, [-12.75]),
  row(SHOP, '2026-05-02T10:00:00Z', 'Cloud Storage', 'us-central1', 1.111111111),
  row(SHOP, '2026-05-02T11:00:00Z', 'Cloud Storage', 'us-central1', 2.222222222),
  row(SHOP, '2026-05-02T12:00:00Z', 'Vertex AI', 'us-central1', 30, [-25, -5]),
  row(SHOP, '2026-05-02T00:00:00Z', 'Tax', null, 3.21, [], 'tax'),
  row(SHOP, '2026-05-03T00:00:00Z', 'Compute Engine', 'us-central1', 77),
  row(ML, '2026-05-01T08:00:00Z', 'Vertex AI', 'us-central1', 55),
  row(OLD, '2026-04-01T08:00:00Z', 'App Engine', 'us-central1', 5),
];

/** day|service|region|chargeCategory → exact sums of the seeded rows of one project in range. */
function expected(project: string) {
  const category = { regular: 'Usage', tax: 'Tax', adjustment: 'Adjustment', rounding_error: 'Adjustment' } as const;
  const sums = new Map<string, { billed: bigint; effective: bigint }>();
  for (const r of ROWS) {
    const day = r.usage_start_time.slice(0, 10);
    if (r.project.id !== project || day < RANGE.from || day > RANGE.to) continue;
    const key = [day, r.service.description, r.location.region ?? '', category[r.cost_type]].join('|');
    const entry = sums.get(key) ?? { billed: 0n, effective: 0n };
    const credits = r.credits.reduce((s, c) => s + toUnits(String(c.amount)), 0n);
    entry.billed += toUnits(String(r.cost));
    entry.effective += toUnits(String(r.cost)) + credits;
    sums.set(key, entry);
  }
  return sums;
}

const keyOf = (r: CostRecord) =>
  [r.chargePeriodStart.toISOString().slice(0, 10), r.serviceName, r.region, r.chargeCategory].join('|');
const cents = (n: number) => Math.round(n * 100) / 100;

let fake: BigQueryFake;
let source: BigQueryBillingSource;

function client(fakeUrl: string) {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'fake-google-token', expiry_date: Date.now() + 3_600_000 });
  return createBigQueryClient({ billingExportTable: TABLE }, { apiEndpoint: fakeUrl, authClient, maxRetries: 0 });
}

async function collect(s: BigQueryBillingSource, project: string): Promise<CostRecord[]> {
  const out: CostRecord[] = [];
  for await (const r of s.fetch(project, RANGE)) out.push(r);
  return out;
}

/** `configuration.query` of a jobs.insert request. */
function jobQuery(request: BigQueryRequest | undefined): Record<string, unknown> {
  const configuration = request?.body.configuration as { query?: Record<string, unknown> } | undefined;
  return configuration?.query ?? {};
}

async function rejection(promise: Promise<unknown>): Promise<TallyError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TallyError);
  return err as TallyError;
}

beforeAll(async () => {
  vi.stubEnv('METADATA_SERVER_DETECTION', 'none');
  fake = await startBigQueryFake({ table: TABLE.id, pageSize: 1000, pendingPolls: 1 });
  fake.rows.push(...ROWS);
  source = new BigQueryBillingSource(client(fake.url), TABLE, { clock: fixedClock(NOW), pageSize: 2 });
});

afterEach(() => {
  fake.requests.length = 0;
});

afterAll(async () => {
  await fake.close();
  vi.unstubAllEnvs();
});

describe('BigQueryBillingSource on a BigQuery fake', () => {
  it('lists the projects with costs in the look-back window', async () => {
    expect(await source.accounts()).toEqual([ML.id, SHOP.id].sort());
    const insert = fake.requests.find((r) => r.method === 'POST');
    expect(jobQuery(insert).queryParameters).toEqual([
      { name: 'from_day', parameterType: { type: 'DATE' }, parameterValue: { value: '2026-04-15' } },
    ]);
  });

  it('sums a project per day × service × region, nets credits into EffectiveCost, over pageToken pages', async () => {
    const records = await collect(source, SHOP.id);
    const want = expected(SHOP.id);

    expect(records.map(keyOf).sort()).toEqual([...want.keys()].sort());
    for (const r of records) {
      const w = want.get(keyOf(r));
      expect(cents(Number(r.billedCost))).toBe(unitsToCents(w?.billed ?? 0n));
      expect(cents(Number(r.effectiveCost))).toBe(unitsToCents(w?.effective ?? 0n));
      expect(r).toMatchObject({
        provider: 'Google Cloud',
        billingAccountId: BILLING,
        subAccountId: SHOP.id,
        subAccountName: SHOP.name,
        resourceId: '',
        listCost: r.billedCost,
        currency: 'USD',
        tags: [],
      });
      expect(r.chargePeriodEnd.getTime() - r.chargePeriodStart.getTime()).toBe(86_400_000);
    }
    // 0.1 + 0.2 + 10.123456 and its credits come back exact from the NUMERIC sums.
    const compute = records.find((r) => keyOf(r) === '2026-05-01|Compute Engine|us-central1|Usage');
    expect(compute?.billedCost).toBe(10.423456);
    expect(compute?.effectiveCost).toBeCloseTo(10.368456, 12);
    expect(Object.fromEntries(records.map((r) => [r.serviceName, r.serviceCategory]))).toEqual({
      'Compute Engine': 'Compute',
      'Cloud DNS': 'Networking',
      BigQuery: 'Analytics',
      'Cloud Storage': 'Storage',
      'Vertex AI': 'AI and Machine Learning',
      Tax: 'Other',
    });
  });

  it('sends one parameterised job on the export table and pages its results', async () => {
    const records = await collect(source, SHOP.id);
    const [insert, ...reads] = fake.requests;
    expect(insert?.method).toBe('POST');
    expect(insert?.path).toBe(`/bigquery/v2/projects/${TABLE.projectId}/jobs`);
    expect(insert?.authorization).toBe('Bearer fake-google-token');
    const query = jobQuery(insert);
    expect(query.query).toContain(`\`${TABLE.id}\``);
    expect(query.useLegacySql).toBe(false);
    expect(query.queryParameters).toEqual([
      { name: 'project', parameterType: { type: 'STRING' }, parameterValue: { value: SHOP.id } },
      { name: 'from_day', parameterType: { type: 'DATE' }, parameterValue: { value: RANGE.from } },
      { name: 'to_day', parameterType: { type: 'DATE' }, parameterValue: { value: RANGE.to } },
    ]);
    // One `jobComplete: false` poll, then pages of 2 rows.
    const pages = Math.ceil(records.length / 2);
    expect(reads).toHaveLength(1 + pages);
    for (const r of reads) {
      expect(r.method).toBe('GET');
      expect(r.path).toMatch(new RegExp(`^/bigquery/v2/projects/${TABLE.projectId}/queries/tally_`));
      expect(r.query.maxResults).toBe('2');
    }
    expect(reads.slice(0, 2).every((r) => r.query.pageToken === undefined)).toBe(true);
    expect(reads.slice(2).every((r) => typeof r.query.pageToken === 'string')).toBe(true);
  });

  it('yields nothing for a project without rows in the range', async () => {
    expect(await collect(source, OLD.id)).toEqual([]);
  });

  it('maps rateLimitExceeded (429) to CLOUD_THROTTLED without retrying', async () => {
    fake.failNext(429, 'rateLimitExceeded');
    const err = await rejection(collect(source, SHOP.id));
    expect(err.code).toBe('CLOUD_THROTTLED');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps accessDenied (403) to CLOUD_DENIED', async () => {
    fake.failNext(403, 'accessDenied');
    expect((await rejection(collect(source, SHOP.id))).code).toBe('CLOUD_DENIED');
  });

  it('maps a table that does not exist (tables.get answers 404 before any query) to CLOUD_NOT_FOUND', async () => {
    const other = new BigQueryBillingSource(client(fake.url), { ...TABLE, tableId: 'not_the_export', id: 'x' });
    expect((await rejection(collect(other, SHOP.id))).code).toBe('CLOUD_NOT_FOUND');
  });

  it('refuses a table name that is not one', () => {
    expect(() => new BigQueryBillingSource(client(fake.url), { ...TABLE, datasetId: 'x` OR 1=1 --' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
