import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGET_CROSSINGS_COLLECTION, BUDGETS_COLLECTION } from '../../adapters/mongo/budget.model.js';
import { MongoBudgetRepository } from '../../adapters/mongo/mongo-budget.repository.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { budgetRepositoryContract, testBudget } from './budget-repository.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or MongoDB via MONGODB_URI); each test empties
// the collections.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_budget') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

budgetRepositoryContract('mongo', async () => ({
  repo: await MongoBudgetRepository.create(conn),
  cleanup: async () => {
    await conn.collection(BUDGETS_COLLECTION).deleteMany({});
    await conn.collection(BUDGET_CROSSINGS_COLLECTION).deleteMany({});
  },
}));

describe('MongoDB budget specifics', () => {
  it('builds the unique indexes and stores one document per budget, without mongoose extras', async () => {
    const repo = await MongoBudgetRepository.create(conn);
    const keys = async (c: string) =>
      (await conn.collection(c).indexes()).filter((i) => i.unique).map((i) => JSON.stringify(i.key));
    expect(await keys(BUDGETS_COLLECTION)).toEqual(['{"name":1}']);
    expect(await keys(BUDGET_CROSSINGS_COLLECTION)).toEqual(['{"budget":1,"period":1,"kind":1,"percent":1}']);
    await repo.save(testBudget('doc'));
    await repo.save(testBudget('doc', { amount: 1 }));
    const docs = await conn
      .collection(BUDGETS_COLLECTION)
      .find({}, { projection: { _id: 0 } })
      .toArray();
    expect(docs).toEqual([testBudget('doc', { amount: 1 })]);
    await conn.collection(BUDGETS_COLLECTION).deleteMany({});
  });
});
