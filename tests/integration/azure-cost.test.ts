// AzureCostSource against a loopback fake of the Cost Management query API: two views (ActualCost,
// AmortizedCost) joined per day × service × location, `nextLink` paging, and ARM failures mapped to Tally codes.
// Expected records are computed here from the seeded lines with exact decimal sums, independently of the adapter.
import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AzureCostSource } from '../../adapters/azure/azure-cost.source.js';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { TallyError } from '../../src/shared/errors.js';
import { type AzureCostFake, type AzureCostLine, startAzureCostFake } from '../support/azure-cost-fake.js';
import { toUnits, unitsToCents } from '../support/decimal-sum.js';

const SUB = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
const SUB_EMPTY = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9';
const SUB_DENIED = 'ffffffff-0000-4000-8000-000000000000';
const RANGE = { from: '2026-05-01', to: '2026-05-03' };

const line = (date: string, service: string, location: string, cost: number, currency = 'EUR'): AzureCostLine => ({
  date,
  service,
  location,
  cost,
  currency,
});

/** Invoiced: a reservation bought on the 1st, pay-as-you-go usage, bandwidth without a region, one day out of range. */
const ACTUAL = [
  line('2026-04-30', 'Storage', 'westeurope', 9.99),
  line('2026-05-01', 'Virtual Machines', 'westeurope', 360),
  line('2026-05-01', 'Storage', 'westeurope', 1.2345),
  line('2026-05-01', 'Storage', 'westeurope', 0.0055),
  line('2026-05-01', 'Bandwidth', 'Unassigned', 0.87),
  line('2026-05-01', 'Bandwidth', 'global', 0.13),
  line('2026-05-02', 'Storage', 'westeurope', 1.24),
  line('2026-05-02', 'Azure OpenAI', 'swedencentral', 14.75),
  line('2026-05-03', 'Storage', 'westeurope', 1.24),
  line('2026-05-03', 'Key Vault', 'westeurope', 0),
];
/** Amortised: the reservation spread over the days it covers; everything else as invoiced. */
const AMORTIZED = [
  line('2026-04-30', 'Storage', 'westeurope', 9.99),
  line('2026-05-01', 'Virtual Machines', 'westeurope', 12),
  line('2026-05-01', 'Storage', 'westeurope', 1.24),
  line('2026-05-01', 'Bandwidth', 'Unassigned', 1),
  line('2026-05-02', 'Virtual Machines', 'westeurope', 12),
  line('2026-05-02', 'Storage', 'westeurope', 1.24),
  line('2026-05-02', 'Azure OpenAI', 'swedencentral', 14.75),
  line('2026-05-03', 'Virtual Machines', 'westeurope', 12),
  line('2026-05-03', 'Storage', 'westeurope', 1.24),
  line('2026-05-03', 'Key Vault', 'westeurope', 0),
];

/** day|service|region|currency → exact sums of the seeded lines in range; regions without a location become ''. */
function expected(actual: AzureCostLine[], amortized: AzureCostLine[]) {
  const sums = new Map<string, { billed: bigint; effective: bigint }>();
  const add = (lines: AzureCostLine[], field: 'billed' | 'effective') => {
    for (const l of lines.filter((x) => x.date >= RANGE.from && x.date <= RANGE.to)) {
      const region = ['global', 'unassigned'].includes(l.location.toLowerCase()) ? '' : l.location.toLowerCase();
      const key = [l.date, l.service, region, l.currency].join('|');
      const entry = sums.get(key) ?? { billed: 0n, effective: 0n };
      entry[field] += toUnits(String(l.cost));
      sums.set(key, entry);
    }
  };
  add(actual, 'billed');
  add(amortized, 'effective');
  return new Map([...sums].filter(([, v]) => v.billed !== 0n || v.effective !== 0n));
}

const keyOf = (r: CostRecord) =>
  [r.chargePeriodStart.toISOString().slice(0, 10), r.serviceName, r.region, r.currency].join('|');
const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * A fake TokenCredential that records the scopes asked for (never DefaultAzureCredential, which would look for a real
 * identity).
 */
const scopes: string[] = [];
const credential: TokenCredential = {
  getToken: async (scope): Promise<AccessToken> => {
    scopes.push(...(Array.isArray(scope) ? scope : [scope]));
    return { token: 'fake-azure-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  },
};

async function collect(source: AzureCostSource, account: string): Promise<CostRecord[]> {
  const out: CostRecord[] = [];
  for await (const r of source.fetch(account, RANGE)) out.push(r);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<TallyError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TallyError);
  return err as TallyError;
}

let fake: AzureCostFake;
let source: AzureCostSource;

beforeAll(async () => {
  fake = await startAzureCostFake({ pageSize: 2 });
  fake.seed(SUB, 'ActualCost', ACTUAL);
  fake.seed(SUB, 'AmortizedCost', AMORTIZED);
  fake.seed(SUB_EMPTY, 'ActualCost', []);
  fake.seed(SUB_EMPTY, 'AmortizedCost', []);
  source = new AzureCostSource({ subscriptionIds: [SUB, SUB_EMPTY] }, credential, {
    endpoint: fake.url,
    maxRetries: 0,
  });
});

afterEach(() => {
  fake.requests.length = 0;
});

afterAll(async () => {
  await fake.close();
});

describe('AzureCostSource on a Cost Management fake', () => {
  it('lists the configured subscriptions', async () => {
    expect(await source.accounts()).toEqual([SUB, SUB_EMPTY]);
  });

  it('joins ActualCost (billed) and AmortizedCost (effective) per day × service × location over nextLink pages', async () => {
    const records = await collect(source, SUB);
    const want = expected(ACTUAL, AMORTIZED);

    expect(records.map(keyOf).sort()).toEqual([...want.keys()].sort());
    for (const r of records) {
      const w = want.get(keyOf(r));
      expect(cents(Number(r.billedCost))).toBe(unitsToCents(w?.billed ?? 0n));
      expect(cents(Number(r.effectiveCost))).toBe(unitsToCents(w?.effective ?? 0n));
      expect(r).toMatchObject({
        provider: 'Microsoft',
        billingAccountId: SUB,
        subAccountId: SUB,
        subAccountName: SUB,
        chargeCategory: 'Usage',
        resourceId: '',
        listCost: r.billedCost,
        tags: [],
      });
      expect(r.chargePeriodEnd.getTime() - r.chargePeriodStart.getTime()).toBe(86_400_000);
    }
    const categories = Object.fromEntries(records.map((r) => [r.serviceName, r.serviceCategory]));
    expect(categories).toEqual({
      'Virtual Machines': 'Compute',
      Storage: 'Storage',
      Bandwidth: 'Networking',
      'Azure OpenAI': 'AI and Machine Learning',
    });
  });

  it('sends each view as one Custom Daily query and POSTs it again to every nextLink', async () => {
    await collect(source, SUB);
    const byType = (type: string) => fake.requests.filter((r) => r.body.type === type);
    for (const type of ['ActualCost', 'AmortizedCost']) {
      const sent = byType(type);
      // The fake sums lines per day × service × location (× currency) and pages 2 rows at a time.
      const rows = new Set(
        (type === 'ActualCost' ? ACTUAL : AMORTIZED)
          .filter((l) => l.date >= RANGE.from)
          .map((l) => `${l.date} ${l.service} ${l.location}`),
      );
      expect(sent).toHaveLength(Math.ceil(rows.size / 2));
      expect(sent[0]?.query).toEqual({ 'api-version': '2022-10-01' });
      sent.slice(1).forEach((r) => {
        expect(r.query.$skiptoken).toMatch(/.+/);
      });
      for (const r of sent) {
        expect(r.method).toBe('POST');
        expect(r.path).toBe(`/subscriptions/${SUB}/providers/Microsoft.CostManagement/query`);
        expect(r.authorization).toBe('Bearer fake-azure-token');
        expect(r.body).toEqual({
          type,
          timeframe: 'Custom',
          timePeriod: { from: '2026-05-01T00:00:00.000Z', to: '2026-05-03T23:59:59.000Z' },
          dataset: {
            granularity: 'Daily',
            aggregation: { totalCost: { name: 'Cost', function: 'Sum' } },
            grouping: [
              { type: 'Dimension', name: 'ServiceName' },
              { type: 'Dimension', name: 'ResourceLocation' },
            ],
          },
        });
      }
    }
    expect(scopes).toContain(`${fake.url}/.default`);
  });

  it('yields nothing for a subscription without costs', async () => {
    expect(await collect(source, SUB_EMPTY)).toEqual([]);
  });

  it('maps a 429 on the first page to CLOUD_THROTTLED without retrying (maxRetries 0)', async () => {
    fake.throttle(1);
    const err = await rejection(collect(source, SUB));
    expect(err.code).toBe('CLOUD_THROTTLED');
    expect(err.metadata).toMatchObject({ httpStatus: 429, retryAfterSeconds: 20 });
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a 429 on a nextLink page to CLOUD_THROTTLED', async () => {
    fake.throttle(1, 1);
    const err = await rejection(collect(source, SUB));
    expect(err.code).toBe('CLOUD_THROTTLED');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.query.$skiptoken).toMatch(/.+/);
  });

  it('maps 403 AuthorizationFailed to CLOUD_DENIED', async () => {
    const err = await rejection(collect(source, SUB_DENIED));
    expect(err.code).toBe('CLOUD_DENIED');
  });

  it('maps a refused token to CLOUD_DENIED', async () => {
    const wrong: TokenCredential = {
      getToken: async () => ({ token: 'stolen', expiresOnTimestamp: Date.now() + 60_000 }),
    };
    const other = new AzureCostSource({ subscriptionIds: [SUB] }, wrong, { endpoint: fake.url, maxRetries: 0 });
    const err = await rejection(collect(other, SUB));
    expect(err.code).toBe('CLOUD_DENIED');
  });

  it('refuses a plain-HTTP endpoint off loopback', () => {
    expect(() => new AzureCostSource({ subscriptionIds: [] }, credential, { endpoint: 'http://example.com' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
