import { month, PERIOD, plusDays } from './eval-calendar.js';
import { SERVICE } from './focus-names.js';
import type { QuestionGroup } from './question-group.types.js';

/**
 * Comparisons, growth and the forecast. A period still running is compared like for like: with the same days of the
 * period before (data ends 2026-06-09, a Tuesday).
 */
export const CHANGE_GROUPS: QuestionGroup[] = [
  {
    id: 'october-vs-november-by-provider',
    meaning: 'November 2025 against October 2025, by provider',
    expect: { kind: 'compare', current: month('2025-11'), previous: month('2025-10'), by: 'provider' },
    questions: [
      'compare October and November spend by provider',
      'october vs november by cloud',
      'how did spend change from October to November per provider?',
      'provider costs: nov compared with oct',
      'compare oct v nov spending, split by cloud provider',
    ],
  },
  {
    id: 'may-vs-april-by-service',
    meaning: 'May 2026 against April 2026, by service',
    expect: { kind: 'compare', current: PERIOD.lastMonth, previous: month('2026-04'), by: 'service' },
    questions: [
      'compare last month vs the month before by service',
      'how did may compare to april by service?',
      'may vs april per service',
      'what changed between april and may, by service',
      'service costs may compared to april',
    ],
  },
  {
    id: 'month-to-date-vs-last-month',
    meaning: 'June 1–9 against May 1–9 (like for like)',
    expect: {
      kind: 'compare',
      current: PERIOD.monthToDate,
      previous: { from: '2026-05-01', to: plusDays('2026-05-01', 8) },
    },
    questions: [
      'how does this month compare to last month so far?',
      'month to date vs the same days last month',
      'are we spending more this month than last month?',
      'this month vs last month',
      'compare june so far with may',
    ],
  },
  {
    id: 'service-grew-most-this-week',
    meaning: 'this week (Mon–Tue, 2026-06-08..09) against the same days of last week, the service that rose most',
    expect: {
      kind: 'grew-most',
      current: PERIOD.thisWeek,
      previous: { from: PERIOD.lastWeek.from, to: plusDays(PERIOD.lastWeek.from, 1) },
      by: 'service',
    },
    questions: [
      'which service grew most this week?',
      'which service increased the most this week',
      'biggest increase by service this week vs last week',
      'this week vs last week, which services went up most?',
      'whcih service grew the most this wek',
    ],
  },
  {
    id: 'account-grew-most-last-month',
    meaning: 'May 2026 against April 2026, the account that rose most',
    expect: { kind: 'grew-most', current: PERIOD.lastMonth, previous: month('2026-04'), by: 'account' },
    questions: [
      'which account grew most last month?',
      "which account's spend rose the most in may vs april",
      'biggest account increase last month',
      'what account went up the most last month compared with the month before',
      'account with the largest growth in may',
    ],
  },
  {
    id: 'ec2-last-week-vs-week-before',
    meaning: 'EC2, the week of 2026-06-01 against the week of 2026-05-25',
    expect: {
      kind: 'compare',
      current: PERIOD.lastWeek,
      previous: { from: plusDays(PERIOD.lastWeek.from, -7), to: plusDays(PERIOD.lastWeek.to, -7) },
      where: { service: [SERVICE.ec2] },
    },
    questions: [
      'ec2 last week vs the week before',
      'how did EC2 spend last week compare with the previous week?',
      'compare ec2 costs: last week and the week before',
      'was ec2 up or down last week vs the week prior',
      'ec2 week over week, last week',
    ],
  },
  {
    id: 'forecast-this-month',
    meaning: 'the month-end forecast for June 2026 (checked: the month-to-date actual, tax included)',
    expect: { kind: 'forecast' },
    questions: [
      'how much will we spend this month?',
      "what's the forecast for june",
      'projected spend for the end of the month',
      'are we on track this month? forecast please',
      'end of month forecast',
    ],
  },
  {
    id: 'forecast-aws-this-month',
    meaning: 'the month-end forecast for AWS (checked: its month-to-date actual)',
    expect: { kind: 'forecast', where: { provider: ['AWS'] } },
    questions: [
      'forecast aws spend this month',
      'how much will AWS cost us this month?',
      'projected aws bill for june',
      'aws month end forecast',
      "what's aws on track to spend this month",
    ],
  },
];
