// The CostSource contract on AWS: AwsCostExplorerSource (adapters/aws) against Cost Explorer on moto, through the fault
// proxy (moto never throttles or denies). moto answers GetCostAndUsage from results queued per moto account, so this
// file plays Cost Explorer: the payer's account holds the answer of the accounts query, and each linked account's
// fetch is sent as a moto account of its own (chosen from the request's LINKED_ACCOUNT filter) holding what CE would
// answer for the range, one day per page.
import { afterAll, beforeAll, vi } from 'vitest';
import { type AwsClients, createAwsClients } from '../../adapters/aws/aws-clients.js';
import { AwsCostExplorerSource } from '../../adapters/aws/aws-cost-explorer.source.js';
import { fixedClock } from '../../src/shared/clock.js';
import { startAwsFaultProxy } from '../support/aws-fault-proxy.js';
import { toUnits, unitsToDecimal } from '../support/decimal-sum.js';
import { awsTestConfig } from '../support/moto.js';
import {
  type CeResult,
  ceAccountGroup,
  ceDay,
  ceGroup,
  newMotoAccountId,
  seedCostAndUsage,
} from '../support/moto-ce.js';
import { awsEndpoint } from '../support/services.js';
import { type CostLine, costSourceContract } from './cost-source.contract.js';
import { costSourceTagsContract, type TaggedLine } from './cost-source-tags.contract.js';

const endpoint = awsEndpoint();

beforeAll(() => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

/** CE's REGION of a line: a charge without one is in `NoRegion`. */
const regionKeys = (l: CostLine): [string, string] => [l.service, l.region || 'NoRegion'];

/**
 * CE's answer for one linked account and range: one page per day, the day's lines summed per the two group keys
 * `keysOf` gives (SERVICE × REGION unless told otherwise).
 */
function pagesOf<L extends CostLine>(
  lines: L[],
  range: { from: string; to: string },
  keysOf: (l: L) => [string, string] = regionKeys,
): CeResult[] {
  const days = [...new Set(lines.map((l) => l.day))].filter((d) => d >= range.from && d <= range.to).sort();
  return days.map((day, i) => {
    const sums = new Map<string, { keys: [string, string]; billed: bigint; effective: bigint }>();
    for (const l of lines.filter((x) => x.day === day)) {
      const keys = keysOf(l);
      const sum = sums.get(keys.join('|')) ?? { keys, billed: 0n, effective: 0n };
      sum.billed += toUnits(l.billed);
      sum.effective += toUnits(l.effective);
      sums.set(keys.join('|'), sum);
    }
    const groups = [...sums.values()].map((s) =>
      ceGroup(s.keys[0], s.keys[1], unitsToDecimal(s.effective), unitsToDecimal(s.billed)),
    );
    return { ResultsByTime: [ceDay(day, groups)], ...(i < days.length - 1 ? { NextPageToken: `page-${i + 2}` } : {}) };
  });
}

/** Sends each request as a moto account: a fetch as the linked account it filters on, anything else as the payer. */
function routed(clients: AwsClients, payer: string): AwsClients {
  const step = { step: 'build', name: 'motoAccountByFilter' } as const;
  clients.costExplorer.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Filter?: { Dimensions?: { Values?: string[] } } };
      const account = input.Filter?.Dimensions?.Values?.[0] ?? payer;
      (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = account;
      return next(args);
    },
    step,
  );
  clients.sts.middlewareStack.add(
    (next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers['x-moto-account-id'] = payer;
      return next(args);
    },
    step,
  );
  return clients;
}

costSourceContract('AWS Cost Explorer on moto', async (world, range) => {
  const proxy = await startAwsFaultProxy(endpoint);
  const payer = newMotoAccountId();
  const linked = world.accounts.map(() => newMotoAccountId());
  const now = new Date(Date.parse(`${range.to}T12:00:00Z`) + 7 * 86_400_000);
  // The accounts query (MONTHLY by LINKED_ACCOUNT over the look-back window): the accounts that have costs.
  const withCosts = linked.filter((_, i) => (world.accounts[i] ?? []).length > 0);
  await seedCostAndUsage(endpoint, payer, [
    {
      ResultsByTime: [
        ceDay(
          range.from,
          withCosts.map((a) => ceAccountGroup(a, '1')),
          range.to,
        ),
      ],
    },
  ]);
  for (const [i, lines] of world.accounts.entries()) {
    const pages = pagesOf(lines, range);
    if (pages.length > 0) await seedCostAndUsage(endpoint, linked[i]!, pages);
  }
  const clients = routed(createAwsClients(awsTestConfig(proxy.url)), payer);
  const source = new AwsCostExplorerSource(clients, { clock: fixedClock(now) });
  return {
    source,
    accountIds: linked,
    failing(kind) {
      const type = kind === 'throttled' ? 'ThrottlingException' : 'AccessDeniedException';
      proxy.failNext('GetCostAndUsage', { status: 400, type, message: type });
      return linked[0]!;
    },
    close: () => proxy.close(),
  };
});

// Each linked account's queue holds, in request order: the SERVICE × REGION pages, then for each tag key the
// `TAG:<key>` × SERVICE pages, whose untagged groups are CE's `<key>$`.
costSourceTagsContract('AWS Cost Explorer on moto', async (world, range, tagKeys) => {
  const payer = newMotoAccountId();
  const linked = world.accounts.map(() => newMotoAccountId());
  for (const [i, lines] of world.accounts.entries()) {
    const byTag =
      (key: string) =>
      (l: TaggedLine): [string, string] => [`${key}$${l.tags[key] ?? ''}`, l.service];
    const pages = [pagesOf(lines, range), ...tagKeys.map((key) => pagesOf(lines, range, byTag(key)))].flat();
    await seedCostAndUsage(endpoint, linked[i]!, pages);
  }
  const clients = routed(createAwsClients(awsTestConfig(endpoint)), payer);
  const source = new AwsCostExplorerSource(clients, { payerAccountId: payer, tagKeys });
  return { source, accountIds: linked, close: async () => {} };
});
