import type { Connection } from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { BUDGET_CHANGES_COLLECTION } from '../../adapters/mongo/budget-change.model.js';
import { MongoBudgetChangeRepository } from '../../adapters/mongo/mongo-budget-change.repository.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { budgetChangeRepositoryContract } from './budget-change-repository.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or MongoDB via MONGODB_URI); each test empties
// the collection.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_budget_change') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

budgetChangeRepositoryContract('mongo', async () => ({
  repo: await MongoBudgetChangeRepository.create(conn),
  cleanup: async () => {
    await conn.collection(BUDGET_CHANGES_COLLECTION).deleteMany({});
  },
}));
