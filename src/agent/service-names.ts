import type { CostRepository } from '../costs/cost-repository.port.js';

/** How long the names are reused before they are read again. */
const REFRESH_MS = 60_000;

/**
 * The service names in the cost data, for recognising "EC2" in a question: read at most once a minute, and the
 * reads in between share the one in flight.
 */
export function serviceNames(repo: CostRepository): () => Promise<string[]> {
  let cached: { at: number; names: Promise<string[]> } | null = null;
  return () => {
    // Wall time, not the injected clock: a pinned clock would keep the first names for good.
    const now = Date.now();
    if (!cached || now - cached.at > REFRESH_MS) {
      const names = repo
        .dataRange()
        .then((range) =>
          range ? repo.aggregate({ ...range, groupBy: [{ kind: 'service' }], metrics: ['effective'] }) : [],
        )
        .then((rows) => [...new Set(rows.map((r) => r.keys[0] ?? ''))].filter(Boolean));
      cached = { at: now, names };
    }
    return cached.names;
  };
}
