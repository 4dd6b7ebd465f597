import type { CostRecord } from '../../src/costs/cost-record.types.js';
import { generateSample } from '../../src/costs/sample/sample-data.js';

/**
 * The evaluation set: natural-language cost questions over the built-in sample dataset, each with the figures a
 * correct answer must carry. Expected figures are computed here directly from the sample's cost records (sums of
 * EffectiveCost or BilledCost over the UTC days of ChargePeriodStart), with day arithmetic of its own — never with
 * Tally's query, period or forecast code — so the set checks Tally rather than restating it.
 */

/** "Today" of every evaluation run: a Wednesday. The sample ends the day before. */
export const EVAL_TODAY = '2026-06-10';

/** One figure a correct reply must carry (amounts to the cent). */
export type Check =
  /** The total of a cost breakdown in `currency` (0 when the reply has no cost in that currency). */
  | { kind: 'total'; currency: string; amount: number }
  /** The row `key` of a cost breakdown (grouped by a dimension) in `currency`. */
  | { kind: 'row'; currency: string; key: string; amount: number }
  /** The top mover of a period comparison in `currency`: its key and its change. */
  | { kind: 'top-mover'; currency: string; key: string; change: number }
  /** The month-to-date actual of a forecast in `currency`. */
  | { kind: 'forecast-actual'; currency: string; amount: number };

export interface EvalQuestion {
  text: string;
  /** What the question asks, in the command language's terms (for the report). */
  intent: 'spend' | 'breakdown' | 'growth' | 'forecast';
  expected: (records: readonly CostRecord[]) => Check[];
}

// ---- day arithmetic (UTC, independent of src/shared/day.ts) ----

const MS_PER_DAY = 86_400_000;
const toMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const fromMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const plusDays = (day: string, n: number): string => fromMs(toMs(day) + n * MS_PER_DAY);
const lastDayOfMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return fromMs(Date.UTC(y, m, 0));
};

/** The sample Tally loads when today is {@link EVAL_TODAY}: it ends the day before. */
export function sampleRecords(): CostRecord[] {
  return generateSample({ endDay: plusDays(EVAL_TODAY, -1) }).records;
}

interface Range {
  from: string;
  to: string;
}

const today = EVAL_TODAY;
const yesterday = plusDays(today, -1);
/** ISO weeks start on Monday. */
const mondayOf = (day: string): string => plusDays(day, -((new Date(toMs(day)).getUTCDay() + 6) % 7));
const month = (m: string): Range => ({ from: `${m}-01`, to: lastDayOfMonth(m) });

const P = {
  today: { from: today, to: today },
  yesterday: { from: yesterday, to: yesterday },
  dayBeforeYesterday: { from: plusDays(today, -2), to: plusDays(today, -2) },
  thisWeek: { from: mondayOf(today), to: today },
  lastWeek: { from: plusDays(mondayOf(today), -7), to: plusDays(mondayOf(today), -1) },
  weekBeforeLast: { from: plusDays(mondayOf(today), -14), to: plusDays(mondayOf(today), -8) },
  monthToDate: { from: `${today.slice(0, 7)}-01`, to: today },
  lastMonth: month('2026-05'),
  april: month('2026-04'),
  march: month('2026-03'),
  may: month('2026-05'),
  yearToDate: { from: `${today.slice(0, 4)}-01-01`, to: today },
  lastDays: (n: number): Range => ({ from: plusDays(today, -n), to: yesterday }),
  /** The n days right before the last n days. */
  daysBefore: (n: number): Range => ({ from: plusDays(today, -2 * n), to: plusDays(today, -n - 1) }),
} satisfies Record<string, Range | ((n: number) => Range)>;

// ---- sums over the records ----

type Metric = 'effective' | 'billed';
type Filter = (r: CostRecord) => boolean;
type KeyOf = (r: CostRecord) => string;

const dayOfRecord = (r: CostRecord): string => r.chargePeriodStart.toISOString().slice(0, 10);
const amountOf = (r: CostRecord, metric: Metric): number =>
  Number(metric === 'billed' ? r.billedCost : r.effectiveCost);
const inRange = (r: CostRecord, range: Range): boolean => {
  const d = dayOfRecord(r);
  return d >= range.from && d <= range.to;
};

/** currency → key → sum. */
function sums(
  records: readonly CostRecord[],
  range: Range,
  metric: Metric,
  filter: Filter,
  keyOf: KeyOf,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const r of records) {
    if (!inRange(r, range) || !filter(r)) continue;
    const byKey = out.get(r.currency) ?? new Map<string, number>();
    out.set(r.currency, byKey);
    const k = keyOf(r);
    byKey.set(k, (byKey.get(k) ?? 0) + amountOf(r, metric));
  }
  return out;
}

const all: Filter = () => true;
const services =
  (...names: string[]): Filter =>
  (r) =>
    names.includes(r.serviceName);

/** The everyday names used in the questions, written out as the FOCUS ServiceNames of the sample. */
const S = {
  ec2: 'Amazon Elastic Compute Cloud',
  s3: 'Amazon Simple Storage Service',
  rds: 'Amazon Relational Database Service',
  lambda: 'AWS Lambda',
  eks: 'Amazon Elastic Kubernetes Service',
  cloudfront: 'Amazon CloudFront',
  dynamodb: 'Amazon DynamoDB',
  elasticache: 'Amazon ElastiCache',
  sagemaker: 'Amazon SageMaker',
  athena: 'Amazon Athena',
  cloudwatch: 'Amazon CloudWatch',
  vms: 'Virtual Machines',
  aks: 'Azure Kubernetes Service',
  cosmos: 'Azure Cosmos DB',
  keyVault: 'Key Vault',
  gce: 'Compute Engine',
  gke: 'Kubernetes Engine',
  gcs: 'Cloud Storage',
  cloudSql: 'Cloud SQL',
  bigquery: 'BigQuery',
  vertex: 'Vertex AI',
} as const;

/** Total per currency; USD 0 when nothing matched. */
function totalChecks(records: readonly CostRecord[], range: Range, metric: Metric, filter: Filter): Check[] {
  const checks = [...sums(records, range, metric, filter, () => '').entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, byKey]): Check => ({ kind: 'total', currency, amount: byKey.get('') ?? 0 }));
  return checks.length ? checks : [{ kind: 'total', currency: 'USD', amount: 0 }];
}

/** Total per currency plus the largest row of each currency. */
function breakdownChecks(
  records: readonly CostRecord[],
  range: Range,
  metric: Metric,
  filter: Filter,
  keyOf: KeyOf,
): Check[] {
  const checks = totalChecks(records, range, metric, filter);
  for (const [currency, byKey] of sums(records, range, metric, filter, keyOf)) {
    const top = [...byKey.entries()].sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))[0];
    if (top) checks.push({ kind: 'row', currency, key: top[0], amount: top[1] });
  }
  return checks;
}

/** The largest absolute change per currency between two ranges, grouped by `keyOf`. */
function topMoverChecks(
  records: readonly CostRecord[],
  current: Range,
  previous: Range,
  filter: Filter,
  keyOf: KeyOf,
): Check[] {
  const now = sums(records, current, 'effective', filter, keyOf);
  const before = sums(records, previous, 'effective', filter, keyOf);
  const currencies = [...new Set([...now.keys(), ...before.keys()])].sort();
  return currencies.flatMap((currency): Check[] => {
    const a = now.get(currency) ?? new Map<string, number>();
    const b = before.get(currency) ?? new Map<string, number>();
    const changes = [...new Set([...a.keys(), ...b.keys()])].map((key) => ({
      key,
      change: (a.get(key) ?? 0) - (b.get(key) ?? 0),
    }));
    changes.sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || x.key.localeCompare(y.key));
    const top = changes[0];
    return top ? [{ kind: 'top-mover', currency, key: top.key, change: top.change }] : [];
  });
}

/** Month-to-date actual per currency: the data ends yesterday. */
function forecastChecks(records: readonly CostRecord[], metric: Metric, filter: Filter): Check[] {
  return totalChecks(records, { from: P.monthToDate.from, to: yesterday }, metric, filter).map(
    (c): Check => ({ kind: 'forecast-actual', currency: c.currency, amount: c.kind === 'total' ? c.amount : 0 }),
  );
}

const byService: KeyOf = (r) => r.serviceName;
const byRegion: KeyOf = (r) => r.region;
const byProvider: KeyOf = (r) => r.provider;
const byAccount: KeyOf = (r) => r.subAccountId;

const spend = (text: string, range: Range, filter: Filter = all, metric: Metric = 'effective'): EvalQuestion => ({
  text,
  intent: 'spend',
  expected: (records) => totalChecks(records, range, metric, filter),
});
const breakdown = (text: string, range: Range, keyOf: KeyOf, filter: Filter = all): EvalQuestion => ({
  text,
  intent: 'breakdown',
  expected: (records) => breakdownChecks(records, range, 'effective', filter, keyOf),
});
const growth = (
  text: string,
  current: Range,
  previous: Range,
  keyOf: KeyOf = byService,
  filter: Filter = all,
): EvalQuestion => ({
  text,
  intent: 'growth',
  expected: (records) => topMoverChecks(records, current, previous, filter, keyOf),
});
const forecast = (text: string, filter: Filter = all, metric: Metric = 'effective'): EvalQuestion => ({
  text,
  intent: 'forecast',
  expected: (records) => forecastChecks(records, metric, filter),
});

export const EVAL_SET: EvalQuestion[] = [
  // What was spent, on one or more services, over the periods of the command language.
  spend('What did we spend on EC2 last month?', P.lastMonth, services(S.ec2)),
  spend('How much did BigQuery cost in May 2026?', P.may, services(S.bigquery)),
  spend('S3 spend last week', P.lastWeek, services(S.s3)),
  spend('total cost yesterday', P.yesterday),
  spend('billed cost last month', P.lastMonth, all, 'billed'),
  spend('How much did we spend last month?', P.lastMonth),
  spend("what's our spend month to date?", P.monthToDate),
  spend('How much have we spent so far this month?', P.monthToDate),
  spend('RDS cost in April 2026', P.april, services(S.rds)),
  spend('how much did Lambda cost last week?', P.lastWeek, services(S.lambda)),
  spend('What did CloudFront cost yesterday?', P.yesterday, services(S.cloudfront)),
  spend('DynamoDB spend over the last 30 days', P.lastDays(30), services(S.dynamodb)),
  spend('how much have we spent on GKE this week?', P.thisWeek, services(S.gke)),
  spend('What did Compute Engine cost last month?', P.lastMonth, services(S.gce)),
  spend('Cloud SQL spend in March 2026', P.march, services(S.cloudSql)),
  spend('How much did Vertex AI cost in the past 14 days?', P.lastDays(14), services(S.vertex)),
  spend('what did we pay for SageMaker last month?', P.lastMonth, services(S.sagemaker)),
  spend('spend on EKS from 2026-05-01 to 2026-05-15', { from: '2026-05-01', to: '2026-05-15' }, services(S.eks)),
  spend('What did we spend on 2026-06-01?', { from: '2026-06-01', to: '2026-06-01' }),
  spend('year to date spend', P.yearToDate),
  spend('How much did Azure Virtual Machines cost last month?', P.lastMonth, services(S.vms)),
  spend("What's the billed cost of EC2 in May 2026?", P.may, services(S.ec2), 'billed'),
  spend('Athena and CloudWatch spend last month', P.lastMonth, services(S.athena, S.cloudwatch)),
  spend('How much did ElastiCache cost yesterday?', P.yesterday, services(S.elasticache)),
  spend('AKS costs last week', P.lastWeek, services(S.aks)),
  spend('cosmos spend in May 2026', P.may, services(S.cosmos)),
  spend('GCS spend last month', P.lastMonth, services(S.gcs)),
  spend('total S3 and RDS spend yesterday', P.yesterday, services(S.s3, S.rds)),
  spend('How much did the Key Vault cost last week?', P.lastWeek, services(S.keyVault)),
  spend('How much have we spent today?', P.today),
  spend('How much did S3 storage cost last month?', P.lastMonth, services(S.s3)),
  spend('What was our invoiced amount for BigQuery last month?', P.lastMonth, services(S.bigquery), 'billed'),
  // Breakdowns by a dimension: the total and the largest row.
  breakdown('cost by region last month', P.lastMonth, byRegion),
  breakdown('spend by provider in May 2026', P.may, byProvider),
  breakdown('Which services cost the most last month?', P.lastMonth, byService),
  breakdown('EC2 cost per region last month', P.lastMonth, byRegion, services(S.ec2)),
  breakdown('How much did each account spend last week?', P.lastWeek, byAccount),
  // What changed: the top mover (largest absolute change) against the period before.
  growth('Which service grew most last week?', P.lastWeek, P.weekBeforeLast),
  growth('what changed the most in the last 7 days?', P.lastDays(7), P.daysBefore(7)),
  growth('biggest movers last month', P.lastMonth, P.april),
  growth('Which region grew most last week?', P.lastWeek, P.weekBeforeLast, byRegion),
  growth('Did anything spike yesterday?', P.yesterday, P.dayBeforeYesterday),
  growth('Which service rose the most in May 2026?', P.may, P.april),
  growth('which accounts increased the most last month?', P.lastMonth, P.april, byAccount),
  // The month-end forecast: only the month-to-date actual is checked (the projection method is Tally's).
  forecast('How much will we spend this month?'),
  forecast("What's the forecast for EC2 this month?", services(S.ec2)),
  forecast('Are we on track for the end of the month?'),
  forecast('projected billed cost for this month', all, 'billed'),
  forecast('forecast BigQuery spend', services(S.bigquery)),
];
