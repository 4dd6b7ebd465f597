// AwsCostExplorerSource against moto through the recording proxy. moto answers
// GetCostAndUsage only from results queued through `POST /moto-api/static/ce/cost-and-usage-results`, matched on the
// raw request body. The queue is per account: this file seeds and reads in an account of its own, chosen by moto's
// `x-moto-account-id` header (moto's `get_current_account`), so other test files sharing moto cannot take its results.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AwsClients, createAwsClients } from '../../adapters/aws/aws-clients.js';
import { AwsCostExplorerSource } from '../../adapters/aws/aws-cost-explorer.source.js';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { fixedClock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import { type AwsProxy, startAwsProxy } from '../support/aws-proxy.js';
import { toUnits, unitsToCents } from '../support/decimal-sum.js';
import { awsTestConfig } from '../support/moto.js';
import { awsEndpoint } from '../support/services.js';

const endpoint = awsEndpoint();
/** This file's own moto account: the payer that STS reports and the owner of the seeded CE queue. */
const PAYER = `7${String(randomInt(10_000_000_000, 99_999_999_999))}`;
const LINKED = '111122223333';
const OTHER = '444455556666';
const NOW = new Date('2026-06-10T08:00:00Z');

type Amounts = { amortized: string; unblended: string; unit?: string };
const group = (service: string, region: string, a: Amounts) => ({
  Keys: [service, region],
  Metrics: {
    AmortizedCost: { Amount: a.amortized, Unit: a.unit ?? 'USD' },
    UnblendedCost: { Amount: a.unblended, Unit: a.unit ?? 'USD' },
  },
});
const day = <G>(start: string, end: string, groups: G[]) => ({
  TimePeriod: { Start: start, End: end },
  Total: {},
  Groups: groups,
  Estimated: false,
});

/** Two pages chained by NextPageToken, as CE returns a DAILY SERVICE × REGION query. */
const PAGE_1 = {
  ResultsByTime: [
    day('2026-05-30', '2026-05-31', [
      group('Amazon Elastic Compute Cloud - Compute', 'us-east-1', { amortized: '41.2500000001', unblended: '12.75' }),
      group('Amazon Simple Storage Service', 'eu-west-1', { amortized: '3.0101516483', unblended: '3.0101516483' }),
    ]),
    day('2026-05-31', '2026-06-01', [
      group('Amazon CloudFront', 'global', { amortized: '7.1', unblended: '7.1' }),
      group('AWS Lambda', 'us-east-1', { amortized: '0', unblended: '0' }),
    ]),
  ],
  NextPageToken: 'page-2-token',
};
const PAGE_2 = {
  ResultsByTime: [
    day('2026-06-01', '2026-06-02', [
      group('Amazon Elastic Compute Cloud - Compute', 'us-east-1', { amortized: '40.125', unblended: '11.5' }),
      group('Tax', 'NoRegion', { amortized: '4.44', unblended: '4.44' }),
      group('Savings Plans for AWS Compute usage', 'NoRegion', { amortized: '0', unblended: '28.5' }),
    ]),
  ],
  DimensionValueAttributes: [],
};
const ACCOUNTS = {
  ResultsByTime: [
    day('2026-05-06', '2026-06-01', [
      { Keys: [OTHER], Metrics: { UnblendedCost: { Amount: '5', Unit: 'USD' } } },
      { Keys: [LINKED], Metrics: { UnblendedCost: { Amount: '9', Unit: 'USD' } } },
    ]),
    day('2026-06-01', '2026-06-10', [{ Keys: [LINKED], Metrics: { UnblendedCost: { Amount: '2', Unit: 'USD' } } }]),
  ],
  DimensionValueAttributes: [
    { Value: LINKED, Attributes: { description: 'payments-prod' } },
    { Value: OTHER, Attributes: { description: 'data-dev' } },
  ],
};

/** Queues CE results in this file's account, in the order requests will take them. */
async function seedCe(results: unknown[]): Promise<void> {
  const res = await fetch(new URL('/moto-api/static/ce/cost-and-usage-results', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: PAYER, results }),
  });
  expect(res.status).toBe(201);
}

/** Sends every Cost Explorer and STS request of these clients as this file's moto account. */
function asAccount(clients: AwsClients): AwsClients {
  const header = { step: 'build', name: 'motoAccount' } as const;
  const setAccount = (request: unknown) => {
    (request as { headers: Record<string, string> }).headers['x-moto-account-id'] = PAYER;
  };
  clients.costExplorer.middlewareStack.add(
    (next) => async (args) => {
      setAccount(args.request);
      return next(args);
    },
    header,
  );
  clients.sts.middlewareStack.add(
    (next) => async (args) => {
      setAccount(args.request);
      return next(args);
    },
    header,
  );
  return clients;
}

const ceBodies = () =>
  proxy.requests
    .filter((r) => r.action === 'GetCostAndUsage')
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);

let proxy: AwsProxy;
let source: AwsCostExplorerSource;

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  proxy = await startAwsProxy(endpoint);
  source = new AwsCostExplorerSource(asAccount(createAwsClients(awsTestConfig(proxy.url))), {
    clock: fixedClock(NOW),
  });
});

afterAll(async () => {
  await proxy.close();
  vi.unstubAllEnvs();
});

describe('AwsCostExplorerSource on moto', () => {
  it('lists the linked accounts with costs in the look-back window', async () => {
    await seedCe([ACCOUNTS]);
    expect(await source.accounts()).toEqual([LINKED, OTHER]);
    const [body] = ceBodies();
    expect(body).toEqual({
      TimePeriod: { Start: '2026-05-06', End: '2026-06-10' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
    });
  });

  it('fetches DAILY SERVICE × REGION costs over two pages and maps them to FOCUS records', async () => {
    await seedCe([PAGE_1, PAGE_2]);
    const records: CostRecord[] = [];
    for await (const r of source.fetch(LINKED, { from: '2026-05-30', to: '2026-06-01' })) records.push(r);

    const [page1, page2] = ceBodies().slice(1);
    expect(page1).toEqual({
      TimePeriod: { Start: '2026-05-30', End: '2026-06-02' },
      Granularity: 'DAILY',
      Metrics: ['AmortizedCost', 'UnblendedCost'],
      Filter: { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [LINKED] } },
      GroupBy: [
        { Type: 'DIMENSION', Key: 'SERVICE' },
        { Type: 'DIMENSION', Key: 'REGION' },
      ],
    });
    expect(page2).toEqual({ ...page1, NextPageToken: 'page-2-token' });
    expect(ceBodies()).toHaveLength(3);

    // Expected records straight from the seeded pages: every group with a non-zero cost, in order.
    const seeded = [...PAGE_1.ResultsByTime, ...PAGE_2.ResultsByTime].flatMap((d) =>
      d.Groups.map((g) => ({ day: d.TimePeriod.Start, end: d.TimePeriod.End, g })),
    );
    const nonZero = seeded.filter(
      ({ g }) => toUnits(g.Metrics.AmortizedCost.Amount) !== 0n || toUnits(g.Metrics.UnblendedCost.Amount) !== 0n,
    );
    expect(records).toHaveLength(nonZero.length);
    nonZero.forEach(({ day: start, end, g }, i) => {
      const [service = '', region = ''] = g.Keys;
      expect(records[i]).toEqual({
        provider: 'AWS',
        billingAccountId: PAYER,
        subAccountId: LINKED,
        subAccountName: 'payments-prod',
        serviceName: service,
        serviceCategory: expect.any(String),
        region: region === 'global' || region === 'NoRegion' ? '' : region,
        resourceId: '',
        chargePeriodStart: new Date(`${start}T00:00:00Z`),
        chargePeriodEnd: new Date(`${end}T00:00:00Z`),
        chargeCategory: service === 'Tax' ? 'Tax' : 'Usage',
        effectiveCost: expect.closeTo(Number.parseFloat(g.Metrics.AmortizedCost.Amount), 10),
        billedCost: expect.closeTo(Number.parseFloat(g.Metrics.UnblendedCost.Amount), 10),
        listCost: expect.closeTo(Number.parseFloat(g.Metrics.UnblendedCost.Amount), 10),
        currency: 'USD',
        tags: [],
      });
    });

    // Totals in cents, from exact decimal sums of the seeded strings.
    const cents = (pick: (m: (typeof seeded)[number]['g']['Metrics']) => { Amount: string }) =>
      unitsToCents(seeded.reduce((sum, { g }) => sum + toUnits(pick(g.Metrics).Amount), 0n));
    const total = (field: 'effectiveCost' | 'billedCost') =>
      Math.round(records.reduce((s, r) => s + Number(r[field]), 0) * 100) / 100;
    expect(total('effectiveCost')).toBe(cents((m) => m.AmortizedCost));
    expect(total('billedCost')).toBe(cents((m) => m.UnblendedCost));

    expect(Object.fromEntries(records.map((r) => [r.serviceName, r.serviceCategory]))).toEqual({
      'Amazon Elastic Compute Cloud - Compute': 'Compute',
      'Amazon Simple Storage Service': 'Storage',
      'Amazon CloudFront': 'Networking',
      Tax: 'Other',
      'Savings Plans for AWS Compute usage': 'Other',
    });
  });

  it('reports an unreachable Cost Explorer as CLOUD_FAILED', async () => {
    const broken = new AwsCostExplorerSource(createAwsClients(awsTestConfig('http://127.0.0.1:1')), {
      payerAccountId: PAYER,
    });
    const err = await (async () => {
      for await (const _ of broken.fetch(LINKED, { from: '2026-05-30', to: '2026-06-01' })) break;
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TallyError);
    expect((err as TallyError).code).toBe('CLOUD_FAILED');
  });
});
