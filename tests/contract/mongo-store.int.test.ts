import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVALS_COLLECTION } from '../../adapters/mongo/approval.model.js';
import { AUDIT_ENTRIES_COLLECTION } from '../../adapters/mongo/audit-entry.model.js';
import { IMPORT_RUNS_COLLECTION } from '../../adapters/mongo/import-run.model.js';
import { MongoApprovalRepository } from '../../adapters/mongo/mongo-approval.repository.js';
import { MongoAuditLog } from '../../adapters/mongo/mongo-audit.log.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { MongoImportRunRepository } from '../../adapters/mongo/mongo-import-run.repository.js';
import type { ImportRun } from '../../src/costs/import-run.types.js';
import { TallyError } from '../../src/shared/errors.js';
import { testApproval, testAuditEntry } from '../support/approvals.js';
import { mongoUrl, uniqueName } from '../support/services.js';
import { approvalRepositoryContract } from './approval-repository.contract.js';
import { auditLogContract } from './audit-log.contract.js';
import { importRunRepositoryContract } from './import-run-repository.contract.js';

// Cost rows are not in MongoDB (they are Parquet files queried by DuckDB: tests/contract/duckdb-cost-store.test.ts).
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

importRunRepositoryContract('mongo', async () => ({
  repo: await MongoImportRunRepository.create(conn),
  cleanup: emptying(IMPORT_RUNS_COLLECTION),
}));

approvalRepositoryContract('mongo', async () => ({
  repo: await MongoApprovalRepository.create(conn),
  cleanup: emptying(APPROVALS_COLLECTION),
}));

auditLogContract('mongo', async () => ({
  log: await MongoAuditLog.create(conn),
  cleanup: emptying(AUDIT_ENTRIES_COLLECTION),
}));

/** Paths in `value` that FerretDB rejects: a key with `.` or a leading `$`, or an array directly inside an array. */
function unstorablePaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, n) =>
      Array.isArray(item) ? [`${path}[${n}]`] : unstorablePaths(item, `${path}[${n}]`),
    );
  }
  if (value === null || typeof value !== 'object' || value.constructor?.name === 'ObjectId') return [];
  return Object.entries(value).flatMap(([key, v]) => [
    ...(key.includes('.') || key.startsWith('$') ? [`${path}.${key}`] : []),
    ...unstorablePaths(v, `${path}.${key}`),
  ]);
}

describe('MongoDB approval and audit specifics', () => {
  it('builds the declared indexes', async () => {
    await MongoApprovalRepository.create(conn);
    await MongoAuditLog.create(conn);
    const approvalIndexes = await conn.collection(APPROVALS_COLLECTION).indexes();
    expect(approvalIndexes.find((i) => JSON.stringify(i.key) === '{"id":1,"version":1}')?.unique).toBe(true);
    expect(approvalIndexes.map((i) => JSON.stringify(i.key))).toEqual(
      expect.arrayContaining(['{"state":1}', '{"createdAt":-1}']),
    );
    const auditIndexes = (await conn.collection(AUDIT_ENTRIES_COLLECTION).indexes()).map((i) => JSON.stringify(i.key));
    expect(auditIndexes).toContain('{"approvalId":1,"at":1}');
  });

  it('stores documents with no dotted or $ keys and no nested arrays', async () => {
    const repo = await MongoApprovalRepository.create(conn);
    const log = await MongoAuditLog.create(conn);
    const approval = testApproval({
      votes: [{ voter: { person: 'alice', via: { platform: 'slack', id: 'U0A' } }, decision: 'approve', at: 'now' }],
      execution: { startedAt: 'then', steps: ['stopped'], attempts: 1, rollback: { note: 'start it' } },
    });
    await repo.create(approval);
    await log.append(testAuditEntry({ approvalId: approval.id, data: { 'a.b': 1, $c: 'd' } }));
    const doc = await conn.collection(APPROVALS_COLLECTION).findOne({ id: approval.id });
    const entry = await conn.collection(AUDIT_ENTRIES_COLLECTION).findOne({ approvalId: approval.id });
    expect(doc?.action.facts.tags).toContainEqual({ key: 'kubernetes.io/cluster/blue', value: 'owned' });
    expect(unstorablePaths(doc)).toEqual([]);
    expect(entry?.data).toEqual([
      { key: 'a.b', value: 1 },
      { key: '$c', value: 'd' },
    ]);
    expect(unstorablePaths(entry)).toEqual([]);
    await conn.collection(APPROVALS_COLLECTION).deleteMany({});
    await conn.collection(AUDIT_ENTRIES_COLLECTION).deleteMany({});
  });

  it('rejects a duplicate approval id as a duplicate key, also once the approval was updated', async () => {
    const repo = await MongoApprovalRepository.create(conn);
    const approval = testApproval();
    await repo.create(approval);
    const expected = { operation: 'approvals.create', mongoCode: 11000 };
    expect(await repo.create(approval).catch((e: unknown) => (e as TallyError).metadata)).toMatchObject(expected);
    expect(await repo.update({ ...approval, version: 2 })).toBe(true);
    expect(await repo.create(approval).catch((e: unknown) => (e as TallyError).metadata)).toMatchObject(expected);
    await conn.collection(APPROVALS_COLLECTION).deleteMany({});
  });

  it('keeps one full document per approval and tombstones for the versions before', async () => {
    const repo = await MongoApprovalRepository.create(conn);
    const raw = conn.collection(APPROVALS_COLLECTION);
    const v1 = testApproval();
    await repo.create(v1);
    expect(await repo.update({ ...v1, version: 2, state: 'APPROVED' })).toBe(true);
    expect(await repo.update({ ...v1, version: 3, state: 'EXECUTING' })).toBe(true);
    const docs = await raw
      .find({ id: v1.id }, { projection: { _id: 0 } })
      .sort({ version: 1 })
      .toArray();
    expect(docs.slice(0, 2)).toEqual([
      { id: v1.id, version: 1, superseded: true },
      { id: v1.id, version: 2, superseded: true },
    ]);
    expect(docs[2]).toMatchObject({ version: 3, state: 'EXECUTING' });
    expect(docs[2]).not.toHaveProperty('superseded');
    await raw.deleteMany({});
  });

  it('never returns a version a crash left untombstoned, and tombstones it on the next update', async () => {
    const repo = await MongoApprovalRepository.create(conn);
    const raw = conn.collection(APPROVALS_COLLECTION);
    const v1 = testApproval();
    await repo.create(v1);
    const v2 = { ...v1, version: 2, state: 'APPROVED' as const };
    const v3 = { ...v2, version: 3, state: 'EXECUTING' as const };
    expect(await repo.update(v2)).toBe(true);
    expect(await repo.update(v3)).toBe(true);
    // As if the writer of version 3 died before tombstoning version 2; here also created later, so that it sorts
    // first and a page of one holds only it.
    await raw.replaceOne({ id: v1.id, version: 2 }, { ...structuredClone(v2), createdAt: '2030-01-01T00:00:00.000Z' });
    expect(await repo.get(v1.id)).toStrictEqual(v3);
    expect(await repo.list({ states: ['APPROVED'] })).toEqual([]);
    expect(await repo.list({})).toStrictEqual([v3]);
    expect(await repo.list({ limit: 1 })).toStrictEqual([v3]);
    expect(await repo.update({ ...v2, version: 3, reason: 'stale' })).toBe(false);
    const v4 = { ...v3, version: 4, state: 'SUCCEEDED' as const };
    expect(await repo.update(v4)).toBe(true);
    expect(await raw.countDocuments({ id: v1.id, superseded: { $ne: true } })).toBe(1);
    expect(await repo.get(v1.id)).toStrictEqual(v4);
    await raw.deleteMany({});
  });
});

describe('MongoDB adapter specifics', () => {
  it('builds the declared import-run indexes', async () => {
    await MongoImportRunRepository.create(conn);
    const runIndexes = await conn.collection(IMPORT_RUNS_COLLECTION).indexes();
    expect(runIndexes.find((i) => JSON.stringify(i.key) === '{"id":1}')?.unique).toBe(true);
    expect(runIndexes.map((i) => JSON.stringify(i.key))).toContain('{"startedAt":-1}');
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
