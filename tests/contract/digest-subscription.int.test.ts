import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_SUBSCRIPTIONS_COLLECTION } from '../../adapters/mongo/digest-subscription.model.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { MongoDigestSubscriptionRepository } from '../../adapters/mongo/mongo-digest-subscription.repository.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { digestSubscriptionContract, testSubscription } from './digest-subscription.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or MongoDB via MONGODB_URI); each test empties
// the collection.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_digest') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

digestSubscriptionContract('mongo', async () => ({
  repo: await MongoDigestSubscriptionRepository.create(conn),
  cleanup: async () => {
    await conn.collection(DIGEST_SUBSCRIPTIONS_COLLECTION).deleteMany({});
  },
}));

describe('MongoDB digest subscription specifics', () => {
  it('builds the declared indexes', async () => {
    await MongoDigestSubscriptionRepository.create(conn);
    const indexes = await conn.collection(DIGEST_SUBSCRIPTIONS_COLLECTION).indexes();
    expect(indexes.find((i) => JSON.stringify(i.key) === '{"id":1}')?.unique).toBe(true);
    expect(indexes.map((i) => JSON.stringify(i.key))).toContain('{"channel":1,"createdAt":1}');
  });

  it('stores one document per subscription, without mongoose extras', async () => {
    const repo = await MongoDigestSubscriptionRepository.create(conn);
    await repo.save(testSubscription('dig_doc'));
    await repo.save(testSubscription('dig_doc', { tz: 'UTC' }));
    const docs = await conn
      .collection(DIGEST_SUBSCRIPTIONS_COLLECTION)
      .find({ id: 'dig_doc' }, { projection: { _id: 0 } })
      .toArray();
    expect(docs).toEqual([testSubscription('dig_doc', { tz: 'UTC' })]);
    await conn.collection(DIGEST_SUBSCRIPTIONS_COLLECTION).deleteMany({});
  });
});
