import { month, PERIOD } from './eval-calendar.js';
import { ACCOUNT, PROVIDER, SERVICE } from './focus-names.js';
import type { QuestionGroup } from './question-group.types.js';

/** Spend of a slice of the bill: tags, environments, accounts by name, regions, categories, several clouds. */
export const SCOPE_GROUPS: QuestionGroup[] = [
  {
    id: 'ec2-prod-last-month',
    meaning: 'EC2 with env=prod, May 2026 ("prod" may also read as the accounts named *-prod: asking is fine)',
    expect: {
      kind: 'total',
      period: PERIOD.lastMonth,
      where: { service: [SERVICE.ec2], tags: { env: ['prod'] } },
    },
    mayAsk: true,
    questions: [
      'EC2 in prod last month',
      'what did ec2 cost in production in May?',
      'prod EC2 spend last month',
      'how much were our production ec2 instances last month',
      'ec2 prod costs for may 2026',
    ],
  },
  {
    id: 'storage-prod-month-to-date',
    meaning: 'the Storage category with env=prod, this month so far ("storage" may also be the Azure service)',
    expect: {
      kind: 'total',
      period: PERIOD.monthToDate,
      where: { category: ['Storage'], tags: { env: ['prod'] } },
    },
    mayAsk: true,
    questions: [
      'show me storage costs for prod',
      'storage spend in prod this month',
      'prod storage cost month to date',
      'what are we paying for storage in production this month?',
      'how much prod storage so far this month',
    ],
  },
  {
    id: 'data-team-this-quarter',
    meaning: 'tag team=data, 2026-04-01 to today',
    expect: { kind: 'total', period: PERIOD.thisQuarter, where: { tags: { team: ['data'] } } },
    questions: [
      'data team spend this quarter',
      'how much has the data team spent this quarter?',
      'Q2 costs for team data',
      'quarter to date spend for the data team',
      "what's the data team cost so far this qtr",
    ],
  },
  {
    id: 'cost-center-cc-1002-last-month',
    meaning: 'tag cost-center=CC-1002, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { tags: { 'cost-center': ['CC-1002'] } } },
    questions: [
      'spend for cost center CC-1002 last month',
      'cc-1002 costs last month',
      'how much did cost centre CC-1002 spend in may?',
      'CC-1002 last month',
      "last month's cost for cost-center CC-1002",
    ],
  },
  {
    id: 'non-prod-last-month',
    meaning: 'tag env=staging or env=dev, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { tags: { env: ['staging', 'dev'] } } },
    questions: [
      'non-prod spend last month',
      'how much did staging and dev cost last month?',
      "last month's spend for non-production environments",
      'dev + staging costs in may',
      'what did our non prod envs spend last month',
    ],
  },
  {
    id: 'erp-eu-prod-last-quarter',
    meaning: 'the Azure subscription erp-eu-prod (billed in EUR), January to March 2026',
    expect: { kind: 'total', period: PERIOD.lastQuarter, where: { account: [ACCOUNT.erpEuProd] } },
    questions: [
      'what did erp-eu-prod spend last quarter?',
      'erp-eu-prod costs Q1 2026',
      'how much was the erp eu prod subscription last quarter',
      'last quarter spend for erp-eu-prod',
      'erp-eu-prod in q1',
    ],
  },
  {
    id: 'us-east-1-last-month',
    meaning: 'region us-east-1, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { region: ['us-east-1'] } },
    questions: [
      'us-east-1 spend last month',
      'how much did we spend in us-east-1 in may?',
      'cost in us-east-1 last month',
      "last month's us east 1 costs",
      'what did us-east-1 cost us last mnth',
    ],
  },
  {
    id: 'aws-and-gcp-last-month',
    meaning: 'AWS and Google Cloud together, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { provider: [PROVIDER.aws, PROVIDER.gcp] } },
    questions: [
      'AWS and GCP spend last month',
      'how much did aws + google cloud cost in may?',
      'combined aws and gcp costs last month',
      'aws & gcp last month',
      'total for amazon and google cloud last month',
    ],
  },
  {
    id: 'databases-january',
    meaning: 'the Databases category on every cloud, January 2026',
    expect: { kind: 'total', period: month('2026-01'), where: { category: ['Databases'] } },
    questions: [
      'database costs in January',
      'how much did databases cost in jan?',
      'db spend january 2026',
      'what did we pay for databases in January',
      'January database spend across clouds',
    ],
  },
  {
    id: 'ai-services-last-month',
    meaning: 'the AI and Machine Learning category, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { category: ['AI and Machine Learning'] } },
    questions: [
      'AI spend last month',
      'how much did AI and machine learning services cost last month?',
      'what did AI services cost us in May',
      'last month artificial intelligence costs',
      'ai/machine learning spend for may',
    ],
  },
  {
    id: 'storefront-eks-cluster-last-month',
    meaning: 'tag kubernetes.io/cluster=storefront-eks, May 2026',
    expect: {
      kind: 'total',
      period: PERIOD.lastMonth,
      where: { tags: { 'kubernetes.io/cluster': ['storefront-eks'] } },
    },
    questions: [
      'storefront-eks cluster cost last month',
      'how much did the storefront-eks cluster cost in may?',
      'what did cluster storefront-eks spend last month',
      'storefront eks cluster spend last month',
      'last month cost of the storefront-eks k8s cluster',
    ],
  },
  {
    id: 'credits-last-month',
    meaning: 'ChargeCategory Credit, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { charge: ['Credit'] } },
    questions: [
      'how much did we get in credits last month?',
      'credits last month',
      'what credits did we receive in may',
      'total promotional credits in May 2026',
      'credit amount for last month',
    ],
  },
  {
    id: 'tax-last-month',
    meaning: 'ChargeCategory Tax, May 2026',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { charge: ['Tax'] } },
    questions: [
      'how much tax did we pay last month?',
      'tax last month',
      'taxes in may',
      'what were the tax charges on last month’s bill',
      'total tax for may 2026',
    ],
  },
  {
    id: 'ml-team-last-30-days',
    meaning: 'tag team=ml, the 30 days ending 2026-06-09',
    expect: { kind: 'total', period: PERIOD.lastDays(30), where: { tags: { team: ['ml'] } } },
    questions: [
      'ml team spend in the last 30 days',
      'how much has the ML team spent over the past 30 days?',
      'team ml costs, last 30 days',
      'past 30 days spend for the ml team',
      'what did the machine learning team cost over the last thirty days',
    ],
  },
  {
    id: 'shop-prod-october',
    meaning: 'the Google Cloud project shop-prod, October 2025',
    expect: { kind: 'total', period: month('2025-10'), where: { account: [ACCOUNT.shopProd] } },
    questions: [
      'shop-prod spend in october',
      'how much did the shop-prod project cost in October 2025?',
      'october costs for shop-prod',
      'what did project shop-prod spend in oct',
      'shop prod project october spend',
    ],
  },
];
