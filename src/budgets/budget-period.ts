import { monthLabel } from '../costs/period.js';
import type { Day } from '../shared/day.js';
import { addDays, addMonths, startOfMonth } from '../shared/day.js';
import type { BudgetPeriod, BudgetPeriodRange } from './budget.types.js';

/**
 * The period of a budget that holds `today` (UTC days). Fiscal years start on the 1st of `fiscalYearStart`
 * (`TALLY_FISCAL_YEAR_START`, 1–12) and are named by the calendar year they end in, as the questions name them
 * (docs/budgets.md#periods).
 *
 * @example periodRange('quarterly', '2026-06-10', 1) // { from: '2026-04-01', to: '2026-06-30', key: '2026-Q2', … }
 * @example periodRange('fiscal-year', '2026-06-10', 4) // { from: '2026-04-01', to: '2027-03-31', key: 'FY2027', … }
 */
export function periodRange(period: BudgetPeriod, today: Day, fiscalYearStart = 1): BudgetPeriodRange {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (period) {
    case 'monthly': {
      const from = startOfMonth(today);
      return { from, to: lastDay(from, 1), key: today.slice(0, 7), label: monthLabel(today.slice(0, 7)) };
    }
    case 'quarterly': {
      const q = Math.floor((month - 1) / 3) + 1;
      const from = `${year}-${pad(3 * q - 2)}-01`;
      return { from, to: lastDay(from, 3), key: `${year}-Q${q}`, label: `Q${q} ${year}` };
    }
    case 'yearly':
      return { from: `${year}-01-01`, to: `${year}-12-31`, key: String(year), label: String(year) };
    case 'fiscal-quarter':
    case 'fiscal-year': {
      const start = fiscalYearStart >= 1 && fiscalYearStart <= 12 ? Math.floor(fiscalYearStart) : 1;
      const fy = start > 1 && month >= start ? year + 1 : year;
      const fyFrom = `${start > 1 ? fy - 1 : fy}-${pad(start)}-01`;
      if (period === 'fiscal-year') return { from: fyFrom, to: lastDay(fyFrom, 12), key: `FY${fy}`, label: `FY${fy}` };
      const q = Math.floor(((month - start + 12) % 12) / 3) + 1;
      const from = addMonths(fyFrom, 3 * (q - 1));
      return { from, to: lastDay(from, 3), key: `FY${fy}-Q${q}`, label: `fiscal Q${q} FY${fy}` };
    }
  }
}

/** The last day of the `months` months starting on `from` (a 1st). */
function lastDay(from: Day, months: number): Day {
  return addDays(addMonths(from, months), -1);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** How people read a period: `monthly`, `quarterly`, `yearly`, `fiscal quarterly`, `fiscal yearly`. */
export const PERIOD_WORDS: Readonly<Record<BudgetPeriod, string>> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  yearly: 'yearly',
  'fiscal-quarter': 'per fiscal quarter',
  'fiscal-year': 'per fiscal year',
};
