import { month, PERIOD, quarter } from './eval-calendar.js';
import type { QuestionGroup } from './question-group.types.js';

/** Spend split by a dimension, a tag or time: the total and the largest rows (or exactly the top N). */
export const BREAKDOWN_GROUPS: QuestionGroup[] = [
  {
    id: 'by-account-last-month',
    meaning: 'May 2026 by sub-account (AWS account, Azure subscription, Google project)',
    expect: { kind: 'breakdown', by: 'account', period: PERIOD.lastMonth },
    questions: [
      'spend by account last month',
      'break down last month by account',
      'how much did each account spend in may?',
      'cost per account / subscription / project for last month',
      'last month by acount please',
    ],
  },
  {
    id: 'by-team-october',
    meaning: 'October 2025 by tag team',
    expect: { kind: 'breakdown', by: 'tag:team', period: month('2025-10') },
    questions: [
      'october spend by team',
      'how much did each team spend in October?',
      'break down october costs per team',
      'team costs for oct',
      'oct cost split by team tag',
    ],
  },
  {
    id: 'december-by-provider',
    meaning: 'December 2025 by provider',
    expect: { kind: 'breakdown', by: 'provider', period: month('2025-12') },
    questions: [
      'december costs by cloud',
      'spend per provider in December',
      'how much did each cloud cost in dec?',
      'December 2025 by provider',
      'break down decmber by provider',
    ],
  },
  {
    id: 'past-14-days-by-service',
    meaning: 'the 14 days ending 2026-06-09 by service',
    expect: { kind: 'breakdown', by: 'service', period: PERIOD.lastDays(14) },
    questions: [
      'cost by service over the past 14 days',
      'last 14 days by service',
      'service breakdown for the past 14 days',
      'what did each service cost in the last fourteen days?',
      'past 14 days spend per servcie',
    ],
  },
  {
    id: 'compute-by-provider-last-month',
    meaning: 'the Compute category, May 2026, by provider',
    expect: { kind: 'breakdown', by: 'provider', period: PERIOD.lastMonth, where: { category: ['Compute'] } },
    questions: [
      'compute spend last month by cloud',
      'how much did compute cost per provider last month?',
      'compute costs by provider for may',
      "break down last month's compute by provider",
      'last month compute, split by cloud provider',
    ],
  },
  {
    id: 'top-5-services-last-quarter',
    meaning: 'January to March 2026 by service, the top 5 (per currency) and the total',
    expect: { kind: 'breakdown', by: 'service', top: 5, period: PERIOD.lastQuarter },
    questions: [
      'top 5 services last quarter',
      'what were our five most expensive services last quarter?',
      'biggest 5 services in Q1',
      'top five services by cost for Q1 2026',
      'show the 5 costliest services last qtr',
    ],
  },
  {
    id: 'top-3-accounts-month-to-date',
    meaning: 'this month so far by account, the top 3 (per currency) and the total',
    expect: { kind: 'breakdown', by: 'account', top: 3, period: PERIOD.monthToDate },
    questions: [
      'top 3 accounts this month',
      'which three accounts are spending the most this month?',
      '3 biggest accounts month to date',
      'top three accounts by spend so far this month',
      'wich 3 accounts cost the most this month',
    ],
  },
  {
    id: 'q4-by-provider',
    meaning: 'October to December 2025 by provider',
    expect: { kind: 'breakdown', by: 'provider', period: quarter(2025, 4) },
    questions: [
      'Q4 2025 spend by provider',
      "last year's q4 by cloud",
      'how much did each cloud cost in Q4 2025?',
      'fourth quarter 2025 costs per provider',
      'q4 2025 provider breakdown',
    ],
  },
  {
    id: 'daily-last-week',
    meaning: 'the week Mon 2026-06-01 to Sun 2026-06-07, day by day',
    expect: { kind: 'breakdown', by: 'day', period: PERIOD.lastWeek },
    questions: [
      'daily cost last week',
      'show me spend per day for last week',
      'last week day by day',
      'how much did we spend each day last week?',
      'cost by day last week',
    ],
  },
  {
    id: 'monthly-this-year',
    meaning: '2026 so far, month by month',
    expect: { kind: 'breakdown', by: 'month', period: PERIOD.yearToDate },
    questions: [
      'monthly spend this year',
      'how much did we spend each month this year?',
      'cost by month for 2026',
      'month by month costs year to date',
      'show monthly totals so far this year',
    ],
  },
  {
    id: 'azure-by-service-last-month',
    meaning: 'Microsoft Azure, May 2026, by service',
    expect: { kind: 'breakdown', by: 'service', period: PERIOD.lastMonth, where: { provider: ['Microsoft'] } },
    questions: [
      'azure costs by service last month',
      'what were our azure services costing in may',
      'break down last month’s azure spend by service',
      'azure spend per service, last month',
      'which azure services cost what last month',
    ],
  },
];
