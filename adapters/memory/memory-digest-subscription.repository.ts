import type { DigestSubscription, DigestSubscriptionRepository } from '../../src/reports/digest.types.js';

/** Digest subscriptions in memory, for the shell and tests: stored and returned as copies. */
export class MemoryDigestSubscriptionRepository implements DigestSubscriptionRepository {
  private readonly byId = new Map<string, DigestSubscription>();

  /** Stores the subscription, replacing one with the same id. */
  async save(subscription: DigestSubscription): Promise<void> {
    this.byId.set(subscription.id, structuredClone(subscription));
  }

  async get(id: string): Promise<DigestSubscription | null> {
    const found = this.byId.get(id);
    return found ? structuredClone(found) : null;
  }

  async remove(id: string): Promise<boolean> {
    return this.byId.delete(id);
  }

  /** Oldest first by `createdAt`, then by `id`. */
  async list(query: { channel?: string } = {}): Promise<DigestSubscription[]> {
    return [...this.byId.values()]
      .filter((s) => query.channel === undefined || s.channel === query.channel)
      .sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id))
      .map((s) => structuredClone(s));
  }
}

/** Code-unit order, as MongoDB sorts strings (`localeCompare` would not). */
function compare(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
