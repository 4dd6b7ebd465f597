// Cost Explorer on moto: builders for `GetCostAndUsage` results, seeding them into one moto
// account's queue, clients that act as that account, and an exact-decimal oracle over what was seeded. moto keeps one
// CE queue per account (chosen by the `x-moto-account-id` header), so a test with an account of its own cannot take
// another file's results. Within an account, the first request with a new raw body takes the next queued result.
import { randomInt } from 'node:crypto';
import type { AwsClients } from '../../adapters/aws/aws-clients.js';
import { toUnits, unitsToCents } from './decimal-sum.js';

/** One `Groups[]` entry of a DAILY SERVICE × REGION query. */
export interface CeGroup {
  Keys: string[];
  Metrics: Record<string, { Amount: string; Unit: string }>;
}

/** One `ResultsByTime[]` entry. */
export interface CeTimeResult {
  TimePeriod: { Start: string; End: string };
  Total: Record<string, never>;
  Groups: CeGroup[];
  Estimated: boolean;
}

/** One queued answer (one page). */
export interface CeResult {
  ResultsByTime: CeTimeResult[];
  DimensionValueAttributes?: { Value: string; Attributes: Record<string, string> }[];
  NextPageToken?: string;
}

/** A fresh 12-digit moto account id, so that a test owns its CE queue. */
export function newMotoAccountId(): string {
  return `7${String(randomInt(10_000_000_000, 99_999_999_999))}`;
}

/** A SERVICE × REGION group with AmortizedCost and UnblendedCost as CE prints them (decimal strings). */
export function ceGroup(service: string, region: string, amortized: string, unblended: string, unit = 'USD'): CeGroup {
  return {
    Keys: [service, region],
    Metrics: { AmortizedCost: { Amount: amortized, Unit: unit }, UnblendedCost: { Amount: unblended, Unit: unit } },
  };
}

/** A LINKED_ACCOUNT group of the monthly accounts query. */
export function ceAccountGroup(account: string, unblended: string): CeGroup {
  return { Keys: [account], Metrics: { UnblendedCost: { Amount: unblended, Unit: 'USD' } } };
}

/** One day (`End` is the next day, exclusive) or one longer period with its groups. */
export function ceDay(start: string, groups: CeGroup[], end?: string): CeTimeResult {
  const next = new Date(Date.parse(`${start}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { TimePeriod: { Start: start, End: end ?? next }, Total: {}, Groups: groups, Estimated: false };
}

/** Queues CE results in `accountId`'s queue of moto, in the order requests will take them. */
export async function seedCostAndUsage(endpoint: string, accountId: string, results: CeResult[]): Promise<void> {
  const res = await fetch(new URL('/moto-api/static/ce/cost-and-usage-results', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: accountId, results }),
  });
  if (res.status !== 201) throw new Error(`moto refused the CE results: HTTP ${res.status}`);
}

/** Sends every Cost Explorer and STS request of these clients as `accountId` (moto's `x-moto-account-id`). */
export function asMotoAccount(clients: AwsClients, accountId: string): AwsClients {
  const step = { step: 'build', name: 'motoAccount' } as const;
  const stamp = (request: unknown) => {
    (request as { headers: Record<string, string> }).headers['x-moto-account-id'] = accountId;
  };
  clients.costExplorer.middlewareStack.add(
    (next) => async (args) => {
      stamp(args.request);
      return next(args);
    },
    step,
  );
  clients.sts.middlewareStack.add(
    (next) => async (args) => {
      stamp(args.request);
      return next(args);
    },
    step,
  );
  return clients;
}

/** What a sync should store from some seeded pages, as exact decimals (1e-12 units, see decimal-sum.ts). */
export interface CeExpectation {
  /** Groups with a non-zero AmortizedCost or UnblendedCost (CE lists zero groups; Tally drops them). */
  rows: number;
  /** Sum of UnblendedCost. */
  billed: bigint;
  /** Sum of AmortizedCost. */
  effective: bigint;
  /** The days that have at least one non-zero group. */
  days: string[];
}

/** The oracle: sums the seeded strings of the pages' groups, optionally only those of the days `onDay` accepts. */
export function expectedFromCe(pages: CeResult[], onDay: (day: string) => boolean = () => true): CeExpectation {
  const out: CeExpectation = { rows: 0, billed: 0n, effective: 0n, days: [] };
  for (const page of pages) {
    for (const period of page.ResultsByTime) {
      if (!onDay(period.TimePeriod.Start)) continue;
      for (const g of period.Groups) {
        const amortized = toUnits(g.Metrics.AmortizedCost?.Amount ?? '0');
        const unblended = toUnits(g.Metrics.UnblendedCost?.Amount ?? '0');
        if (amortized === 0n && unblended === 0n) continue;
        out.rows++;
        out.effective += amortized;
        out.billed += unblended;
        if (!out.days.includes(period.TimePeriod.Start)) out.days.push(period.TimePeriod.Start);
      }
    }
  }
  out.days.sort();
  return out;
}

/** Two expectations over disjoint days, together. */
export function addExpectations(a: CeExpectation, b: CeExpectation): CeExpectation {
  return {
    rows: a.rows + b.rows,
    billed: a.billed + b.billed,
    effective: a.effective + b.effective,
    days: [...new Set([...a.days, ...b.days])].sort(),
  };
}

/** Exact units in cents (half away from zero), for comparing with Tally's float sums rounded to cents. */
export const centsOf = unitsToCents;
