import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_ROLLUPS_COLLECTION } from '../../adapters/mongo/cost-rollup.model.js';
import { IMPORT_RUNS_COLLECTION } from '../../adapters/mongo/import-run.model.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { MongoCostRepository } from '../../adapters/mongo/mongo-cost.repository.js';
import { MongoImportRunRepository } from '../../adapters/mongo/mongo-import-run.repository.js';
import type { ImportRun } from '../../src/costs/import-run.types.js';
import { TallyError } from '../../src/shared/errors.js';
import { testRollup } from '../support/rollups.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { costRepositoryContract } from './cost-repository.contract.js';
import { importRunRepositoryContract } from './import-run-repository.contract.js';

// One database for this file (FerretDB from scripts/test-services.sh, or a real MongoDB via MONGODB_URI); each
// test empties the collection it used.
let conn: Connection;

beforeAll(async () => {
  conn = await createMongoConnection({ uri: mongoUrl(), dbName: uniqueName('contract_store') });
});

afterAll(async () => {
  if (!conn) return;
  await conn.dropDatabase();
  await conn.close();
});

const emptying = (collection: string) => async () => {
  await conn.collection(collection).deleteMany({});
};

costRepositoryContract('mongo', async () => ({
  repo: await MongoCostRepository.create(conn),
  cleanup: emptying(COST_ROLLUPS_COLLECTION),
}));

importRunRepositoryContract('mongo', async () => ({
  repo: await MongoImportRunRepository.create(conn),
  cleanup: emptying(IMPORT_RUNS_COLLECTION),
}));

describe('MongoDB adapter specifics', () => {
  it('builds the declared indexes', async () => {
    await MongoCostRepository.create(conn);
    await MongoImportRunRepository.create(conn);
    const keys = async (name: string) => (await conn.collection(name).indexes()).map((i) => JSON.stringify(i.key));
    expect(await keys(COST_ROLLUPS_COLLECTION)).toEqual(expect.arrayContaining(['{"source":1,"day":1}']));
    const runIndexes = await conn.collection(IMPORT_RUNS_COLLECTION).indexes();
    expect(runIndexes.find((i) => JSON.stringify(i.key) === '{"id":1}')?.unique).toBe(true);
    expect(runIndexes.map((i) => JSON.stringify(i.key))).toContain('{"startedAt":-1}');
  });

  it('a second repository on the same database sees every write of the first (snapshot reloaded by version)', async () => {
    const writer = await MongoCostRepository.create(conn);
    const reader = await MongoCostRepository.create(conn);
    const rollup = (effective: number) =>
      testRollup('2030-01-01', 'S', effective, { source: 'snap', subAccountId: 'a', subAccountName: 'a', region: 'r' });
    const total = async () =>
      (await reader.aggregate({ from: '2030-01-01', to: '2030-01-01', groupBy: [] })).map((r) => r.effective);
    const range = { from: '2030-01-01', to: '2030-01-01' };
    await writer.replaceRollups('snap', range, [rollup(5)]);
    expect(await total()).toEqual([5]);
    await writer.replaceRollups('snap', range, [rollup(7)]);
    expect(await total()).toEqual([7]);
    await writer.replaceRollups('snap', range, []);
    expect(await total()).toEqual([]);
  });

  it('rejects a second run with the same id as STORE_UNAVAILABLE with the server code', async () => {
    const repo = await MongoImportRunRepository.create(conn);
    const run: ImportRun = {
      id: 'dup',
      source: 's',
      startedAt: new Date(),
      finishedAt: new Date(),
      rowsRead: 0,
      rowsImported: 0,
      rowsRejected: 0,
      rejected: [],
      totals: [],
      range: null,
    };
    await repo.record(run);
    const err = await repo.record(run).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TallyError);
    expect((err as TallyError).code).toBe('STORE_UNAVAILABLE');
    expect((err as TallyError).metadata).toMatchObject({ operation: 'import_runs.record', mongoCode: 11000 });
    await conn.collection(IMPORT_RUNS_COLLECTION).deleteMany({});
  });

  it('maps a malformed URI to STORE_UNAVAILABLE without leaking it', async () => {
    const err = await createMongoConnection({ uri: 'mongodb://tally:s3cret-pw@' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TallyError);
    expect((err as TallyError).code).toBe('STORE_UNAVAILABLE');
    expect(JSON.stringify((err as TallyError).metadata)).not.toContain('s3cret');
  });

  it('maps an unreachable server to STORE_UNAVAILABLE without leaking the URI', async () => {
    const uri = 'mongodb://tally:s3cret-pw@127.0.0.1:1/nowhere';
    const err = await createMongoConnection({ uri }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TallyError);
    const tallyError = err as TallyError;
    expect(tallyError.code).toBe('STORE_UNAVAILABLE');
    expect(tallyError.metadata).toMatchObject({ operation: 'connect' });
    expect(tallyError.cause).toBeDefined();
    expect(`${tallyError.message} ${JSON.stringify(tallyError.metadata)}`).not.toMatch(/s3cret|127\.0\.0\.1:1/);
  });
});
