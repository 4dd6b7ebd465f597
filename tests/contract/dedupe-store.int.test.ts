import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { MemoryDedupeStore } from '../../adapters/memory/memory-dedupe.store.js';
import { RedisDedupeStore } from '../../adapters/queue/redis-dedupe.store.js';
import { redisUrl, uniqueName } from '../support/services.js';
import { dedupeStoreContract } from './dedupe-store.contract.js';

const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
const prefix = `${uniqueName('dedupe')}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

dedupeStoreContract(
  'memory',
  () => new MemoryDedupeStore(),
  () => uniqueName('k'),
);
dedupeStoreContract(
  'redis',
  () => new RedisDedupeStore(redis, prefix),
  () => uniqueName('k'),
);
