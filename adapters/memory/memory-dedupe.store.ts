import type { DedupeStore } from '../../src/shared/dedupe.port.js';

/** In-process dedupe for one process (the shell, tests); entries expire lazily. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const t = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > t) return false;
    this.seen.set(key, t + ttlSeconds * 1000);
    if (this.seen.size > 10_000) for (const [k, u] of this.seen) if (u <= t) this.seen.delete(k);
    return true;
  }
}
