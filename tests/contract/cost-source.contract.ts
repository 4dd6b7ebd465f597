import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CostRecord } from '../../src/costs/cost-record.types.js';
import type { CostSource } from '../../src/costs/cost-source.port.js';
import type { Day } from '../../src/shared/day.js';
import { TallyError } from '../../src/shared/errors.js';
import { toUnits, unitsToDecimal } from '../support/decimal-sum.js';

/** One charge as the vendor bills it: a day, a service, a region (`''`: none) and its costs as exact decimals (USD). */
export interface CostLine {
  day: Day;
  service: string;
  region: string;
  /** What was invoiced (FOCUS BilledCost). */
  billed: string;
  /** After discounts and amortised commitments (FOCUS EffectiveCost). */
  effective: string;
}

/** What the vendor holds: the lines of each account. The setup names the accounts in the vendor's own form. */
interface CostWorld {
  accounts: CostLine[][];
}

interface CostSourceSetup {
  source: CostSource;
  /** The vendor's ids of the world's accounts, in the same order. */
  accountIds: string[];
  /** Arranges that the next fetch of the returned account fails as the vendor fails when it throttles or denies. */
  failing(kind: 'throttled' | 'denied'): string;
  close(): Promise<void>;
}

/** Builds a source on a vendor (an emulator or a fake) seeded with `world`, paging a few rows at a time. */
export type CostSourceFactory = (world: CostWorld, range: { from: Day; to: Day }) => Promise<CostSourceSetup>;

const RANGE = { from: '2026-05-01', to: '2026-05-03' } as const;
const VM = 'Virtual Machines';
const STORAGE = 'Object Storage';
const DNS = 'DNS';

const line = (day: Day, service: string, region: string, billed: string, effective = billed): CostLine => ({
  day,
  service,
  region,
  billed,
  effective,
});

/**
 * Account 0: a day before and a day after the range, two lines of one day × service × region to be summed, a
 * commitment amortised (effective above billed), a charge without a region; more rows than a page. Account 1: one
 * line. Account 2: nothing.
 */
const WORLD: CostWorld = {
  accounts: [
    [
      line('2026-04-30', VM, 'us-east-1', '9.99'),
      line('2026-05-01', VM, 'us-east-1', '12.75', '41.2500000001'),
      line('2026-05-01', VM, 'us-east-1', '0.25'),
      line('2026-05-01', STORAGE, 'eu-west-1', '3.0101516483'),
      line('2026-05-02', VM, 'us-east-1', '11.5', '40.125'),
      line('2026-05-02', DNS, '', '0.4'),
      line('2026-05-03', STORAGE, 'eu-west-1', '1.24'),
      line('2026-05-04', VM, 'us-east-1', '77'),
    ],
    [line('2026-05-02', VM, 'eu-west-1', '7.1')],
    [],
  ],
};

const keyOf = (day: string, service: string, region: string) => `${day}|${service}|${region}`;

/** The records a fetch of the account should yield, by day|service|region: exact sums of its lines in the range. */
function expectedRecords(lines: CostLine[]) {
  const sums = new Map<string, { billed: bigint; effective: bigint }>();
  for (const l of lines.filter((x) => x.day >= RANGE.from && x.day <= RANGE.to)) {
    const key = keyOf(l.day, l.service, l.region);
    const sum = sums.get(key) ?? { billed: 0n, effective: 0n };
    sum.billed += toUnits(l.billed);
    sum.effective += toUnits(l.effective);
    sums.set(key, sum);
  }
  return sums;
}

async function collect(source: CostSource, account: string): Promise<CostRecord[]> {
  const out: CostRecord[] = [];
  for await (const r of source.fetch(account, RANGE)) out.push(r);
  return out;
}

const recordKey = (r: CostRecord) => keyOf(r.chargePeriodStart.toISOString().slice(0, 10), r.serviceName, r.region);

/**
 * The CostSource contract (src/costs/cost-source.port.ts): a cloud billing API read as FOCUS cost records. `accounts`
 * lists every account with costs, once; `fetch` yields one record per day × service × region of one account in the
 * inclusive range, summed exactly over all of the vendor's pages, and nothing of other accounts or days; throttling
 * and refusals are TallyErrors `CLOUD_THROTTLED` and `CLOUD_DENIED`. Run against AWS Cost Explorer on moto and the
 * Azure Cost Management and BigQuery fakes.
 */
export function costSourceContract(name: string, make: CostSourceFactory) {
  describe(`CostSource contract: ${name}`, () => {
    let setup: CostSourceSetup;
    beforeEach(async () => {
      setup = await make(WORLD, RANGE);
    });
    afterEach(async () => {
      await setup.close();
    });

    it('has one of the documented stable names', () => {
      expect(['aws-ce', 'azure', 'gcp-bigquery']).toContain(setup.source.name);
    });

    it('lists every account that has costs, once', async () => {
      const listed = await setup.source.accounts();
      expect(new Set(listed).size).toBe(listed.length);
      const withCosts = setup.accountIds.filter((_, i) => (WORLD.accounts[i] ?? []).length > 0);
      for (const account of withCosts) expect(listed).toContain(account);
    });

    it('yields one record per day × service × region in the range, summed exactly over every page', async () => {
      const [account] = setup.accountIds;
      const records = await collect(setup.source, account!);
      const want = expectedRecords(WORLD.accounts[0]!);

      expect(records.map(recordKey).sort()).toEqual([...want.keys()].sort());
      for (const r of records) {
        const sum = want.get(recordKey(r))!;
        expect(Number(r.billedCost), `billed ${recordKey(r)}`).toBeCloseTo(Number(unitsToDecimal(sum.billed)), 9);
        expect(Number(r.effectiveCost), `effective ${recordKey(r)}`).toBeCloseTo(
          Number(unitsToDecimal(sum.effective)),
          9,
        );
        expect(r).toMatchObject({ subAccountId: account, currency: 'USD', chargeCategory: 'Usage' });
        expect(r.billingAccountId).not.toBe('');
        expect(r.chargePeriodStart.toISOString()).toMatch(/T00:00:00\.000Z$/);
        expect(r.chargePeriodEnd.getTime() - r.chargePeriodStart.getTime()).toBe(86_400_000);
      }
      expect(new Set(records.map((r) => r.provider)).size).toBe(1);
      expect(records[0]?.provider).not.toBe('');
    });

    it('reads one account only, and yields nothing for an account without costs', async () => {
      const [, other, empty] = setup.accountIds;
      const records = await collect(setup.source, other!);
      expect(records.map(recordKey)).toEqual([...expectedRecords(WORLD.accounts[1]!).keys()]);
      expect(records.map((r) => r.subAccountId)).toEqual([other]);
      expect(await collect(setup.source, empty!)).toEqual([]);
    });

    it('yields the same records when the same range is fetched again (a sync that runs again)', async () => {
      const [account] = setup.accountIds;
      const first = await collect(setup.source, account!);
      const again = await collect(setup.source, account!);
      const byKey = (rs: CostRecord[]) => [...rs].sort((a, b) => recordKey(a).localeCompare(recordKey(b)));
      expect(byKey(again)).toEqual(byKey(first));
    });

    it('reports throttling as CLOUD_THROTTLED and a refusal as CLOUD_DENIED', async () => {
      for (const [kind, code] of [
        ['throttled', 'CLOUD_THROTTLED'],
        ['denied', 'CLOUD_DENIED'],
      ] as const) {
        const account = setup.failing(kind);
        const err = await collect(setup.source, account).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, kind).toBeInstanceOf(TallyError);
        expect((err as TallyError).code, kind).toBe(code);
      }
    });
  });
}
