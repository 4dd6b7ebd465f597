import { describe, expect, it } from 'vitest';
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
      await new Promise((r) => setTimeout(r, 1100));
      expect(await store.claim(key, 1)).toBe(true);
    });
  });
}
