import { describe, expect, it } from 'vitest';
import { previousPeriod, resolvePeriod, validatePeriod } from '../../../src/costs/period.js';

// 2026-11-18 is a Wednesday.
const TODAY = '2026-11-18';

describe('resolvePeriod', () => {
  it.each([
    [{ kind: 'today' } as const, '2026-11-18', '2026-11-18'],
    [{ kind: 'yesterday' } as const, '2026-11-17', '2026-11-17'],
    [{ kind: 'this-week' } as const, '2026-11-16', '2026-11-18'],
    [{ kind: 'last-week' } as const, '2026-11-09', '2026-11-15'],
    [{ kind: 'this-month' } as const, '2026-11-01', '2026-11-18'],
    [{ kind: 'last-month' } as const, '2026-10-01', '2026-10-31'],
    [{ kind: 'month-to-date' } as const, '2026-11-01', '2026-11-18'],
    [{ kind: 'year-to-date' } as const, '2026-01-01', '2026-11-18'],
    [{ kind: 'last-days', days: 30 } as const, '2026-10-19', '2026-11-17'],
    [{ kind: 'month', month: '2026-02' } as const, '2026-02-01', '2026-02-28'],
    [{ kind: 'range', from: '2026-05-01', to: '2026-05-31' } as const, '2026-05-01', '2026-05-31'],
  ])('%o', (spec, from, to) => {
    expect(resolvePeriod(spec, TODAY)).toMatchObject({ from, to });
  });

  it('last month from March 31 is February', () => {
    expect(resolvePeriod({ kind: 'last-month' }, '2026-03-31')).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('the week before last week, and the month before a partial month', () => {
    const lastWeek = resolvePeriod({ kind: 'last-week' }, TODAY);
    expect(previousPeriod({ kind: 'last-week' }, lastWeek)).toMatchObject({ from: '2026-11-02', to: '2026-11-08' });
    const mtd = resolvePeriod({ kind: 'month-to-date' }, TODAY);
    expect(previousPeriod({ kind: 'month-to-date' }, mtd)).toMatchObject({ from: '2026-10-01', to: '2026-10-18' });
    const days = resolvePeriod({ kind: 'last-days', days: 7 }, TODAY);
    expect(previousPeriod({ kind: 'last-days', days: 7 }, days)).toMatchObject({
      from: '2026-11-04',
      to: '2026-11-10',
    });
  });

  it('refuses impossible ranges', () => {
    expect(
      validatePeriod(resolvePeriod({ kind: 'range', from: '2026-05-31', to: '2026-05-01' }, TODAY)),
    ).not.toBeNull();
    expect(
      validatePeriod(resolvePeriod({ kind: 'range', from: '2026-02-30', to: '2026-03-01' }, TODAY)),
    ).not.toBeNull();
    expect(validatePeriod(resolvePeriod({ kind: 'range', from: '2026-05-01', to: '2026-05-31' }, TODAY))).toBeNull();
  });
});
