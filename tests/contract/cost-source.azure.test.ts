// The CostSource contract on Azure: AzureCostSource (adapters/azure) against the loopback Cost Management fake, paging
// two rows at a time. Billed costs are the ActualCost view, effective costs the AmortizedCost view.
import type { AccessToken, TokenCredential } from '@azure/identity';
import { AzureCostSource } from '../../adapters/azure/azure-cost.source.js';
import { type AzureCostLine, startAzureCostFake } from '../support/azure-cost-fake.js';
import { costSourceContract } from './cost-source.contract.js';
import { costSourceTagsContract } from './cost-source-tags.contract.js';

/** A fake TokenCredential: never DefaultAzureCredential, which would look for a real identity. */
const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: 'fake-azure-token',
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

costSourceContract('Azure Cost Management', async (world) => {
  const fake = await startAzureCostFake({ pageSize: 2 });
  const ids = world.accounts.map((_, i) => `0b1c2d3e-4f50-4617-8293-${String(i + 1).padStart(12, '0')}`);
  world.accounts.forEach((lines, i) => {
    // A charge without a region is listed under the location `global`.
    const view = (pick: (l: (typeof lines)[number]) => string): AzureCostLine[] =>
      lines.map((l) => ({
        date: l.day,
        service: l.service,
        location: l.region || 'global',
        cost: Number(pick(l)),
        currency: 'USD',
      }));
    fake.seed(
      ids[i]!,
      'ActualCost',
      view((l) => l.billed),
    );
    fake.seed(
      ids[i]!,
      'AmortizedCost',
      view((l) => l.effective),
    );
  });
  // Nothing is seeded for this subscription: the fake answers 403 AuthorizationFailed, as ARM does without access.
  const forbidden = 'ffffffff-0000-4000-8000-000000000000';
  const source = new AzureCostSource({ subscriptionIds: ids }, credential, { endpoint: fake.url, maxRetries: 0 });
  return {
    source,
    accountIds: ids,
    failing(kind) {
      if (kind === 'denied') return forbidden;
      fake.throttle(1);
      return ids[0]!;
    },
    close: () => fake.close(),
  };
});

/** The subscriptions of the tagged world. */
const tagIds = ['1c2d3e4f-5061-4728-9304-000000000001', '1c2d3e4f-5061-4728-9304-000000000002'];
/** The ARM id Cost Management gives a resource (lower case, as the ResourceId dimension answers). */
const armId = (subscription: string, name: string) =>
  `/subscriptions/${subscription}/resourcegroups/rg-tally/providers/microsoft.compute/virtualmachines/${name}`;

costSourceTagsContract(
  'Azure Cost Management',
  async (world, _range, tagKeys) => {
    const fake = await startAzureCostFake({ pageSize: 2 });
    const ids = world.accounts.map((_, i) => tagIds[i]!);
    world.accounts.forEach((lines, i) => {
      for (const type of ['ActualCost', 'AmortizedCost'] as const) {
        fake.seed(
          ids[i]!,
          type,
          lines.map((l) => ({
            date: l.day,
            service: l.service,
            location: l.region || 'global',
            cost: Number(type === 'ActualCost' ? l.billed : l.effective),
            currency: 'USD',
            tags: l.tags,
            resourceId: l.resource ? armId(ids[i]!, l.resource) : '',
          })),
        );
      }
    });
    const source = new AzureCostSource({ subscriptionIds: ids }, credential, {
      endpoint: fake.url,
      maxRetries: 0,
      tagKeys,
      resources: true,
    });
    return { source, accountIds: ids, close: () => fake.close() };
  },
  { resourceIdOf: (l, i) => armId(tagIds[i]!, l.resource!) },
);
