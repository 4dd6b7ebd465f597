import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_ACKS_COLLECTION, ALERT_MUTES_COLLECTION, ALERTS_COLLECTION } from '../../adapters/mongo/alert.model.js';
import { MongoAlertRepository } from '../../adapters/mongo/mongo-alert.repository.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { testAlertRecord, testAnomaly } from '../support/alert-fixtures.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { alertRepositoryContract } from './alert-repository.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or a real MongoDB via MONGODB_URI); each test
// empties the collections.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_alerts') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

const COLLECTIONS = [ALERTS_COLLECTION, ALERT_ACKS_COLLECTION, ALERT_MUTES_COLLECTION];

alertRepositoryContract('mongo', async () => ({
  repo: await MongoAlertRepository.create(conn),
  cleanup: async () => {
    for (const name of COLLECTIONS) await conn.collection(name).deleteMany({});
  },
}));

describe('MongoDB alert specifics', () => {
  it('builds the declared indexes, unique on anomalyId for alerts and acknowledgements', async () => {
    await MongoAlertRepository.create(conn);
    const indexes = async (name: string) => await conn.collection(name).indexes();
    const unique = async (name: string) =>
      (await indexes(name)).find((i) => JSON.stringify(i.key) === '{"anomalyId":1}')?.unique;
    expect(await unique(ALERTS_COLLECTION)).toBe(true);
    expect(await unique(ALERT_ACKS_COLLECTION)).toBe(true);
    const keys = (await indexes(ALERT_MUTES_COLLECTION)).map((i) => JSON.stringify(i.key));
    expect(keys).toContain('{"seriesKey":1,"until":-1}');
  });

  it('claims across two repositories on the same database once (the unique index decides, not the process)', async () => {
    const [a, b] = await Promise.all([MongoAlertRepository.create(conn), MongoAlertRepository.create(conn)]);
    const record = testAlertRecord(testAnomaly({ key: 'Amazon S3' }));
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).claim(record)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await conn.collection(ALERTS_COLLECTION).countDocuments({ anomalyId: record.anomalyId })).toBe(1);
    for (const name of COLLECTIONS) await conn.collection(name).deleteMany({});
  });
});
