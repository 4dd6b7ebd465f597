import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBudgetRepository } from '../../adapters/memory/memory-budget.repository.js';
import { MongoBudgetRepository } from '../../adapters/mongo/mongo-budget.repository.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import type { BudgetCrossing, BudgetRepository } from '../../src/budgets/budget.types.js';
import { mongoUrl, uniqueName } from '../support/services.js';

// A crossing keeps the last day of data its alert was found on (the next alert's drivers start after it,
// docs/budgets.md#alerts), in memory and in MongoDB (FerretDB here); a crossing recorded without it reads back without.
let conn: Connection;
beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('budget_through') });
});
afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

const crossing = (percent: number, through?: string): BudgetCrossing => ({
  budget: 'payments',
  period: '2026-06',
  kind: 'actual',
  percent,
  at: '2026-06-10T08:00:00.000Z',
  ...(through ? { through } : {}),
});

describe.each([
  ['memory', async (): Promise<BudgetRepository> => new MemoryBudgetRepository()],
  ['mongo', async (): Promise<BudgetRepository> => MongoBudgetRepository.create(conn)],
])('a crossing’s last day of data (%s)', (_name, make) => {
  it('is kept with the crossing, and absent when it was not given', async () => {
    const repo = await make();
    expect(await repo.claimCrossing(crossing(50))).toBe(true);
    expect(await repo.claimCrossing(crossing(80, '2026-06-09'))).toBe(true);
    expect(await repo.claimCrossing(crossing(80, '2026-06-10'))).toBe(false);
    expect(await repo.crossings('payments', '2026-06')).toEqual([crossing(50), crossing(80, '2026-06-09')]);
  });
});
