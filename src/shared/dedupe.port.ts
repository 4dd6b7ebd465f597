/**
 * Remembers keys for a while so that a delivery seen twice (Slack retries, replayed requests, double clicks) is
 * handled once. Implemented on Redis (`SET key 1 NX EX ttl`) and in memory.
 */
export interface DedupeStore {
  /** True the first time `key` is claimed within `ttlSeconds`; false for every later claim. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
}
