import { describe, expect, it } from 'vitest';
import { periodRange } from '../../../src/budgets/budget-period.js';

describe('the period of a budget that holds a day', () => {
  it('is the calendar month, quarter or year', () => {
    expect(periodRange('monthly', '2026-02-10')).toMatchObject({
      from: '2026-02-01',
      to: '2026-02-28',
      key: '2026-02',
    });
    expect(periodRange('quarterly', '2026-06-30')).toMatchObject({
      from: '2026-04-01',
      to: '2026-06-30',
      key: '2026-Q2',
    });
    expect(periodRange('yearly', '2026-06-10')).toMatchObject({ from: '2026-01-01', to: '2026-12-31', key: '2026' });
  });

  it('follows the fiscal year start, naming a fiscal year by the calendar year it ends in', () => {
    expect(periodRange('fiscal-year', '2026-06-10', 4)).toMatchObject({
      from: '2026-04-01',
      to: '2027-03-31',
      key: 'FY2027',
    });
    expect(periodRange('fiscal-year', '2026-03-31', 4)).toMatchObject({
      from: '2025-04-01',
      to: '2026-03-31',
      key: 'FY2026',
    });
    expect(periodRange('fiscal-quarter', '2026-06-10', 4)).toMatchObject({
      from: '2026-04-01',
      to: '2026-06-30',
      key: 'FY2027-Q1',
    });
    expect(periodRange('fiscal-quarter', '2026-01-15', 10)).toMatchObject({
      from: '2026-01-01',
      to: '2026-03-31',
      key: 'FY2026-Q2',
    });
    // A fiscal year from January is the calendar year.
    expect(periodRange('fiscal-year', '2026-06-10', 1)).toMatchObject({
      from: '2026-01-01',
      to: '2026-12-31',
      key: 'FY2026',
    });
  });
});
