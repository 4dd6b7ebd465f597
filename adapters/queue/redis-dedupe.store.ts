import type { Redis } from 'ioredis';
import type { DedupeStore } from '../../src/shared/dedupe.port.js';

/** Dedupe on Redis: `SET tally:dedupe:<key> 1 NX EX <ttl>`; shared by every Tally process. */
export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'tally:dedupe:',
  ) {}

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const result = await this.redis.set(`${this.prefix}${key}`, '1', 'EX', ttlSeconds, 'NX');
    return result === 'OK';
  }
}
