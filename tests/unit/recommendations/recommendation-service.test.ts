import { describe, expect, it } from 'vitest';
import { RecommendationService } from '../../../src/recommendations/recommendation.service.js';
import type { Clock } from '../../../src/shared/clock.js';
import { TallyError } from '../../../src/shared/errors.js';
import { MemoryInventory, testAddress, testCpu, testInstance, testVolume } from '../../support/memory-inventory.js';

const cents = (x: number) => Math.round(x * 100) / 100;

/** A clock the test moves by hand. */
function manualClock(iso: string): Clock & { advance(ms: number): void } {
  let t = Date.parse(iso);
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

function fixture() {
  return new MemoryInventory(
    {
      'us-east-1': {
        instances: [
          testInstance('i-idle', 'm5.2xlarge'),
          testInstance('i-old', 't2.large', { state: 'stopped' }),
          testInstance('i-busy', 'm5.xlarge'),
          testInstance('i-gone', 't3.large', { state: 'terminated' }),
        ],
        addresses: [testAddress('eipalloc-1', '54.1.2.3')],
      },
      'eu-west-1': {
        instances: [testInstance('i-big', 'c5.2xlarge')],
        volumes: [testVolume('vol-1', 200, 'gp2', { createdAt: '2026-01-01T00:00:00Z' })],
      },
    },
    new Map([
      ['i-idle', testCpu(1, 3, 14)],
      ['i-busy', testCpu(60, 95, 14)],
      ['i-big', testCpu(12, 25, 14)],
    ]),
  );
}

function service(inventory = fixture(), extra: { cacheTtlMs?: number; cpuDays?: number } = {}) {
  const clock = manualClock('2026-06-15T12:00:00Z');
  const svc = new RecommendationService({ inventory, regions: ['us-east-1', 'eu-west-1'], clock, ...extra });
  return { svc, clock, inventory };
}

describe('RecommendationService.list', () => {
  it('scans every configured region and sorts by monthly savings, highest first', async () => {
    const { svc } = service();
    const r = await svc.list();
    expect(r.accountIds).toEqual(['123456789012']);
    expect(r.failures).toEqual([]);
    expect(r.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(r.generatedAt).toBe('2026-06-15T12:00:00.000Z');
    const expected = [
      { id: 'i-idle', savings: cents(0.384 * 730) },
      { id: 'i-big', savings: cents((0.34 - 0.17) * 730) },
      { id: 'vol-1', savings: cents(200 * (0.1 - 0.05)) },
      { id: 'i-old', savings: cents((0.0928 - 0.0832) * 730) },
      { id: 'eipalloc-1', savings: cents(0.005 * 730) },
    ];
    expect(
      r.recommendations.map((x) => ({ id: x.action.target.resourceId, savings: x.action.monthlySavings })),
    ).toEqual(expected);
    expect(r.recommendations.map((x) => x.rule)).toEqual([
      'idle-instance',
      'oversized-instance',
      'unattached-volume',
      'previous-generation',
      'unassociated-address',
    ]);
  });

  it('asks CPU statistics only for running instances, over cpuDays', async () => {
    const { svc, inventory } = service(fixture(), { cpuDays: 30 });
    await svc.list();
    const cpuCalls = inventory.calls.filter((c) => c.method === 'cpu');
    expect(cpuCalls).toEqual(
      expect.arrayContaining([
        { method: 'cpu', region: 'us-east-1', instanceIds: ['i-idle', 'i-busy'], days: 30 },
        { method: 'cpu', region: 'eu-west-1', instanceIds: ['i-big'], days: 30 },
      ]),
    );
    expect(cpuCalls).toHaveLength(2);
  });

  it('looks at 14 days of CPU by default and skips the CPU call for a region with no running instance', async () => {
    const inventory = new MemoryInventory({ 'us-east-1': { addresses: [testAddress('eipalloc-1', '1.1.1.1')] } });
    const clock = manualClock('2026-06-15T12:00:00Z');
    const svc = new RecommendationService({ inventory, regions: ['us-east-1'], clock });
    expect((await svc.list()).recommendations).toHaveLength(1);
    expect(inventory.count('cpu')).toBe(0);
    const { svc: other, inventory: inv2 } = service();
    await other.list();
    expect(inv2.calls.find((c) => c.method === 'cpu')?.days).toBe(14);
  });

  it('scans one region when asked', async () => {
    const { svc, inventory } = service();
    const r = await svc.list({ region: 'eu-west-1' });
    expect(r.regions).toEqual(['eu-west-1']);
    expect(r.recommendations.map((x) => x.action.target.resourceId)).toEqual(['i-big', 'vol-1']);
    expect(inventory.calls.filter((c) => c.region === 'us-east-1')).toEqual([]);
  });

  it('reuses a scan of the same regions for 10 minutes, then scans again', async () => {
    const { svc, clock, inventory } = service();
    const first = await svc.list();
    clock.advance(9 * 60_000);
    const second = await svc.list();
    expect(second).toEqual(first);
    expect(inventory.count('instances')).toBe(2);
    clock.advance(60_000);
    const third = await svc.list();
    expect(inventory.count('instances')).toBe(4);
    expect(third.generatedAt).toBe('2026-06-15T12:10:00.000Z');
  });

  it('caches each set of regions apart', async () => {
    const { svc, inventory } = service();
    await svc.list();
    await svc.list({ region: 'us-east-1' });
    expect(inventory.count('instances')).toBe(3);
    await svc.list({ region: 'us-east-1' });
    await svc.list();
    expect(inventory.count('instances')).toBe(3);
  });

  it('scans again on refresh, and with a zero TTL on every call', async () => {
    const { svc, inventory } = service();
    await svc.list();
    await svc.list({ refresh: true });
    expect(inventory.count('instances')).toBe(4);
    const { svc: uncached, inventory: inv2 } = service(fixture(), { cacheTtlMs: 0 });
    await uncached.list();
    await uncached.list();
    expect(inv2.count('instances')).toBe(4);
  });

  it('shares one scan between concurrent calls', async () => {
    const { svc, inventory } = service();
    const [a, b] = await Promise.all([svc.list(), svc.list()]);
    expect(a).toEqual(b);
    expect(inventory.count('accountId')).toBe(1);
  });

  it('keeps ids stable across scans', async () => {
    const { svc } = service();
    const ids = (await svc.list()).recommendations.map((r) => r.id);
    const again = (await service().svc.list({ refresh: true })).recommendations.map((r) => r.id);
    expect(again).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('does not cache a failed scan', async () => {
    const { svc, inventory } = service();
    inventory.failNext(new TallyError('CLOUD_THROTTLED', 'slow down'));
    await expect(svc.list()).rejects.toMatchObject({ code: 'CLOUD_THROTTLED' });
    const r = await svc.list();
    expect(r.recommendations).toHaveLength(5);
  });

  it('rejects a malformed region with USAGE', async () => {
    const { svc } = service();
    await expect(svc.list({ region: 'mars' })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('RecommendationService options', () => {
  const inventory = new MemoryInventory({});
  const clock = manualClock('2026-06-15T12:00:00Z');
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof TallyError ? err.code : 'not a TallyError';
    }
    return 'no error';
  };

  it('rejects bad options with CONFIG_INVALID', () => {
    expect(codeOf(() => new RecommendationService({ inventory, clock, regions: [] }))).toBe('CONFIG_INVALID');
    expect(codeOf(() => new RecommendationService({ inventory, clock, regions: ['US East'] }))).toBe('CONFIG_INVALID');
    expect(codeOf(() => new RecommendationService({ inventory, clock, regions: ['us-east-1'], cpuDays: 6 }))).toBe(
      'CONFIG_INVALID',
    );
    expect(codeOf(() => new RecommendationService({ inventory, clock, regions: ['us-east-1'], cpuDays: 7.5 }))).toBe(
      'CONFIG_INVALID',
    );
    expect(codeOf(() => new RecommendationService({ inventory, clock, regions: ['us-east-1'], cacheTtlMs: -1 }))).toBe(
      'CONFIG_INVALID',
    );
    expect(codeOf(() => new RecommendationService({ inventory, clock, regions: ['us-gov-west-1', 'eu-west-1'] }))).toBe(
      'no error',
    );
  });
});
