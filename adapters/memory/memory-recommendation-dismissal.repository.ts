import type {
  RecommendationDismissal,
  RecommendationDismissalRepository,
} from '../../src/recommendations/recommendation-dismissal.types.js';

/** Dismissed and snoozed recommendations in memory, for the shell and tests: nothing survives a restart. */
export class MemoryRecommendationDismissalRepository implements RecommendationDismissalRepository {
  private readonly byKey = new Map<string, RecommendationDismissal>();

  async put(dismissal: RecommendationDismissal): Promise<void> {
    const key = keyOf(dismissal.conversation, dismissal.target);
    // Re-inserted so that the latest is the newest in iteration order.
    this.byKey.delete(key);
    this.byKey.set(key, structuredClone(dismissal));
  }

  async active(conversation: string, at: Date): Promise<RecommendationDismissal[]> {
    return [...this.byKey.values()]
      .filter((d) => d.conversation === conversation && Date.parse(d.until) > at.getTime())
      .sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1))
      .map((d) => structuredClone(d));
  }

  async remove(conversation: string, target: string): Promise<RecommendationDismissal | null> {
    const key = keyOf(conversation, target);
    const found = this.byKey.get(key) ?? null;
    this.byKey.delete(key);
    return found;
  }
}

function keyOf(conversation: string, target: string): string {
  return JSON.stringify([conversation, target]);
}
