import type { PeriodSpec } from '../costs/period.js';
import { EARLIEST_DAY, LATEST_DAY, MAX_PERIOD_DAYS } from '../costs/period.js';
import { isDay } from '../shared/day.js';
import { echo } from './echo.js';

/**
 * Checks the parts of a period as typed, before it is resolved against today: `last N days` takes N from 1 to
 * `MAX_PERIOD_DAYS`, a month is `YYYY-MM` with a month from 01 to 12, a day is a real `YYYY-MM-DD`, and every day lies
 * between `EARLIEST_DAY` and `LATEST_DAY`. Returns a message naming the bad part, or null.
 */
export function checkPeriodSpec(spec: PeriodSpec): string | null {
  switch (spec.kind) {
    case 'last-days':
      return Number.isSafeInteger(spec.days) && spec.days >= 1 && spec.days <= MAX_PERIOD_DAYS
        ? null
        : `${echo(`last ${spec.days} days`)}: the number of days goes from 1 to ${MAX_PERIOD_DAYS}.`;
    case 'month': {
      const m = /^(\d{4})-(\d{2})$/.exec(spec.month);
      const month = Number(m?.[2]);
      if (!m || month < 1 || month > 12)
        return `${echo(spec.month)} is not a month: use YYYY-MM with a month from 01 to 12, e.g. 2026-05.`;
      return inRange(`${spec.month}-01`, spec.month);
    }
    case 'range':
      if (spec.from === '' || spec.to === '') return 'Say both days: `from YYYY-MM-DD to YYYY-MM-DD`.';
      for (const day of [spec.from, spec.to])
        if (!isDay(day)) return `${echo(day)} is not a day: use YYYY-MM-DD, e.g. 2026-05-01.`;
      return inRange(spec.from, spec.from) ?? inRange(spec.to, spec.to);
    default:
      return null;
  }
}

function inRange(day: string, typed: string): string | null {
  return day >= EARLIEST_DAY && day <= LATEST_DAY
    ? null
    : `${echo(typed)} is outside the days Tally answers for, ${EARLIEST_DAY} to ${LATEST_DAY}.`;
}
