import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { MongoRecommendationDismissalRepository } from '../../adapters/mongo/mongo-recommendation-dismissal.repository.js';
import { RECOMMENDATION_DISMISSALS_COLLECTION } from '../../adapters/mongo/recommendation-dismissal.model.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { recommendationDismissalContract } from './recommendation-dismissal.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or MongoDB via MONGODB_URI); each test empties
// the collection.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_rec_dismissals') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

recommendationDismissalContract('mongo', async () => ({
  repo: await MongoRecommendationDismissalRepository.create(conn),
  cleanup: async () => {
    await conn.collection(RECOMMENDATION_DISMISSALS_COLLECTION).deleteMany({});
  },
}));

describe('MongoRecommendationDismissalRepository specifics', () => {
  it('builds a unique index on conversation and target', async () => {
    await MongoRecommendationDismissalRepository.create(conn);
    const indexes = await conn.collection(RECOMMENDATION_DISMISSALS_COLLECTION).indexes();
    expect(indexes.find((i) => JSON.stringify(i.key) === '{"conversation":1,"target":1}')?.unique).toBe(true);
  });

  it('fails with STORE_UNAVAILABLE once the connection is closed', async () => {
    const other = await createMongoConnection({
      uri: mongoUrl(),
      dbName: uniqueName('contract_rec_dismissals_closed'),
    });
    const repo = await MongoRecommendationDismissalRepository.create(other);
    await other.dropDatabase();
    await other.close();
    await expect(repo.active('slack:C0OPS', new Date())).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
