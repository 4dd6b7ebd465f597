import { describe, expect, it } from 'vitest';
import type { CpuStats } from '../../../src/recommendations/inventory.port.js';
import {
  type RegionInventory,
  recommendationId,
  recommendRegion,
} from '../../../src/recommendations/recommendation.rules.js';
import { testAddress, testCpu, testInstance, testVolume } from '../../support/memory-inventory.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const cents = (x: number) => Math.round(x * 100) / 100;
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function region(parts: Partial<RegionInventory>, cpu: Record<string, CpuStats> = {}): RegionInventory {
  return {
    accountId: '123456789012',
    region: 'us-east-1',
    instances: [],
    volumes: [],
    addresses: [],
    cpu: new Map(Object.entries(cpu)),
    ...parts,
  };
}

/** The recommendations for one instance with the given CPU statistics. */
function forInstance(type: string, cpu?: CpuStats, state = 'running') {
  const inst = testInstance('i-1', type, { state });
  return recommendRegion(region({ instances: [inst] }, cpu ? { 'i-1': cpu } : {}), NOW);
}

describe('idle instances', () => {
  it('stops a running instance under 5% average and 10% peak for 7 days, with medium confidence', () => {
    const [rec, ...rest] = forInstance('t3.large', testCpu(4.9, 9.9, 7));
    expect(rest).toEqual([]);
    expect(rec).toMatchObject({ rule: 'idle-instance', confidence: 'medium' });
    expect(rec!.action).toMatchObject({ kind: 'stop_instance', monthlySavings: cents(0.0832 * 730), risk: 'medium' });
    expect(rec!.evidence).toBe('CPU averaged 4.9% (peak 9.9%) over 7 days');
  });

  it('is confident with 14 days of data', () => {
    expect(forInstance('t3.large', testCpu(1.2, 3.4, 14))[0]).toMatchObject({
      rule: 'idle-instance',
      confidence: 'high',
    });
  });

  it('does not fire at 5% average, at 10% peak, with 6 days, when stopped, or without CPU data', () => {
    // m5.large has no smaller size and is current, so no other rule fires either.
    expect(forInstance('m5.large', testCpu(5, 9, 14))).toEqual([]);
    expect(forInstance('m5.large', testCpu(4, 10, 14))).toEqual([]);
    expect(forInstance('m5.large', testCpu(1, 2, 6))).toEqual([]);
    expect(forInstance('m5.large', testCpu(1, 2, 14), 'stopped')).toEqual([]);
    expect(forInstance('m5.large')).toEqual([]);
  });

  it('raises the risk of a production instance', () => {
    const inst = testInstance('i-1', 't3.large', { tags: [{ key: 'Environment', value: 'Production' }] });
    const [rec] = recommendRegion(region({ instances: [inst] }, { 'i-1': testCpu(1, 2, 14) }), NOW);
    expect(rec!.action.risk).toBe('high');
  });

  it('leaves out an instance whose price is unknown', () => {
    expect(forInstance('p5.48xlarge', testCpu(1, 2, 14))).toEqual([]);
  });

  it('proposes the stop with the evidence as the reason', () => {
    const [rec] = forInstance('t3.large', testCpu(1.2, 3.4, 14));
    expect(rec!.proposeCommand).toBe(
      'propose stop i-1 in us-east-1 account 123456789012 because idle instance: CPU averaged 1.2% (peak 3.4%) over 14 days',
    );
  });
});

describe('oversized instances', () => {
  it('resizes one size down under 20% average and 50% peak for 7 days, with medium confidence', () => {
    const [rec, ...rest] = forInstance('m5.xlarge', testCpu(19.9, 49.9, 7));
    expect(rest).toEqual([]);
    expect(rec).toMatchObject({ rule: 'oversized-instance', confidence: 'medium' });
    expect(rec!.action).toMatchObject({
      kind: 'resize_instance',
      params: { instanceType: 'm5.large' },
      monthlySavings: cents((0.192 - 0.096) * 730),
    });
    expect(rec!.proposeCommand).toMatch(
      /^propose resize i-1 to m5\.large in us-east-1 account 123456789012 because oversized instance: /,
    );
  });

  it('is confident with 14 days and a peak under 30%', () => {
    expect(forInstance('m5.xlarge', testCpu(10, 29.9, 14))[0]).toMatchObject({ confidence: 'high' });
    expect(forInstance('m5.xlarge', testCpu(10, 30, 14))[0]).toMatchObject({ confidence: 'medium' });
    expect(forInstance('m5.xlarge', testCpu(10, 20, 13))[0]).toMatchObject({ confidence: 'medium' });
  });

  it('does not fire at 20% average, at 50% peak, with 6 days, or without a smaller size', () => {
    expect(forInstance('m5.xlarge', testCpu(20, 30, 14))).toEqual([]);
    expect(forInstance('m5.xlarge', testCpu(10, 50, 14))).toEqual([]);
    expect(forInstance('m5.xlarge', testCpu(10, 20, 6))).toEqual([]);
    expect(forInstance('m5.large', testCpu(10, 20, 14))).toEqual([]);
    expect(forInstance('m5.xlarge', testCpu(10, 20, 14), 'stopped')).toEqual([]);
  });

  it('gives way to idle', () => {
    const recs = forInstance('m5.xlarge', testCpu(2, 5, 14));
    expect(recs.map((r) => r.rule)).toEqual(['idle-instance']);
    expect(recs[0]!.action.monthlySavings).toBe(cents(0.192 * 730));
  });
});

describe('previous-generation instances', () => {
  it('moves a running or stopped t2 to t3 of the same size, with medium confidence', () => {
    for (const state of ['running', 'stopped']) {
      const [rec, ...rest] = forInstance('t2.large', undefined, state);
      expect(rest).toEqual([]);
      expect(rec).toMatchObject({ rule: 'previous-generation', confidence: 'medium' });
      expect(rec!.action).toMatchObject({
        kind: 'resize_instance',
        params: { instanceType: 't3.large' },
        monthlySavings: cents((0.0928 - 0.0832) * 730),
      });
    }
  });

  it('moves m4 to m6i, c4 to c6i and r4 to r6i', () => {
    const targets = ['m4.xlarge', 'c4.2xlarge', 'r4.large'].map((t) => forInstance(t)[0]?.action.params.instanceType);
    expect(targets).toEqual(['m6i.xlarge', 'c6i.2xlarge', 'r6i.large']);
    expect(forInstance('c4.large')[0]!.action.monthlySavings).toBe(cents((0.1 - 0.085) * 730));
  });

  it('does not fire for current types, sizes without a successor, or instances that are pending', () => {
    expect(forInstance('t3.large')).toEqual([]);
    expect(forInstance('m3.medium')).toEqual([]);
    expect(forInstance('t2.large', undefined, 'pending')).toEqual([]);
  });

  it('gives way to idle and oversized', () => {
    expect(forInstance('t2.large', testCpu(1, 2, 14)).map((r) => r.rule)).toEqual(['idle-instance']);
    const oversized = forInstance('m4.xlarge', testCpu(10, 20, 14));
    expect(oversized.map((r) => r.rule)).toEqual(['oversized-instance']);
    expect(oversized[0]!.action.params.instanceType).toBe('m4.large');
  });
});

describe('unattached volumes', () => {
  const one = (vol: ReturnType<typeof testVolume>) => recommendRegion(region({ volumes: [vol] }), NOW);

  it('snapshots and deletes an available volume older than 7 days, with high confidence', () => {
    const [rec] = one(testVolume('vol-1', 100, 'gp2', { createdAt: daysAgo(8) }));
    expect(rec).toMatchObject({ rule: 'unattached-volume', confidence: 'high' });
    expect(rec!.action).toMatchObject({
      kind: 'delete_volume',
      risk: 'high',
      monthlySavings: cents(100 * (0.1 - 0.05)),
    });
    expect(rec!.proposeCommand).toMatch(
      /^propose delete vol-1 in us-east-1 account 123456789012 because unattached volume: /,
    );
  });

  it('has low confidence for a volume 7 days old or younger, and medium when its age is unknown', () => {
    expect(one(testVolume('vol-1', 100, 'gp3', { createdAt: daysAgo(7) }))[0]!.confidence).toBe('low');
    expect(one(testVolume('vol-1', 100, 'gp3', { createdAt: daysAgo(1) }))[0]!.confidence).toBe('low');
    expect(one(testVolume('vol-1', 100, 'gp3'))[0]!.confidence).toBe('medium');
    expect(one(testVolume('vol-1', 100, 'gp3', { createdAt: 'not a date' }))[0]!.confidence).toBe('medium');
  });

  it('does not fire for attached volumes or when the snapshot kept would cost more than the volume', () => {
    expect(one(testVolume('vol-1', 100, 'gp2', { state: 'in-use', attachedTo: ['i-1'] }))).toEqual([]);
    expect(one(testVolume('vol-1', 100, 'gp2', { state: 'creating' }))).toEqual([]);
    expect(one(testVolume('vol-1', 500, 'sc1', { createdAt: daysAgo(90) }))).toEqual([]);
  });
});

describe('unassociated addresses', () => {
  it('releases an address with no association, with high confidence', () => {
    const [rec] = recommendRegion(region({ addresses: [testAddress('eipalloc-1', '54.1.2.3')] }), NOW);
    expect(rec).toMatchObject({ rule: 'unassociated-address', confidence: 'high' });
    expect(rec!.action).toMatchObject({ kind: 'release_address', risk: 'low', monthlySavings: cents(0.005 * 730) });
    expect(rec!.proposeCommand).toMatch(/^propose release eipalloc-1 in us-east-1 account 123456789012 because /);
  });

  it('does not fire for an associated address', () => {
    const addr = testAddress('eipalloc-1', '54.1.2.3', { associationId: 'eipassoc-1', instanceId: 'i-1' });
    expect(recommendRegion(region({ addresses: [addr] }), NOW)).toEqual([]);
  });
});

describe('recommendation ids', () => {
  it('depend only on the rule and the resource id', () => {
    const id = recommendationId('idle-instance', 'i-1');
    expect(id).toMatch(/^rec_[0-9a-f]{10}$/);
    expect(recommendationId('idle-instance', 'i-1')).toBe(id);
    expect(recommendationId('oversized-instance', 'i-1')).not.toBe(id);
    expect(recommendationId('idle-instance', 'i-2')).not.toBe(id);
    expect(forInstance('t3.large', testCpu(1, 2, 14))[0]!.id).toBe(id);
  });
});

describe('a whole region', () => {
  it('carries account and region into every target', () => {
    const recs = recommendRegion(
      {
        ...region({
          instances: [testInstance('i-1', 't2.large')],
          volumes: [testVolume('vol-1', 10, 'gp2')],
          addresses: [testAddress('eipalloc-1', '1.2.3.4')],
        }),
        region: 'eu-west-1',
      },
      NOW,
    );
    expect(recs).toHaveLength(3);
    for (const r of recs) expect(r.action.target).toMatchObject({ accountId: '123456789012', region: 'eu-west-1' });
  });
});
