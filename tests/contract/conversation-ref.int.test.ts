import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION_REFS_COLLECTION } from '../../adapters/mongo/conversation-ref.model.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { MongoConversationRefStore } from '../../adapters/mongo/mongo-conversation-ref.store.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { conversationRefContract, testReference } from './conversation-ref.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or MongoDB via MONGODB_URI); each test empties
// the collection.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_conv_refs') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

conversationRefContract('mongo', async () => ({
  store: await MongoConversationRefStore.create(conn),
  cleanup: async () => {
    await conn.collection(CONVERSATION_REFS_COLLECTION).deleteMany({});
  },
}));

describe('MongoConversationRefStore specifics', () => {
  it('builds a unique index on the key', async () => {
    await MongoConversationRefStore.create(conn);
    const indexes = await conn.collection(CONVERSATION_REFS_COLLECTION).indexes();
    expect(indexes.find((i) => JSON.stringify(i.key) === '{"key":1}')?.unique).toBe(true);
  });

  it('keeps one document per key, the reference as a JSON string, after racing and repeated saves', async () => {
    const store = await MongoConversationRefStore.create(conn);
    const key = 'teams/conv/19:doc@thread.tacv2';
    await Promise.all([1, 2, 3, 4].map((n) => store.save(key, testReference(`19:doc${n}@thread.tacv2`))));
    await store.save(key, testReference('19:doc@thread.tacv2'));
    const docs = await conn
      .collection(CONVERSATION_REFS_COLLECTION)
      .find({ key }, { projection: { _id: 0 } })
      .toArray();
    expect(docs).toEqual([{ key, reference: testReference('19:doc@thread.tacv2') }]);
    await conn.collection(CONVERSATION_REFS_COLLECTION).deleteMany({});
  });

  it('fails with STORE_UNAVAILABLE once the connection is closed', async () => {
    const other = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_conv_refs_closed') });
    const store = await MongoConversationRefStore.create(other);
    await other.dropDatabase();
    await other.close();
    await expect(store.get('teams/conv/x')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.save('teams/conv/x', '{}')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
