import { describe, expect, it } from 'vitest';
import { createFocusRowMapper } from '../../../src/costs/focus-row.mapper.js';

const HEADER_13 = [
  'ServiceProviderName',
  'BillingAccountId',
  'SubAccountId',
  'ServiceName',
  'RegionName',
  'ChargePeriodStart',
  'ChargeCategory',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'BillingCurrency',
  'Tags',
  'x_Unknown',
];

function map(values: Partial<Record<string, string>>, header = HEADER_13) {
  const mapper = createFocusRowMapper(header);
  if (!mapper.ok) throw new Error('header refused');
  const base: Record<string, string> = {
    ServiceProviderName: 'AWS',
    BillingAccountId: '1',
    SubAccountId: '2',
    ServiceName: 'EC2',
    RegionName: 'eu-west-1',
    ChargePeriodStart: '2026-05-01T00:00:00Z',
    ChargeCategory: 'Usage',
    BilledCost: '1.5',
    EffectiveCost: '1.25',
    ListCost: '2',
    BillingCurrency: 'usd',
    Tags: '{"team":"a","kubernetes.io/cluster":"c1","n":3}',
    x_Unknown: 'whatever',
  };
  return mapper.map(header.map((h) => values[h] ?? base[h] ?? ''));
}

describe('FOCUS row mapping', () => {
  it('accepts FOCUS 1.3 names (ServiceProviderName, RegionName) and ignores unknown columns', () => {
    const r = map({});
    expect(r).toMatchObject({
      ok: true,
      record: {
        provider: 'AWS',
        region: 'eu-west-1',
        currency: 'USD',
        billedCost: 1.5,
        effectiveCost: 1.25,
        listCost: 2,
      },
    });
    if (r.ok)
      expect(r.record.tags).toEqual([
        { key: 'kubernetes.io/cluster', value: 'c1' },
        { key: 'n', value: '3' },
        { key: 'team', value: 'a' },
      ]);
  });

  it('names every missing required column', () => {
    const r = createFocusRowMapper(['ProviderName', 'ServiceName', 'ChargePeriodStart']);
    expect(r).toMatchObject({ ok: false });
    if (!r.ok)
      expect(r.missing.sort()).toEqual(
        ['BilledCost', 'BillingAccountId', 'BillingCurrency', 'ChargeCategory', 'EffectiveCost', 'ListCost'].sort(),
      );
  });

  it('reads offsets and zone-less times as UTC days', () => {
    const day = (t: string) => {
      const r = map({ ChargePeriodStart: t });
      return r.ok ? r.record.chargePeriodStart.toISOString().slice(0, 10) : null;
    };
    expect(day('2026-05-31T23:00:00-02:00')).toBe('2026-06-01');
    expect(day('2026-06-01T01:00:00+02:00')).toBe('2026-05-31');
    expect(day('2026-05-31 23:30:00')).toBe('2026-05-31');
    expect(day('2026-05-31')).toBe('2026-05-31');
  });

  it.each([
    [{ BilledCost: '12,5' }, 'BilledCost'],
    [{ BilledCost: '' }, 'BilledCost'],
    [{ BilledCost: '   ' }, 'BilledCost'],
    [{ BilledCost: '0x10' }, 'BilledCost'],
    [{ ListCost: 'Infinity' }, 'ListCost'],
    [{ EffectiveCost: 'NaN' }, 'EffectiveCost'],
    [{ ChargePeriodStart: 'May 1st' }, 'ChargePeriodStart'],
    [{ ChargeCategory: 'Refund' }, 'ChargeCategory'],
    [{ BillingCurrency: 'dollars' }, 'BillingCurrency'],
    [{ Tags: '["a"]' }, 'Tags'],
    [{ Tags: '{bad' }, 'Tags'],
  ])('refuses %o naming the column', (values, column) => {
    expect(map(values)).toMatchObject({ ok: false, problem: { column } });
  });

  it('accepts exponents and signs', () => {
    expect(map({ BilledCost: '-1.5e-7' })).toMatchObject({ ok: true, record: { billedCost: -1.5e-7 } });
  });
});
