import { describe, expect, it } from 'vitest';
import { createFocusRowMapper } from '../../../src/costs/focus-row.mapper.js';
import { MAX_ABS_AMOUNT } from '../../../src/costs/focus-values.js';

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
        // Amounts keep their exact text for the store's decimal sums.
        billedCost: '1.5',
        effectiveCost: '1.25',
        listCost: '2',
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
    [{ ChargeCategory: 'constructor' }, 'ChargeCategory'],
    [{ ChargeCategory: '__proto__' }, 'ChargeCategory'],
    [{ BillingCurrency: 'dollars' }, 'BillingCurrency'],
    [{ Tags: '["a"]' }, 'Tags'],
    [{ Tags: '{bad' }, 'Tags'],
  ])('refuses %o naming the column', (values, column) => {
    expect(map(values)).toMatchObject({ ok: false, problem: { column } });
  });

  it('accepts exponents and signs', () => {
    expect(map({ BilledCost: '-1.5e-7' })).toMatchObject({ ok: true, record: { billedCost: '-1.5e-7' } });
    expect(map({ BilledCost: '+2.50' })).toMatchObject({ ok: true, record: { billedCost: '2.50' } });
  });

  it('refuses amounts that are not finite or not below the bound, as out of range', () => {
    const problem = (values: Record<string, string>) => {
      const r = map(values);
      return r.ok ? null : r.problem;
    };
    expect(problem({ EffectiveCost: '1.8e308' })).toEqual({
      column: 'EffectiveCost',
      reason: 'out of range ("1.8e308")',
    });
    expect(problem({ BilledCost: '1e999' })).toEqual({ column: 'BilledCost', reason: 'out of range ("1e999")' });
    expect(problem({ ListCost: `-${MAX_ABS_AMOUNT}` })).toMatchObject({ column: 'ListCost' });
    expect(problem({ EffectiveCost: 'Infinity' })).toEqual({
      column: 'EffectiveCost',
      reason: 'not a number ("Infinity")',
    });
    // Just below the bound, and the largest real rows (rupiah), are kept exactly.
    const below = String(MAX_ABS_AMOUNT - 0.5);
    expect(map({ BilledCost: below })).toMatchObject({ ok: true, record: { billedCost: below } });
    expect(map({ BilledCost: '-12345678901.23' })).toMatchObject({
      ok: true,
      record: { billedCost: '-12345678901.23' },
    });
  });

  it('reads the timestamp forms real exports write, and refuses days that do not exist', () => {
    const at = (t: string) => {
      const r = map({ ChargePeriodStart: t });
      return r.ok ? r.record.chargePeriodStart.toISOString() : null;
    };
    expect(at('2024-09-18 22:00:00 UTC')).toBe('2024-09-18T22:00:00.000Z');
    expect(at('2024-09-18T22:00:00+00')).toBe('2024-09-18T22:00:00.000Z');
    expect(at('2024-09-18T22:00:00+00:00')).toBe('2024-09-18T22:00:00.000Z');
    expect(at('2024-09-18T22:00:00.123456Z')).toBe('2024-09-18T22:00:00.123Z');
    expect(at('2024-09-18T23:30:00-0200')).toBe('2024-09-19T01:30:00.000Z');
    expect(at('2024-09-31T00:00:00Z')).toBeNull();
    expect(at('2023-02-29T00:00:00Z')).toBeNull();
    expect(at('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(map({ ChargePeriodStart: '2024-09-31T00:00:00Z' })).toMatchObject({
      ok: false,
      problem: { column: 'ChargePeriodStart' },
    });
  });

  it('reads the NULL token as a null wherever FOCUS allows one', () => {
    const r = map({ Tags: 'NULL', SubAccountId: 'NULL', RegionName: 'NULL', ListCost: 'NULL' });
    expect(r).toMatchObject({ ok: true, record: { tags: [], subAccountId: '', region: 'global', listCost: '0' } });
    expect(map({ BilledCost: 'NULL' })).toMatchObject({ ok: false, problem: { column: 'BilledCost' } });
  });

  it('takes ServiceProviderName when ProviderName is empty, per row, and reads FOCUS 1.4 without it', () => {
    const header13 = [...HEADER_13, 'ProviderName'];
    expect(map({ ProviderName: '' }, header13)).toMatchObject({ ok: true, record: { provider: 'AWS' } });
    expect(map({ ProviderName: 'Snowflake' }, header13)).toMatchObject({
      ok: true,
      record: { provider: 'Snowflake', serviceProvider: 'AWS' },
    });
  });

  it('refuses rows with too few or too many fields, naming the first missing column', () => {
    const mapper = createFocusRowMapper(HEADER_13);
    if (!mapper.ok) throw new Error('header refused');
    expect(mapper.map(['AWS', '1', '2'])).toMatchObject({ ok: false, problem: { column: 'ServiceName' } });
    expect(mapper.map([...HEADER_13.map(() => 'x'), 'extra'])).toMatchObject({ ok: false });
  });

  it('recognises other FOCUS datasets by their columns', () => {
    expect(createFocusRowMapper(['ContractId', 'ContractCommitmentId', 'ContractCommitmentCost'])).toMatchObject({
      ok: false,
      dataset: 'Contract Commitment',
    });
    expect(createFocusRowMapper(['Foo', 'Bar'])).toMatchObject({ ok: false, dataset: '' });
  });
});
