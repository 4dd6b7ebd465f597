import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_RECORDS_COLLECTION } from '../../adapters/mongo/delivery-record.model.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { MongoDeliveryLog } from '../../adapters/mongo/mongo-delivery.log.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { deliveryLogContract } from './delivery-log.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or a real MongoDB via MONGODB_URI); each test
// empties the collection.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_delivery') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

deliveryLogContract('mongo', async () => ({
  log: await MongoDeliveryLog.create(conn),
  cleanup: async () => {
    await conn.collection(DELIVERY_RECORDS_COLLECTION).deleteMany({});
  },
}));

describe('MongoDeliveryLog specifics', () => {
  it('builds the declared indexes', async () => {
    await MongoDeliveryLog.create(conn);
    const keys = (await conn.collection(DELIVERY_RECORDS_COLLECTION).indexes()).map((i) => JSON.stringify(i.key));
    expect(keys).toEqual(expect.arrayContaining(['{"at":1}', '{"status":1,"at":1}']));
  });
});
