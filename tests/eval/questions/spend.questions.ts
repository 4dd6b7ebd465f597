import { month, PERIOD } from './eval-calendar.js';
import { PROVIDER, SERVICE } from './focus-names.js';
import type { QuestionGroup } from './question-group.types.js';

/** How much was spent: one total per currency, over the periods people name. */
export const SPEND_GROUPS: QuestionGroup[] = [
  {
    id: 'aws-october',
    meaning: 'AWS, October 2025, effective cost',
    expect: { kind: 'total', period: month('2025-10'), where: { provider: [PROVIDER.aws] } },
    questions: [
      'how much did we spend on AWS in October?',
      'AWS spend for October',
      'what did aws cost us in october',
      'October AWS costs please',
      'hwo much was aws in ocotber',
    ],
  },
  {
    id: 'payments-team-last-month',
    meaning: 'tag team=payments, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { tags: { team: ['payments'] } } },
    questions: [
      'how much did the payments team spend last month?',
      'payments team costs last month',
      "last month's spend for the payments team",
      'what did team payments cost us in May',
      'paymnets team spend last mnth',
    ],
  },
  {
    id: 's3-last-month',
    meaning: 'Amazon S3, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { service: [SERVICE.s3] } },
    questions: [
      'hwo much did we spnd on s3 last mnth',
      's3 cost last month',
      'what did amazon s3 cost in may?',
      'S3 spend for last month?',
      'how much was Simple Storage Service last month',
    ],
  },
  {
    id: 'kubernetes-last-month',
    meaning: 'every managed Kubernetes service (EKS, AKS, GKE), May 2026',
    expect: {
      kind: 'total',
      period: PERIOD.lastMonth,
      where: { service: [SERVICE.eks, SERVICE.aks, SERVICE.gke] },
    },
    questions: [
      'how much did kubernetes cost last month',
      'k8s spend last month across all clouds',
      'what did we spend on managed kubernetes in may',
      'EKS, AKS and GKE costs last month',
      'kubernetes spend last month',
    ],
  },
  {
    id: 'total-last-month',
    meaning: 'everything, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth },
    questions: [
      'how much did we spend last month',
      'what was total spend in May 2026?',
      "last month's total cost",
      'overall cloud spend last month, all providers',
      'total spnd for may',
    ],
  },
  {
    id: 'billed-last-month',
    meaning: 'billed (invoiced) cost, May 2026',
    expect: { kind: 'total', metric: 'billed', period: PERIOD.lastMonth },
    questions: [
      'what were we invoiced last month?',
      'billed cost for may',
      'how much were we billed last month',
      'total invoiced amount last month',
      'what did the invoices come to for May 2026',
    ],
  },
  {
    id: 'rds-last-week',
    meaning: 'Amazon RDS, the week Mon 2026-06-01 to Sun 2026-06-07',
    expect: { kind: 'total', period: PERIOD.lastWeek, where: { service: [SERVICE.rds] } },
    questions: [
      'rds spend last week',
      'how much did RDS cost last week?',
      "last week's rds costs",
      'what did Amazon RDS cost us last week',
      'relational database service spend last wk',
    ],
  },
  {
    id: 'aws-yesterday',
    meaning: 'AWS, 2026-06-09',
    expect: { kind: 'total', period: PERIOD.yesterday, where: { provider: [PROVIDER.aws] } },
    questions: [
      'what did aws cost yesterday',
      "yesterday's AWS spend",
      'aws yesterday?',
      'how much did we spend on amazon web services yesterday',
      'AWS cost for yesterday pls',
    ],
  },
  {
    id: 'weekend',
    meaning: 'everything, Saturday 2026-06-06 and Sunday 2026-06-07',
    expect: { kind: 'total', period: PERIOD.weekend },
    questions: [
      'how much did we spend over the weekend?',
      'weekend spend',
      'what did the weekend cost us',
      'total cost this past weekend',
      'spend on saturday and sunday',
    ],
  },
  {
    id: 'march-first-half',
    meaning: 'everything, 2026-03-01 to 2026-03-15',
    expect: { kind: 'total', period: { from: '2026-03-01', to: '2026-03-15' } },
    questions: [
      'spend between March 1 and March 15',
      'how much did we spend from march 1st to march 15th?',
      'total cost 1-15 March',
      'costs from 2026-03-01 through 2026-03-15',
      'march 1 - march 15 spend',
    ],
  },
  {
    id: 'azure-since-monday',
    meaning: 'Microsoft Azure, Monday 2026-06-08 to today',
    expect: { kind: 'total', period: PERIOD.thisWeek, where: { provider: [PROVIDER.azure] } },
    questions: [
      'azure spend since monday',
      'how much has Azure cost since Monday?',
      'microsoft azure costs since mon',
      'azure so far this week',
      "what's azure spent this week",
    ],
  },
  {
    id: 'gcp-may-excluding-tax',
    meaning: 'Google Cloud, May 2026, without Tax charges',
    expect: {
      kind: 'total',
      period: PERIOD.lastMonth,
      where: { provider: [PROVIDER.gcp], notCharge: ['Tax'] },
    },
    questions: [
      'gcp costs excl tax for may',
      'google cloud spend in May excluding tax',
      'GCP may, without taxes',
      'what did google cloud cost in may before tax?',
      'gcp spend may 2026 ex tax',
    ],
  },
  {
    id: 'lambda-year-to-date',
    meaning: 'AWS Lambda, 2026-01-01 to today',
    expect: { kind: 'total', period: PERIOD.yearToDate, where: { service: [SERVICE.lambda] } },
    questions: [
      'lambda spend this year',
      'year to date lambda costs',
      'how much has aws lambda cost so far in 2026?',
      'lambda ytd',
      'what have we spent on lambda since january',
    ],
  },
  {
    id: 'last-year',
    meaning: 'everything, calendar 2025 (the file holds October to December of it)',
    expect: { kind: 'total', period: PERIOD.lastYear },
    questions: [
      'how much did we spend last year?',
      'total 2025 spend',
      'what was our spend in 2025',
      "last year's cloud costs",
      '2025 total cost',
    ],
  },
];
