import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Budget, BudgetCrossing, BudgetRepository } from '../../src/budgets/budget.types.js';

/** A monthly 12,000 USD budget of tag team=payments; `o` replaces whole fields. */
export function testBudget(name: string, o: Partial<Budget> = {}): Budget {
  return {
    name,
    filter: { tags: [{ key: 'team', value: 'payments' }], exclude: { charges: ['Tax'] } },
    metric: 'effective',
    period: 'monthly',
    amount: 12000,
    currency: 'USD',
    owners: ['alice', 'U0BOB'],
    channel: 'C0PAYMENTS',
    thresholds: { actual: [50, 80, 100], forecast: [100] },
    origin: 'chat',
    updatedBy: 'alice',
    updatedAt: '2026-06-01T08:00:00.000Z',
    ...o,
  };
}

const crossing = (o: Partial<BudgetCrossing> = {}): BudgetCrossing => ({
  budget: 'payments-team',
  period: '2026-06',
  kind: 'actual',
  percent: 80,
  at: '2026-06-20T06:00:00.000Z',
  ...o,
});

/** The contract every `BudgetRepository` must pass; `make` returns an empty repository and its cleanup. */
export function budgetRepositoryContract(
  name: string,
  make: () => Promise<{ repo: BudgetRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`BudgetRepository contract: ${name}`, () => {
    let repo: BudgetRepository;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('returns what was saved, field for field, and null for an unknown name', async () => {
      const b = testBudget('payments-team', {
        exception: { period: '2026-06', amount: 15000, reason: 'Black Friday load', approvalId: 'apr_1' },
      });
      await repo.save(b);
      expect(await repo.get('payments-team')).toEqual(b);
      expect(await repo.get('nope')).toBeNull();
    });

    it('keeps a budget of all costs (an empty filter) and one without a channel', async () => {
      const { channel: _, ...noChannel } = testBudget('everything', { filter: {} });
      await repo.save(noChannel);
      expect(await repo.get('everything')).toEqual(noChannel);
    });

    it('replaces a budget saved again under its name (an approved change updates the amount)', async () => {
      await repo.save(testBudget('payments-team'));
      await repo.save(testBudget('payments-team', { amount: 15000, updatedBy: 'finance' }));
      expect((await repo.list()).map((b) => [b.name, b.amount, b.updatedBy])).toEqual([
        ['payments-team', 15000, 'finance'],
      ]);
    });

    it('lists by name and removes one, saying whether there was one', async () => {
      for (const n of ['search', 'payments-team', 'data']) await repo.save(testBudget(n));
      expect((await repo.list()).map((b) => b.name)).toEqual(['data', 'payments-team', 'search']);
      expect(await repo.remove('search')).toBe(true);
      expect(await repo.remove('search')).toBe(false);
      expect((await repo.list()).map((b) => b.name)).toEqual(['data', 'payments-team']);
    });

    it('claims a crossing once per budget, period, kind and percent', async () => {
      expect(await repo.claimCrossing(crossing())).toBe(true);
      expect(await repo.claimCrossing(crossing({ at: '2026-06-21T06:00:00.000Z' }))).toBe(false);
      // Another percent, kind or period is another crossing.
      expect(await repo.claimCrossing(crossing({ percent: 100 }))).toBe(true);
      expect(await repo.claimCrossing(crossing({ kind: 'forecast', percent: 100 }))).toBe(true);
      expect(await repo.claimCrossing(crossing({ period: '2026-07' }))).toBe(true);
      expect(await repo.crossings('payments-team', '2026-06')).toEqual([
        crossing(),
        crossing({ kind: 'actual', percent: 100 }),
        crossing({ kind: 'forecast', percent: 100 }),
      ]);
      expect(await repo.crossings('payments-team', '2026-05')).toEqual([]);
    });

    it('lets one of several simultaneous claims of a crossing win', async () => {
      const won = await Promise.all(Array.from({ length: 5 }, () => repo.claimCrossing(crossing({ percent: 50 }))));
      expect(won.filter(Boolean)).toHaveLength(1);
    });
  });
}
