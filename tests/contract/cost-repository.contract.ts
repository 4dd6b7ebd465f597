import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AggregateQuery, AggregateRow } from '../../src/costs/cost-query.types.js';
import type { DailyRollup, Tag } from '../../src/costs/cost-record.types.js';
import type { CostRepository } from '../../src/costs/cost-repository.port.js';

/** A tag key with `.` and `/`, as Kubernetes writes them: it can never be a document key. */
const K8S = 'kubernetes.io/cluster';
const UNTAGGED = '(untagged)';
const FROM = '2026-03-01';
const TO = '2026-03-04';

function rollup(o: Partial<DailyRollup>): DailyRollup {
  return {
    source: 'aws-cur',
    day: FROM,
    provider: 'AWS',
    billingAccountId: 'payer-1',
    subAccountId: '111111111111',
    subAccountName: 'prod',
    serviceName: 'Amazon EC2',
    serviceCategory: 'Compute',
    region: 'us-east-1',
    chargeCategory: 'Usage',
    currency: 'USD',
    tags: [],
    billed: 0,
    effective: 0,
    list: 0,
    rows: 1,
    ...o,
  };
}

const TAG_SETS: Tag[][] = [
  [],
  [{ key: 'env', value: 'prod' }],
  [
    { key: 'env', value: 'prod' },
    { key: K8S, value: 'blue' },
  ],
  [
    { key: K8S, value: 'green' },
    { key: 'team', value: 'data' },
  ],
  [
    { key: 'env', value: 'dev' },
    { key: 'team', value: 'data' },
  ],
];

/** AWS (USD, three days, account 111 renamed on its last day), Azure (EUR) and GCP (USD and JPY in one source). */
function buildFixture(): DailyRollup[] {
  const out: DailyRollup[] = [];
  let i = 0;
  for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) {
    for (const [subAccountId, name] of [
      ['111111111111', day === '2026-03-03' ? 'production' : 'prod'],
      ['222222222222', 'dev'],
    ] as const) {
      for (const [serviceName, serviceCategory] of [
        ['Amazon EC2', 'Compute'],
        ['Amazon S3', 'Storage'],
      ] as const) {
        for (const region of ['us-east-1', 'eu-west-1']) {
          i += 1;
          const billed = i % 4 === 0 ? i : i * 1.37 + 0.1;
          const tags = TAG_SETS[i % TAG_SETS.length]!;
          out.push(
            rollup({ day, subAccountId, subAccountName: name, serviceName, serviceCategory, region, tags, billed }),
          );
          const last = out[out.length - 1]!;
          last.effective = billed * 0.9;
          last.list = billed * 1.2 + 0.01;
          last.rows = (i % 7) + 1;
        }
      }
    }
    const subAccountName = day === '2026-03-03' ? 'production' : 'prod';
    const tax = { chargeCategory: 'Tax', serviceName: 'Tax', serviceCategory: 'Other' } as const;
    out.push(rollup({ ...tax, day, subAccountName, billed: 3.3, rows: 1 }));
  }
  for (const day of ['2026-03-02', '2026-03-03', '2026-03-04']) {
    const azure = {
      source: 'azure-export',
      provider: 'Microsoft',
      billingAccountId: 'ea-1',
      subAccountId: 'sub-aaaa',
      subAccountName: 'Azure Prod',
      serviceName: 'Virtual Machines',
      region: 'westeurope',
      currency: 'EUR',
    };
    const k8s = [
      { key: 'cost-center', value: 'cc-1' },
      { key: K8S, value: 'blue' },
    ];
    out.push(rollup({ ...azure, day, tags: k8s, billed: 10.25, effective: 9.75, list: 12.5, rows: 4 }));
    out.push(rollup({ ...azure, day, region: 'northeurope', billed: 0.1, effective: 0.2, list: 0.3, rows: 2 }));
  }
  const gcp = { source: 'gcp-billing', provider: 'Google Cloud', subAccountId: 'proj-1', subAccountName: 'Project 1' };
  out.push(rollup({ ...gcp, day: TO, serviceName: 'Compute Engine', billed: 7.5, effective: 7.5, list: 8, rows: 3 }));
  out.push(rollup({ ...gcp, day: TO, serviceName: 'Compute Engine', currency: 'JPY', billed: 1200, rows: 2 }));
  return out;
}

const FIXTURE = buildFixture();
const SOURCES = ['aws-cur', 'azure-export', 'gcp-billing'];

async function seed(repo: CostRepository, rollups: DailyRollup[] = FIXTURE): Promise<void> {
  for (const source of SOURCES) await repo.replaceRollups(source, { from: FROM, to: TO }, rollups);
}

const tagOf = (r: DailyRollup, key: string) => r.tags.find((t) => t.key === key)?.value ?? UNTAGGED;
const groupId = (keys: string[], day: string | undefined, currency: string) =>
  JSON.stringify([keys, day ?? null, currency]);

interface Sums {
  billed: number;
  effective: number;
  list: number;
  rows: number;
}

/** The expected groups, by plain JS sums over `rollups`: independent of every implementation. */
function expectedGroups(
  rollups: DailyRollup[],
  keyOf: (r: DailyRollup) => string[],
  opts: { from?: string; to?: string; where?: (r: DailyRollup) => boolean; byDay?: boolean } = {},
): Map<string, Sums> {
  const { from = FROM, to = TO, where = () => true, byDay = false } = opts;
  const picked = rollups.filter((r) => r.day >= from && r.day <= to && where(r));
  return picked.reduce((acc, r) => {
    const id = groupId(keyOf(r), byDay ? r.day : undefined, r.currency);
    const s = acc.get(id) ?? { billed: 0, effective: 0, list: 0, rows: 0 };
    acc.set(id, {
      billed: s.billed + Number(r.billed),
      effective: s.effective + Number(r.effective),
      list: s.list + Number(r.list),
      rows: s.rows + r.rows,
    });
    return acc;
  }, new Map<string, Sums>());
}

function expectGroups(actual: AggregateRow[], expected: Map<string, Sums>, byDay = false): void {
  const ids = actual.map((r) => groupId(r.keys, r.day, r.currency));
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual([...expected.keys()].sort());
  for (const [n, row] of actual.entries()) {
    const want = expected.get(ids[n]!)!;
    expect(row.billed).toBeCloseTo(want.billed, 6);
    expect(row.effective).toBeCloseTo(want.effective, 6);
    expect(row.list).toBeCloseTo(want.list, 6);
    expect(row.rows).toBe(want.rows);
    if (!byDay) expect('day' in row).toBe(false);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  }
}

/** Runs the aggregation and compares it with the reference computed from `rollups`. */
async function check(
  repo: CostRepository,
  query: Omit<AggregateQuery, 'from' | 'to'> & { from?: string; to?: string },
  keyOf: (r: DailyRollup) => string[],
  where?: (r: DailyRollup) => boolean,
  rollups: DailyRollup[] = FIXTURE,
): Promise<Map<string, Sums>> {
  const from = query.from ?? FROM;
  const to = query.to ?? TO;
  const expected = expectedGroups(rollups, keyOf, { from, to, ...(where ? { where } : {}), byDay: !!query.byDay });
  expectGroups(await repo.aggregate({ ...query, from, to }), expected, !!query.byDay);
  return expected;
}

/**
 * The contract every `CostRepository` must pass. `make` returns an empty repository and a cleanup for it;
 * it is called before each test.
 */
export function costRepositoryContract(
  name: string,
  make: () => Promise<{ repo: CostRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`CostRepository contract: ${name}`, () => {
    let repo: CostRepository;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('answers empty on an empty store', async () => {
      expect(await repo.dataRange()).toBeNull();
      expect(await repo.accounts()).toEqual([]);
      expect(await repo.tagKeys()).toEqual([]);
      expect(await repo.aggregate({ from: FROM, to: TO, groupBy: [] })).toEqual([]);
    });

    it('reports the data range of a filled store', async () => {
      await seed(repo);
      const days = FIXTURE.map((r) => r.day).sort();
      expect(await repo.dataRange()).toEqual({ from: days[0], to: days[days.length - 1] });
    });

    it('replaces idempotently', async () => {
      await seed(repo);
      await seed(repo);
      await check(repo, { groupBy: [{ kind: 'provider' }], byDay: true }, (r) => [r.provider]);
    });

    it('replaces only the given source and only the days in range', async () => {
      await seed(repo);
      const day = '2026-03-02';
      const incoming = [
        rollup({ day, serviceName: 'AWS Lambda', billed: 1000.5, effective: 999, list: 1001, rows: 9 }),
        rollup({ day: '2026-03-01', serviceName: 'Outside range', billed: 1 }),
        rollup({ day, source: 'azure-export', provider: 'Microsoft', billed: 2 }),
      ];
      await repo.replaceRollups('aws-cur', { from: day, to: day }, incoming);
      const state = [...FIXTURE.filter((r) => !(r.source === 'aws-cur' && r.day === day)), incoming[0]!];
      const keyOf = (r: DailyRollup) => [r.provider, r.serviceName];
      await check(repo, { groupBy: [{ kind: 'provider' }, { kind: 'service' }], byDay: true }, keyOf, undefined, state);
    });

    it('clears a range when replaced with nothing', async () => {
      await seed(repo);
      await repo.replaceRollups('aws-cur', { from: FROM, to: TO }, []);
      const rest = FIXTURE.filter((r) => r.source !== 'aws-cur');
      await check(repo, { groupBy: [{ kind: 'provider' }] }, (r) => [r.provider], undefined, rest);
      expect(await repo.dataRange()).toEqual({ from: '2026-03-02', to: TO });
    });

    it('stores more rollups than one insert batch', async () => {
      const many = Array.from({ length: 6001 }, (_, n) =>
        rollup({ source: 'bulk', day: `2026-02-${String((n % 28) + 1).padStart(2, '0')}`, billed: n / 100, rows: 1 }),
      );
      await repo.replaceRollups('bulk', { from: '2026-02-01', to: '2026-02-28' }, many);
      const q = { from: '2026-02-01', to: '2026-02-28', groupBy: [] };
      await check(repo, q, () => [], undefined, many);
    });

    it.each([
      ['provider', (r: DailyRollup) => r.provider],
      ['account', (r: DailyRollup) => r.subAccountId],
      ['service', (r: DailyRollup) => r.serviceName],
      ['category', (r: DailyRollup) => r.serviceCategory],
      ['region', (r: DailyRollup) => r.region],
      ['charge', (r: DailyRollup) => r.chargeCategory],
    ] as const)('aggregates by %s', async (kind, pick) => {
      await seed(repo);
      await check(repo, { groupBy: [{ kind }] }, (r) => [pick(r)]);
    });

    it.each(['env', K8S, 'team', 'absent'])('aggregates by tag %s, untagged rollups apart', async (key) => {
      await seed(repo);
      const expected = await check(repo, { groupBy: [{ kind: 'tag', key }] }, (r) => [tagOf(r, key)]);
      expect([...expected.keys()].some((id) => id.includes(UNTAGGED))).toBe(true);
    });

    it('aggregates by no dimension, one group per currency', async () => {
      await seed(repo);
      const expected = await check(repo, { groupBy: [] }, () => []);
      expect(expected.size).toBe(3);
    });

    it('keeps currencies apart within a group', async () => {
      await seed(repo);
      const expected = await check(repo, { groupBy: [{ kind: 'tag', key: K8S }] }, (r) => [tagOf(r, K8S)]);
      expect(expected.has(groupId(['blue'], undefined, 'USD'))).toBe(true);
      expect(expected.has(groupId(['blue'], undefined, 'EUR'))).toBe(true);
    });

    it('aggregates by service × tag, tag × region and tag × tag', async () => {
      await seed(repo);
      await check(repo, { groupBy: [{ kind: 'service' }, { kind: 'tag', key: 'env' }] }, (r) => [
        r.serviceName,
        tagOf(r, 'env'),
      ]);
      await check(repo, { groupBy: [{ kind: 'tag', key: K8S }, { kind: 'region' }] }, (r) => [tagOf(r, K8S), r.region]);
      await check(
        repo,
        {
          groupBy: [
            { kind: 'tag', key: 'env' },
            { kind: 'tag', key: K8S },
          ],
        },
        (r) => [tagOf(r, 'env'), tagOf(r, K8S)],
      );
      await check(repo, { groupBy: [{ kind: 'account' }, { kind: 'charge' }] }, (r) => [
        r.subAccountId,
        r.chargeCategory,
      ]);
    });

    it('computes the one metric asked for exactly as a full aggregation does', async () => {
      await seed(repo);
      const base = { from: FROM, to: TO, groupBy: [{ kind: 'service' as const }] };
      const full = await repo.aggregate(base);
      for (const metric of ['billed', 'effective', 'list'] as const) {
        const one = await repo.aggregate({ ...base, metrics: [metric] });
        const byKey = (rows: AggregateRow[]) =>
          new Map(rows.map((r) => [`${r.keys.join('|')}|${r.currency}`, r[metric]]));
        const expected = byKey(full);
        const actual = byKey(one);
        expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [k, v] of expected) expect(actual.get(k)).toBeCloseTo(v, 6);
      }
    });

    it('aggregates by day', async () => {
      await seed(repo);
      await check(repo, { groupBy: [], byDay: true }, () => []);
      await check(repo, { groupBy: [{ kind: 'service' }], byDay: true }, (r) => [r.serviceName]);
      await check(repo, { groupBy: [{ kind: 'tag', key: 'team' }], byDay: true }, (r) => [tagOf(r, 'team')]);
      const q = { from: '2026-03-02', to: '2026-03-03', groupBy: [{ kind: 'region' as const }], byDay: true };
      await check(repo, q, (r) => [r.region]);
    });

    it('filters by allow-lists', async () => {
      await seed(repo);
      const byService = (r: DailyRollup) => [r.serviceName];
      const q = (filter: AggregateQuery['filter']) => ({ groupBy: [{ kind: 'service' as const }], filter });
      await check(repo, q({ providers: ['AWS', 'Google Cloud'] }), byService, (r) => r.provider !== 'Microsoft');
      await check(repo, q({ subAccountIds: ['222222222222'] }), byService, (r) => r.subAccountId === '222222222222');
      await check(repo, q({ services: ['Amazon S3'] }), byService, (r) => r.serviceName === 'Amazon S3');
      await check(repo, q({ categories: ['Storage', 'Other'] }), byService, (r) =>
        ['Storage', 'Other'].includes(r.serviceCategory),
      );
      await check(repo, q({ regions: ['eu-west-1'] }), byService, (r) => r.region === 'eu-west-1');
      await check(repo, q({ providers: [], regions: [], tags: [] }), byService);
      await check(repo, q({ services: ['nothing'] }), byService, () => false);
    });

    it('filters by tags, every pair on one tag entry', async () => {
      await seed(repo);
      const byRegion = (r: DailyRollup) => [r.region];
      const q = (tags: Tag[]) => ({ groupBy: [{ kind: 'region' as const }], filter: { tags } });
      const has = (r: DailyRollup, key: string, value: string) =>
        r.tags.some((t) => t.key === key && t.value === value);
      await check(repo, q([{ key: K8S, value: 'blue' }]), byRegion, (r) => has(r, K8S, 'blue'));
      const both = [
        { key: 'env', value: 'prod' },
        { key: K8S, value: 'blue' },
      ];
      await check(repo, q(both), byRegion, (r) => has(r, 'env', 'prod') && has(r, K8S, 'blue'));
      // A key of one tag with the value of another must not match.
      await check(repo, q([{ key: 'env', value: 'data' }]), byRegion, () => false);
      const tagged = {
        groupBy: [{ kind: 'tag' as const, key: K8S }],
        filter: { tags: [{ key: 'env', value: 'prod' }] },
      };
      await check(
        repo,
        tagged,
        (r) => [tagOf(r, K8S)],
        (r) => has(r, 'env', 'prod'),
      );
    });

    it('combines filters, a day range and two dimensions', async () => {
      await seed(repo);
      const query = {
        from: '2026-03-02',
        to: '2026-03-03',
        groupBy: [{ kind: 'tag' as const, key: 'team' }, { kind: 'account' as const }],
        filter: { providers: ['AWS'], services: ['Amazon EC2'] },
        byDay: true,
      };
      const where = (r: DailyRollup) => r.provider === 'AWS' && r.serviceName === 'Amazon EC2';
      await check(repo, query, (r) => [tagOf(r, 'team'), r.subAccountId], where);
    });

    it('keeps apart tag keys that differ only in ".", "$" or "%"', async () => {
      const keys = ['a.b', 'a%2Eb', 'a$b', '$team'];
      const odd = keys.map((key, n) => rollup({ source: 'odd', tags: [{ key, value: `v${n}` }], billed: n + 1 }));
      await repo.replaceRollups('odd', { from: FROM, to: FROM }, odd);
      for (const key of keys) {
        await check(repo, { groupBy: [{ kind: 'tag', key }] }, (r) => [tagOf(r, key)], undefined, odd);
      }
      const filter = { tags: [{ key: '$team', value: 'v3' }] };
      await check(
        repo,
        { groupBy: [], filter },
        () => [],
        (r) => r.tags[0]?.key === '$team',
        odd,
      );
      expect(await repo.tagKeys()).toEqual([...keys].sort());
    });

    it('lists accounts with their latest name', async () => {
      await seed(repo);
      expect(await repo.accounts()).toEqual([
        { subAccountId: '111111111111', subAccountName: 'production', provider: 'AWS' },
        { subAccountId: '222222222222', subAccountName: 'dev', provider: 'AWS' },
        { subAccountId: 'proj-1', subAccountName: 'Project 1', provider: 'Google Cloud' },
        { subAccountId: 'sub-aaaa', subAccountName: 'Azure Prod', provider: 'Microsoft' },
      ]);
    });

    it('lists distinct tag keys, including keys with "." and "/"', async () => {
      await seed(repo);
      expect(await repo.tagKeys()).toEqual(['cost-center', 'env', K8S, 'team']);
    });
  });
}
