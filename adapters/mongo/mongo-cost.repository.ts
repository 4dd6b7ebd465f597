import { randomUUID } from 'node:crypto';
import type { Collection, Connection, Model } from 'mongoose';
import type { AggregateQuery, AggregateRow } from '../../src/costs/cost-query.types.js';
import type { DailyRollup } from '../../src/costs/cost-record.types.js';
import type { AccountName, CostRepository } from '../../src/costs/cost-repository.port.js';
import type { Day } from '../../src/shared/day.js';
import { MemoryCostRepository } from '../memory/memory-cost.repository.js';
import type { CostRollupDoc } from './cost-rollup.model.js';
import { COST_META_COLLECTION, createCostRollupModel } from './cost-rollup.model.js';
import { handleMongoError } from './mongo-connection.js';

/** Rollups per `insertMany` round trip; keeps each batch well under the 48 MB message limit. */
const INSERT_BATCH = 5000;
/** The `cost_meta` document whose `version` changes on every write of rollups. */
const VERSION_ID = 'rollups';

interface VersionDoc {
  _id: string;
  version: string;
  updatedAt: Date;
}

/**
 * `CostRepository` on MongoDB: the rollups are the stored record, and questions are answered from an in-process
 * snapshot of them that is reloaded whenever another writer changed them.
 *
 * Why not `$group` on the server: FerretDB v1.24 (the MongoDB-wire server of the tests) pushes no filter down to
 * SQLite — every query, even `_id` equality, decodes every document of the collection (measured: ~75 µs per rollup,
 * so 12 s per question at 30k rollups) — and it computes only the first `$sum` of a `$group` (FerretDB#4616). A
 * snapshot keyed by a version document costs one full read after each import and one tiny read per question, and
 * answers the same on MongoDB and FerretDB. Writers bump the version after writing; readers compare it on every call.
 */
export class MongoCostRepository implements CostRepository {
  private readonly model: Model<CostRollupDoc>;
  private readonly meta: Collection<VersionDoc>;
  private snapshot: { version: string | null; repo: MemoryCostRepository } | null = null;
  private loading: { version: string | null; promise: Promise<MemoryCostRepository> } | null = null;

  constructor(conn: Connection) {
    this.model = createCostRollupModel(conn);
    this.meta = conn.collection<VersionDoc>(COST_META_COLLECTION);
  }

  /** Builds the repository and its indexes (see {@link MongoCostRepository.init}). */
  static async create(conn: Connection): Promise<MongoCostRepository> {
    const repo = new MongoCostRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collection and the schema's indexes; idempotent. Index errors surface here. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'cost_rollups.init');
    }
  }

  /**
   * Deletes the source's rollups in the range, inserts the new ones in unordered batches, then bumps the version.
   * Not atomic: FerretDB has no transactions (REFERENCE.md §7.3), so a reader may briefly see the range empty or
   * half filled, and a failure part-way leaves it so. The operation is idempotent, so re-running the import repairs it.
   */
  async replaceRollups(source: string, range: { from: Day; to: Day }, rollups: DailyRollup[]): Promise<void> {
    const docs = rollups.filter((r) => r.source === source && r.day >= range.from && r.day <= range.to).map(toDocument);
    try {
      await this.model.deleteMany({ source, day: { $gte: range.from, $lte: range.to } }).exec();
      for (let i = 0; i < docs.length; i += INSERT_BATCH) {
        // Raw driver insert: the documents are already exact, so mongoose casting and validation are skipped.
        await this.model.collection.insertMany(docs.slice(i, i + INSERT_BATCH), { ordered: false });
      }
      await this.meta.updateOne(
        { _id: VERSION_ID },
        { $set: { version: randomUUID(), updatedAt: new Date() } },
        { upsert: true },
      );
    } catch (err) {
      handleMongoError(err, 'cost_rollups.replace');
    }
  }

  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    return (await this.current()).aggregate(query);
  }

  async dataRange(): Promise<{ from: Day; to: Day } | null> {
    return (await this.current()).dataRange();
  }

  async accounts(): Promise<AccountName[]> {
    return (await this.current()).accounts();
  }

  async tagKeys(): Promise<string[]> {
    return (await this.current()).tagKeys();
  }

  /** The snapshot for the stored version, loading it when the version moved; concurrent callers share one load. */
  private async current(): Promise<MemoryCostRepository> {
    let version: string | null;
    try {
      version = (await this.meta.findOne({ _id: VERSION_ID }))?.version ?? null;
    } catch (err) {
      return handleMongoError(err, 'cost_meta.version');
    }
    if (this.snapshot && this.snapshot.version === version) return this.snapshot.repo;
    if (this.loading?.version !== version) {
      const promise = this.load().then((repo) => {
        if (this.loading?.promise === promise) this.loading = null;
        this.snapshot = { version, repo };
        return repo;
      });
      promise.catch(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
      this.loading = { version, promise };
    }
    return this.loading!.promise;
  }

  /** Reads every rollup, in write order (so that the latest account name wins as in the in-process store). */
  private async load(): Promise<MemoryCostRepository> {
    const repo = new MemoryCostRepository();
    try {
      const cursor = this.model.collection.find({}, { projection: { _id: 0 }, sort: { _id: 1 } });
      const batch: DailyRollup[] = [];
      for await (const doc of cursor) {
        batch.push(fromDocument(doc as unknown as CostRollupDoc));
        if (batch.length >= INSERT_BATCH) repo.load(batch.splice(0));
      }
      repo.load(batch);
    } catch (err) {
      handleMongoError(err, 'cost_rollups.load');
    }
    return repo;
  }
}

/**
 * Copies exactly the fields of a rollup (no extra properties reach the database or leave it). A stored document has
 * the same fields as `DailyRollup`, so one copy serves both directions.
 */
function copyRollup(r: DailyRollup | CostRollupDoc): DailyRollup {
  return {
    source: r.source,
    day: r.day,
    provider: r.provider,
    billingAccountId: r.billingAccountId,
    subAccountId: r.subAccountId,
    subAccountName: r.subAccountName,
    serviceName: r.serviceName,
    serviceCategory: r.serviceCategory,
    region: r.region,
    chargeCategory: r.chargeCategory,
    currency: r.currency,
    tags: (r.tags ?? []).map((t) => ({ key: t.key, value: t.value })),
    billed: r.billed,
    effective: r.effective,
    list: r.list,
    rows: r.rows,
  };
}

const toDocument = (r: DailyRollup): CostRollupDoc => copyRollup(r);
const fromDocument = (d: CostRollupDoc): DailyRollup => copyRollup(d);
