import type { Connection, Model } from 'mongoose';
import type { ImportRun, ImportRunRepository } from '../../src/costs/import-run.types.js';
import type { ImportRunDoc } from './import-run.model.js';
import { createImportRunModel } from './import-run.model.js';
import { handleMongoError } from './mongo-connection.js';

/** `ImportRunRepository` on MongoDB (collection `import_runs`). Returns plain domain objects. */
export class MongoImportRunRepository implements ImportRunRepository {
  private readonly model: Model<ImportRunDoc>;

  constructor(conn: Connection) {
    this.model = createImportRunModel(conn);
  }

  /** Builds the repository and its indexes (see {@link MongoImportRunRepository.init}). */
  static async create(conn: Connection): Promise<MongoImportRunRepository> {
    const repo = new MongoImportRunRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collection and its indexes (unique `id`, `startedAt`); idempotent. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'import_runs.init');
    }
  }

  /** Stores the run. A second run with the same `id` fails with `STORE_UNAVAILABLE` (`mongoCode` 11000). */
  async record(run: ImportRun): Promise<void> {
    try {
      await this.model.create(toDocument(run));
    } catch (err) {
      handleMongoError(err, 'import_runs.record');
    }
  }

  /** The newest run of `source` that did not fail. */
  async lastSuccess(source: string): Promise<ImportRun | null> {
    try {
      const doc = await this.model
        .findOne({ source, error: { $exists: false } }, { _id: 0 })
        .sort({ startedAt: -1, _id: -1 })
        .lean<ImportRunDoc>()
        .exec();
      return doc ? toDomain(doc) : null;
    } catch (err) {
      return handleMongoError(err, 'import_runs.lastSuccess');
    }
  }

  /** Newest first; runs that started at the same instant come in the order they were recorded, as in memory. */
  async latest(limit: number): Promise<ImportRun[]> {
    // `limit(0)` means "no limit" to MongoDB, while the port means "none".
    if (limit <= 0) return [];
    try {
      const docs = await this.model
        .find({}, { _id: 0 })
        .sort({ startedAt: -1, _id: 1 })
        .limit(limit)
        .lean<ImportRunDoc[]>()
        .exec();
      return docs.map(toDomain);
    } catch (err) {
      return handleMongoError(err, 'import_runs.latest');
    }
  }
}

function toDocument(run: ImportRun): ImportRunDoc {
  return {
    id: run.id,
    source: run.source,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    rowsRead: run.rowsRead,
    rowsImported: run.rowsImported,
    rowsRejected: run.rowsRejected,
    rejected: run.rejected.map((r) => ({ file: r.file, line: r.line, column: r.column, reason: r.reason })),
    totals: run.totals.map((t) => ({ currency: t.currency, billed: t.billed, effective: t.effective })),
    range: run.range ? { from: run.range.from, to: run.range.to } : null,
    ...(run.kind ? { kind: run.kind } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.notes?.length ? { notes: [...run.notes] } : {}),
  };
}

/** Maps a lean document to a fresh domain object (no mongoose types or `_id` escape). */
function toDomain(doc: ImportRunDoc): ImportRun {
  return {
    ...toDocument({ ...doc, rejected: doc.rejected ?? [], totals: doc.totals ?? [], range: doc.range ?? null }),
    startedAt: new Date(doc.startedAt),
    finishedAt: new Date(doc.finishedAt),
  };
}
