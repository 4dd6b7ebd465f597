import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BudgetChange } from '../../src/budgets/budget-change.types.js';
import type { BudgetChangeRepository } from '../../src/budgets/budget-change-repository.port.js';

/** A pending one-off change of payments-team from 12,000 to 15,000 USD; `o` replaces whole fields. */
function testBudgetChange(id: string, o: Partial<BudgetChange> = {}): BudgetChange {
  return {
    id,
    version: 1,
    state: 'PENDING',
    budget: 'payments-team',
    currency: 'USD',
    oldAmount: 12000,
    newAmount: 15000,
    oneOff: { period: '2026-06', label: 'June 2026' },
    reason: 'Black Friday load',
    requester: { person: 'rita', via: { platform: 'slack', id: 'U0RITA' } },
    rule: {
      tiers: [{ approvers: ['@finance'], quorum: 2 }],
      requesterMayVote: false,
      remindAfterMs: 3_600_000,
      escalateAfterMs: 86_400_000,
      expireAfterMs: 259_200_000,
      onExpiry: 'reject',
    },
    tier: 0,
    votes: [],
    figures: { period: 'June 2026', spent: 9100.25, forecast: 14250.5 },
    origin: { platform: 'slack', channel: 'C0PAY', thread: '1700000000.000100' },
    messages: [],
    createdAt: '2026-06-10T12:00:00.000Z',
    updatedAt: '2026-06-10T12:00:00.000Z',
    expiresAt: '2026-06-13T12:00:00.000Z',
    ...o,
  };
}

/** The contract every `BudgetChangeRepository` must pass; `make` returns an empty repository and its cleanup. */
export function budgetChangeRepositoryContract(
  name: string,
  make: () => Promise<{ repo: BudgetChangeRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`BudgetChangeRepository contract: ${name}`, () => {
    let repo: BudgetChangeRepository;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('returns a change as created, every field, and null for an unknown id', async () => {
      const change = testBudgetChange('bch_000001');
      await repo.create(change);
      expect(await repo.get('bch_000001')).toEqual(change);
      expect(await repo.get('bch_nothing')).toBeNull();
    });

    it('refuses a second create of the same id', async () => {
      await repo.create(testBudgetChange('bch_000002'));
      await expect(repo.create(testBudgetChange('bch_000002'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    });

    it('updates by compare-and-set on the version: a stale writer changes nothing', async () => {
      await repo.create(testBudgetChange('bch_000003'));
      const vote = {
        voter: { person: 'alice', via: { platform: 'slack' as const, id: 'U0ALICE' } },
        decision: 'approve' as const,
        at: '2026-06-10T13:00:00.000Z',
      };
      const next = testBudgetChange('bch_000003', { version: 2, votes: [vote], updatedAt: vote.at });
      expect(await repo.update(next)).toBe(true);
      expect(await repo.update({ ...next, state: 'REJECTED' })).toBe(false);
      expect(await repo.update(testBudgetChange('bch_000003', { version: 4 }))).toBe(false);
      const decided = { ...next, version: 3, state: 'APPROVED' as const, decision: { by: 'bob', reason: 'quorum' } };
      expect(await repo.update(decided)).toBe(true);
      expect(await repo.get('bch_000003')).toEqual(decided);
    });

    it('of concurrent writers of the same next version, exactly one wins', async () => {
      await repo.create(testBudgetChange('bch_000004'));
      const writes = await Promise.all(
        ['alice', 'bob', 'carol', 'dave', 'erin'].map((p) =>
          repo.update(testBudgetChange('bch_000004', { version: 2, decision: { by: p, reason: 'race' } })),
        ),
      );
      expect(writes.filter(Boolean)).toHaveLength(1);
      expect((await repo.get('bch_000004'))?.version).toBe(2);
    });

    it('lists newest first, by state and budget, up to the limit, at each change’s latest version', async () => {
      await repo.create(testBudgetChange('bch_00000a', { createdAt: '2026-06-10T10:00:00.000Z' }));
      await repo.create(testBudgetChange('bch_00000b', { createdAt: '2026-06-10T11:00:00.000Z', budget: 'ml' }));
      await repo.create(testBudgetChange('bch_00000c', { createdAt: '2026-06-10T12:00:00.000Z' }));
      await repo.update(testBudgetChange('bch_00000c', { version: 2, state: 'EXPIRED' }));
      const ids = (list: BudgetChange[]) => list.map((c) => c.id);
      expect(ids(await repo.list({}))).toEqual(['bch_00000c', 'bch_00000b', 'bch_00000a']);
      expect(ids(await repo.list({ states: ['PENDING'] }))).toEqual(['bch_00000b', 'bch_00000a']);
      expect(ids(await repo.list({ states: ['PENDING'], budget: 'payments-team' }))).toEqual(['bch_00000a']);
      expect(ids(await repo.list({ limit: 1 }))).toEqual(['bch_00000c']);
      expect((await repo.list({ states: ['EXPIRED'] }))[0]?.version).toBe(2);
    });

    it('keeps a permanent change (no one-off period) without one', async () => {
      const { oneOff: _, ...permanent } = testBudgetChange('bch_00000d');
      await repo.create(permanent);
      expect(await repo.get('bch_00000d')).toEqual(permanent);
    });
  });
}
