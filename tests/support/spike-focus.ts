// A handmade FOCUS CSV with one known anomaly, for the scheduled-alert end-to-end test: weeks of steady daily costs
// (weekends cheaper, a small deterministic wobble) for a few AWS services in two accounts and one EUR Azure account,
// then one day on which one service of one account costs several times its usual amount. Expected figures are read
// back from the written file with csv-parse and summed as exact decimals (focus-oracle.ts), never taken from Tally.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectedSums, readFixture } from './focus-oracle.js';

const DAY_MS = 86_400_000;
const HEADER = [
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodStart',
  'BillingPeriodEnd',
  'ChargeCategory',
  'ChargeDescription',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ServiceCategory',
  'ServiceName',
  'SubAccountId',
  'SubAccountName',
];

/** One steady usage series: a sub-account × service × region and its usual weekday cost. */
interface Line {
  provider: string;
  billingAccount: [id: string, name: string];
  currency: string;
  subAccount: [id: string, name: string];
  service: string;
  category: string;
  region: string;
  /** Usual cost on a weekday; weekends cost {@link WEEKEND} of it. */
  weekday: number;
}

const WEEKEND = 0.6;
const AWS = { provider: 'AWS', billingAccount: ['999900001111', 'Acme AWS'] as [string, string], currency: 'USD' };
const PAYMENTS: [string, string] = ['111100002222', 'payments-prod'];
const SEARCH: [string, string] = ['333300004444', 'search-prod'];

/** The service whose series spikes, and the account it spikes in. */
export const SPIKE_SERVICE = 'Amazon Elastic Compute Cloud';
export const SPIKE_ACCOUNT = PAYMENTS[0];

const LINES: Line[] = [
  { ...AWS, subAccount: PAYMENTS, service: SPIKE_SERVICE, category: 'Compute', region: 'us-east-1', weekday: 140 },
  { ...AWS, subAccount: PAYMENTS, service: SPIKE_SERVICE, category: 'Compute', region: 'eu-west-1', weekday: 60 },
  { ...AWS, subAccount: SEARCH, service: SPIKE_SERVICE, category: 'Compute', region: 'us-east-1', weekday: 100 },
  {
    ...AWS,
    subAccount: PAYMENTS,
    service: 'Amazon Simple Storage Service',
    category: 'Storage',
    region: 'us-east-1',
    weekday: 45,
  },
  {
    ...AWS,
    subAccount: SEARCH,
    service: 'Amazon Relational Database Service',
    category: 'Databases',
    region: 'us-east-1',
    weekday: 80,
  },
  {
    provider: 'Microsoft',
    billingAccount: ['acme-azure-ea', 'Acme Azure'],
    currency: 'EUR',
    subAccount: ['5f2b8c1e-7a44-4d0e-9c1a-2b3d4e5f6a7b', 'analytics-eu'],
    service: 'Virtual Machines',
    category: 'Compute',
    region: 'westeurope',
    weekday: 70,
  },
];

/** The written fixture and what is known about its anomaly. */
export interface SpikeFocus {
  path: string;
  /** First and last day with costs (UTC, inclusive). */
  from: string;
  to: string;
  /** The spike: the day, the service and account whose cost is `factor` times the usual. */
  spike: { day: string; service: string; subAccountId: string; factor: number };
  /** The rows of the file as csv-parse reads them. */
  rows: Record<string, string>[];
}

export function addUtcDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function isoWeekday(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** A deterministic wobble of ±3 % per series and day (an integer hash, no Math.random). */
function wobble(seriesIndex: number, dayIndex: number): number {
  const h = Math.imul(seriesIndex * 7919 + dayIndex * 104_729 + 13, 2_654_435_761) >>> 0;
  return 0.97 + ((h % 6001) / 6000) * 0.06;
}

/** An amount in micro-units as an exact decimal string with six places: `1234.500000`. */
function microsText(micros: number): string {
  const whole = Math.floor(micros / 1e6);
  return `${whole}.${String(micros - whole * 1e6).padStart(6, '0')}`;
}

/**
 * Writes `spike.csv` into `dir`: `weeks` weeks of daily costs ending on `spikeDay`, with the spike on that last day
 * (the payments account's EC2, every region of it, `factor` times the usual).
 */
export async function writeSpikeFocus(
  dir: string,
  options: { spikeDay: string; weeks?: number; factor?: number },
): Promise<SpikeFocus> {
  const weeks = options.weeks ?? 10;
  const factor = options.factor ?? 8;
  const to = options.spikeDay;
  const from = addUtcDays(to, -(7 * weeks) + 1);
  const lines: string[] = [HEADER.join(',')];
  for (let d = 0; d < 7 * weeks; d++) {
    const day = addUtcDays(from, d);
    const month = day.slice(0, 7);
    const nextMonth = addUtcDays(`${month}-28`, 4).slice(0, 7);
    const weekend = isoWeekday(day) >= 5;
    for (const [i, line] of LINES.entries()) {
      const spiking = day === to && line.service === SPIKE_SERVICE && line.subAccount[0] === SPIKE_ACCOUNT;
      const usual = line.weekday * (weekend ? WEEKEND : 1) * wobble(i, d);
      const micros = Math.round(usual * (spiking ? factor : 1) * 1e6);
      const cost = microsText(micros);
      lines.push(
        [
          line.billingAccount[0],
          line.billingAccount[1],
          line.currency,
          `${month}-01T00:00:00Z`,
          `${nextMonth}-01T00:00:00Z`,
          'Usage',
          `${line.service} usage`,
          `${day}T00:00:00Z`,
          `${addUtcDays(day, 1)}T00:00:00Z`,
          cost,
          cost,
          microsText(Math.round(micros * 1.25)),
          line.provider,
          line.provider,
          line.region,
          line.region,
          `${line.subAccount[1]}/${line.service.replaceAll(' ', '-')}/${line.region}`,
          line.category,
          line.service,
          line.subAccount[0],
          line.subAccount[1],
        ].join(','),
      );
    }
  }
  const path = join(dir, 'spike.csv');
  await writeFile(path, `${lines.join('\n')}\n`);
  return {
    path,
    from,
    to,
    spike: { day: to, service: SPIKE_SERVICE, subAccountId: SPIKE_ACCOUNT, factor },
    rows: readFixture(path),
  };
}

/** Effective cost per currency of the rows in [from, to] for which `where` holds, in cents (exact decimals). */
export function effectiveCents(
  rows: Record<string, string>[],
  range: { from: string; to: string },
  where: (row: Record<string, string>) => boolean = () => true,
): Map<string, number> {
  const sums = expectedSums(rows.filter(where), { ...range, amount: 'EffectiveCost', key: () => 'all' });
  return new Map([...sums].map(([currency, byKey]) => [currency, byKey.get('all') ?? 0]));
}

/** `1234.5, 'USD'` → `1,234.50 USD`, as Tally writes amounts (thousands separators, two decimals, the code). */
export function moneyText(amount: number, currency: string): string {
  const n = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  return `${n} ${currency}`;
}
