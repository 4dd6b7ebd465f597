import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestSubscription, DigestSubscriptionRepository } from '../../src/reports/digest.types.js';

/** A weekly Monday 09:00 Berlin subscription of Slack channel C0FINOPS; `o` replaces whole fields. */
export function testSubscription(id: string, o: Partial<DigestSubscription> = {}): DigestSubscription {
  return {
    id,
    platform: 'slack',
    channel: 'C0FINOPS',
    cron: '0 9 * * 1',
    tz: 'Europe/Berlin',
    schedule: 'weekly mon 09:00 Europe/Berlin',
    emails: ['finops@example.com', 'cfo@example.com'],
    createdBy: 'U0ALICE',
    createdAt: '2026-06-01T08:00:00.000Z',
    ...o,
  };
}

/**
 * The contract every `DigestSubscriptionRepository` must pass. `make` returns an empty repository and a cleanup for
 * it; it is called before each test.
 */
export function digestSubscriptionContract(
  name: string,
  make: () => Promise<{ repo: DigestSubscriptionRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`DigestSubscriptionRepository contract: ${name}`, () => {
    let repo: DigestSubscriptionRepository;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('has nothing when empty', async () => {
      expect(await repo.list()).toEqual([]);
      expect(await repo.list({ channel: 'C0FINOPS' })).toEqual([]);
      expect(await repo.get('dig_none')).toBeNull();
      expect(await repo.remove('dig_none')).toBe(false);
    });

    it('saves and gets a subscription field for field', async () => {
      const s = testSubscription('dig_a');
      await repo.save(s);
      expect(await repo.get('dig_a')).toStrictEqual(s);
    });

    it('keeps an email-only subscription: empty channel and, elsewhere, no emails', async () => {
      const emailOnly = testSubscription('dig_mail', { platform: 'cli', channel: '', createdBy: '' });
      const chatOnly = testSubscription('dig_chat', { emails: [], platform: 'teams', channel: '19:abc@thread.tacv2' });
      await repo.save(emailOnly);
      await repo.save(chatOnly);
      expect(await repo.get('dig_mail')).toStrictEqual(emailOnly);
      expect(await repo.get('dig_chat')).toStrictEqual(chatOnly);
      expect(await repo.list({ channel: '' })).toStrictEqual([emailOnly]);
    });

    it('saving the same id again replaces it', async () => {
      await repo.save(testSubscription('dig_a'));
      const changed = testSubscription('dig_a', { cron: '30 8 * * *', schedule: 'daily 08:30 UTC', tz: 'UTC' });
      await repo.save(changed);
      expect(await repo.get('dig_a')).toStrictEqual(changed);
      expect(await repo.list()).toStrictEqual([changed]);
    });

    it('lists oldest first, ties by id, all or one channel', async () => {
      const at = (m: number) => `2026-06-01T08:0${m}:00.000Z`;
      const c = testSubscription('dig_c', { createdAt: at(3) });
      const a = testSubscription('dig_a', { createdAt: at(1) });
      const other = testSubscription('dig_o', { channel: 'C0OTHER', createdAt: at(2) });
      const b2 = testSubscription('dig_b2', { createdAt: at(1) });
      for (const s of [c, a, other, b2]) await repo.save(s);
      expect((await repo.list()).map((s) => s.id)).toEqual(['dig_a', 'dig_b2', 'dig_o', 'dig_c']);
      expect(await repo.list({ channel: 'C0FINOPS' })).toStrictEqual([a, b2, c]);
      expect(await repo.list({ channel: 'C0OTHER' })).toStrictEqual([other]);
      expect(await repo.list({ channel: 'C0NONE' })).toEqual([]);
    });

    it('removes one subscription and says whether it existed', async () => {
      await repo.save(testSubscription('dig_a'));
      await repo.save(testSubscription('dig_b'));
      expect(await repo.remove('dig_a')).toBe(true);
      expect(await repo.remove('dig_a')).toBe(false);
      expect(await repo.get('dig_a')).toBeNull();
      expect((await repo.list()).map((s) => s.id)).toEqual(['dig_b']);
    });

    it('returns copies, unaffected by later changes to what was saved or returned', async () => {
      const original = testSubscription('dig_x');
      const saved = structuredClone(original);
      await repo.save(saved);
      saved.emails.push('late@example.com');
      const got = await repo.get('dig_x');
      got!.emails.length = 0;
      const [listed] = await repo.list();
      listed!.tz = 'UTC';
      expect(await repo.get('dig_x')).toStrictEqual(original);
    });
  });
}
