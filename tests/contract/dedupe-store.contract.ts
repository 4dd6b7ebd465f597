import { describe, expect, it, vi } from 'vitest';
import type { DedupeStore } from '../../src/shared/dedupe.port.js';

/** The DedupeStore contract, run against the in-process store and Redis. */
export function dedupeStoreContract(name: string, make: () => DedupeStore, unique: () => string) {
  describe(`DedupeStore contract: ${name}`, () => {
    it('claims a key once', async () => {
      const store = make();
      const key = unique();
      expect(await store.claim(key, 60)).toBe(true);
      expect(await store.claim(key, 60)).toBe(false);
      expect(await store.claim(`${key}-other`, 60)).toBe(true);
    });

    it('claims concurrently exactly once', async () => {
      const store = make();
      const key = unique();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim(key, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('frees a key after its time to live', async () => {
      const store = make();
      const key = unique();
      expect(await store.claim(key, 1)).toBe(true);
      // The key is freed once its second has passed: claimed again as soon as that happens (a refused claim changes
      // nothing, so asking until then is harmless). A store that never frees it fails here.
      await vi.waitFor(async () => expect(await store.claim(key, 1)).toBe(true), { timeout: 10_000, interval: 50 });
    });
  });
}
