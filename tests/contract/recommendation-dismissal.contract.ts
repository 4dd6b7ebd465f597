import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  RecommendationDismissal,
  RecommendationDismissalRepository,
} from '../../src/recommendations/recommendation-dismissal.types.js';

const T0 = '2026-12-01T10:00:00.000Z';
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse(T0) + days * DAY);

function dismissal(overrides: Partial<RecommendationDismissal> = {}): RecommendationDismissal {
  return {
    conversation: 'slack:C0OPS',
    target: 'rec_0123456789',
    kind: 'dismissed',
    reason: 'batch host, idle by design',
    by: 'rita',
    at: T0,
    until: at(30).toISOString(),
    ...overrides,
  };
}

/**
 * The contract every `RecommendationDismissalRepository` must pass. `make` returns an empty repository and a cleanup
 * for it; it is called before each test.
 */
export function recommendationDismissalContract(
  name: string,
  make: () => Promise<{ repo: RecommendationDismissalRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`RecommendationDismissalRepository contract: ${name}`, () => {
    let repo: RecommendationDismissalRepository;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('round-trips every field, and a snooze without a reason has none', async () => {
      const dismissed = dismissal();
      const snoozed = dismissal({ target: 'i-0abc', kind: 'snoozed', reason: undefined, at: at(1).toISOString() });
      delete snoozed.reason;
      await repo.put(dismissed);
      await repo.put(snoozed);
      expect(await repo.active('slack:C0OPS', at(2))).toEqual([dismissed, snoozed]);
    });

    it('is in force until `until`, exclusive', async () => {
      await repo.put(dismissal());
      expect(await repo.active('slack:C0OPS', at(29.99))).toHaveLength(1);
      expect(await repo.active('slack:C0OPS', at(30))).toEqual([]);
      expect(await repo.active('slack:C0OPS', at(31))).toEqual([]);
    });

    it('keeps conversations apart', async () => {
      await repo.put(dismissal());
      await repo.put(dismissal({ conversation: 'teams:19:abc@thread.tacv2', reason: 'other team' }));
      expect((await repo.active('slack:C0OPS', at(1))).map((d) => d.reason)).toEqual(['batch host, idle by design']);
      expect((await repo.active('teams:19:abc@thread.tacv2', at(1))).map((d) => d.reason)).toEqual(['other team']);
      expect(await repo.active('slack:C0OTHER', at(1))).toEqual([]);
    });

    it('replaces the dismissal of the same conversation and target', async () => {
      await repo.put(dismissal());
      const later = dismissal({
        kind: 'snoozed',
        reason: 'next quarter',
        at: at(1).toISOString(),
        until: at(91).toISOString(),
      });
      await repo.put(later);
      expect(await repo.active('slack:C0OPS', at(60))).toEqual([later]);
    });

    it('removes one dismissal and says what it removed', async () => {
      await repo.put(dismissal());
      await repo.put(dismissal({ target: 'vol-0abc' }));
      expect(await repo.remove('slack:C0OPS', 'rec_0123456789')).toEqual(dismissal());
      expect(await repo.remove('slack:C0OPS', 'rec_0123456789')).toBeNull();
      expect((await repo.active('slack:C0OPS', at(1))).map((d) => d.target)).toEqual(['vol-0abc']);
    });

    it('settles concurrent first puts of one target on one of them', async () => {
      const puts = Array.from({ length: 6 }, (_, i) => dismissal({ reason: `reason ${i}` }));
      await Promise.all(puts.map((d) => repo.put(d)));
      const active = await repo.active('slack:C0OPS', at(1));
      expect(active).toHaveLength(1);
      expect(puts.map((d) => d.reason)).toContain(active[0]!.reason);
    });
  });
}
