import { describe, expect, it } from 'vitest';
import {
  ADDRESS_MONTHLY,
  architectureOf,
  currentGenerationOf,
  HOURS_PER_MONTH,
  instanceHourly,
  oneSizeDown,
  SNAPSHOT_GB_MONTH,
  volumeMonthly,
} from '../../../src/actions/price-table.js';

const SMALL_SIZES = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'];
const BIG_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge'];

describe('price table', () => {
  it('covers the burstable families from nano to 2xlarge and the others from large to 4xlarge', () => {
    const wanted = [
      ...['t2', 't3', 't3a', 't4g'].flatMap((f) => SMALL_SIZES.map((s) => `${f}.${s}`)),
      ...['m4', 'm5', 'm6i', 'm7i', 'c4', 'c5', 'c6i', 'r4', 'r5', 'r6i'].flatMap((f) =>
        BIG_SIZES.map((s) => `${f}.${s}`),
      ),
    ];
    const missing = wanted.filter((t) => {
      const p = instanceHourly(t);
      return p === null || !(p > 0);
    });
    expect(missing).toEqual([]);
  });

  it('has the published us-east-1 on-demand Linux prices', () => {
    expect(instanceHourly('t3.large')).toBe(0.0832);
    expect(instanceHourly('t2.large')).toBe(0.0928);
    expect(instanceHourly('m5.xlarge')).toBe(0.192);
    expect(instanceHourly('m6i.large')).toBe(0.096);
    expect(instanceHourly('c5.large')).toBe(0.085);
    expect(instanceHourly('r5.large')).toBe(0.126);
    expect(instanceHourly('t4g.nano')).toBe(0.0042);
  });

  it('doubles the price with each size step of a family from large up', () => {
    for (const f of ['m5', 'm6i', 'm7i', 'c5', 'c6i', 'r5', 'r6i', 't3']) {
      const large = instanceHourly(`${f}.large`)!;
      expect(instanceHourly(`${f}.xlarge`)).toBeCloseTo(large * 2, 10);
      expect(instanceHourly(`${f}.2xlarge`)).toBeCloseTo(large * 4, 10);
    }
  });

  it('answers null for types it does not know, and ignores case and spaces', () => {
    expect(instanceHourly('g5.xlarge')).toBeNull();
    expect(instanceHourly('m5.metal')).toBeNull();
    expect(instanceHourly('m5')).toBeNull();
    expect(instanceHourly('')).toBeNull();
    expect(instanceHourly(' T3.Large ')).toBe(0.0832);
  });

  it('prices volumes per GB-month by type', () => {
    const perGb = { gp2: 0.1, gp3: 0.08, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015, standard: 0.05 };
    for (const [type, price] of Object.entries(perGb)) {
      expect(volumeMonthly(type, 100)).toBeCloseTo(price * 100, 10);
    }
    expect(volumeMonthly('gp3', 0)).toBe(0);
    expect(volumeMonthly('unknown', 100)).toBeNull();
    expect(volumeMonthly('gp2', -1)).toBeNull();
    expect(volumeMonthly('gp2', Number.NaN)).toBeNull();
    expect(SNAPSHOT_GB_MONTH).toBe(0.05);
  });

  it('prices an Elastic IP at 0.005 USD per hour for 730 hours', () => {
    expect(HOURS_PER_MONTH).toBe(730);
    expect(ADDRESS_MONTHLY).toBeCloseTo(0.005 * 730, 10);
  });
});

describe('oneSizeDown', () => {
  it('is the next smaller size of the same family in the table', () => {
    expect(oneSizeDown('m5.xlarge')).toBe('m5.large');
    expect(oneSizeDown('m5.4xlarge')).toBe('m5.2xlarge');
    expect(oneSizeDown('t3.large')).toBe('t3.medium');
    expect(oneSizeDown('t3.micro')).toBe('t3.nano');
    expect(oneSizeDown('m3.large')).toBe('m3.medium');
  });

  it('skips sizes the table does not have', () => {
    expect(oneSizeDown('c5.9xlarge')).toBe('c5.4xlarge');
    expect(oneSizeDown('m4.10xlarge')).toBe('m4.4xlarge');
  });

  it('is null at the smallest listed size and for unknown types', () => {
    expect(oneSizeDown('m5.large')).toBeNull();
    expect(oneSizeDown('t3.nano')).toBeNull();
    expect(oneSizeDown('m5.3xlarge')).toBeNull();
    expect(oneSizeDown('g5.2xlarge')).toBeNull();
    expect(oneSizeDown('nonsense')).toBeNull();
  });

  it('is always cheaper', () => {
    for (const t of ['t2.2xlarge', 'm4.16xlarge', 'c4.8xlarge', 'r4.16xlarge', 'm7i.12xlarge', 't4g.small']) {
      const down = oneSizeDown(t)!;
      expect(instanceHourly(down)!).toBeLessThan(instanceHourly(t)!);
    }
  });
});

describe('currentGenerationOf', () => {
  it('maps t2 to t3 and m, c, r of generations 3 and 4 to m6i, c6i, r6i at the same size', () => {
    expect(currentGenerationOf('t2.large')).toBe('t3.large');
    expect(currentGenerationOf('t2.nano')).toBe('t3.nano');
    expect(currentGenerationOf('m4.xlarge')).toBe('m6i.xlarge');
    expect(currentGenerationOf('m3.2xlarge')).toBe('m6i.2xlarge');
    expect(currentGenerationOf('c4.2xlarge')).toBe('c6i.2xlarge');
    expect(currentGenerationOf('c3.large')).toBe('c6i.large');
    expect(currentGenerationOf('r4.4xlarge')).toBe('r6i.4xlarge');
    expect(currentGenerationOf('r3.8xlarge')).toBe('r6i.8xlarge');
  });

  it('is null for current types and for sizes the new family lacks', () => {
    expect(currentGenerationOf('t3.large')).toBeNull();
    expect(currentGenerationOf('m5.large')).toBeNull();
    expect(currentGenerationOf('m6i.large')).toBeNull();
    expect(currentGenerationOf('m3.medium')).toBeNull();
    expect(currentGenerationOf('m4.16xlarge')).toBeNull();
    expect(currentGenerationOf('bogus')).toBeNull();
  });

  it('never costs more than the previous generation at the listed sizes', () => {
    const old = ['t2', 'm3', 'm4', 'c3', 'c4', 'r3', 'r4'].flatMap((f) =>
      [...SMALL_SIZES, '4xlarge', '8xlarge'].map((s) => `${f}.${s}`),
    );
    const pairs = old.filter((t) => currentGenerationOf(t) !== null);
    expect(pairs.length).toBeGreaterThan(20);
    for (const t of pairs) expect(instanceHourly(currentGenerationOf(t)!)!).toBeLessThanOrEqual(instanceHourly(t)!);
  });
});

describe('architectureOf', () => {
  it('tells Graviton from x86 and knows nothing of unknown types', () => {
    expect(architectureOf('t4g.large')).toBe('arm64');
    expect(architectureOf('t3.large')).toBe('x86_64');
    expect(architectureOf('m6i.xlarge')).toBe('x86_64');
    expect(architectureOf('m7g.large')).toBeNull();
  });
});
