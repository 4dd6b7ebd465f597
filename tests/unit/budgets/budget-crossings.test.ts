import { describe, expect, it } from 'vitest';
import type { BudgetCrossing } from '../../../src/budgets/budget.types.js';
import { crossingAlerts, type ThresholdReached } from '../../../src/budgets/budget-crossings.js';

const recorded = (kind: BudgetCrossing['kind'], percent: number): BudgetCrossing => ({
  budget: 'payments',
  period: '2026-06',
  kind,
  percent,
  at: '2026-06-10T08:00:00.000Z',
  through: '2026-06-09',
});
const reached = (kind: ThresholdReached['kind'], ...percents: number[]) =>
  percents.map((percent) => ({ kind, percent }));

describe('what a budget check alerts', () => {
  it('per kind, the highest threshold newly reached, naming the lower ones passed with it', () => {
    expect(crossingAlerts([...reached('actual', 50, 80), ...reached('forecast', 100)], [])).toEqual([
      { kind: 'actual', percent: 80, passed: [50] },
      { kind: 'forecast', percent: 100, passed: [] },
    ]);
  });

  it('nothing recorded before: 50% alerted earlier leaves 80% alone', () => {
    expect(crossingAlerts(reached('actual', 50, 80), [recorded('actual', 50)])).toEqual([
      { kind: 'actual', percent: 80, passed: [] },
    ]);
    expect(crossingAlerts(reached('actual', 50, 80), [recorded('actual', 50), recorded('actual', 80)])).toEqual([]);
  });

  it('a threshold of one kind recorded does not hold back the same percent of the other', () => {
    expect(crossingAlerts(reached('forecast', 100), [recorded('actual', 100)])).toEqual([
      { kind: 'forecast', percent: 100, passed: [] },
    ]);
  });
});
