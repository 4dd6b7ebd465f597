import type { Connection, Model, PipelineStage } from 'mongoose';
import type { AggregateQuery, AggregateRow, CostFilter, Dimension } from '../../src/costs/cost-query.types.js';
import { UNTAGGED } from '../../src/costs/cost-query.types.js';
import type { DailyRollup } from '../../src/costs/cost-record.types.js';
import type { AccountName, CostRepository } from '../../src/costs/cost-repository.port.js';
import type { Day } from '../../src/shared/day.js';
import { CompensatedSum } from '../../src/shared/money.js';
import type { CostRollupDoc } from './cost-rollup.model.js';
import { createCostRollupModel, tagFieldName } from './cost-rollup.model.js';
import { handleMongoError } from './mongo-connection.js';

/** Rollups per `insertMany` round trip; keeps each batch well under the 48 MB message limit. */
const INSERT_BATCH = 5000;

/** The document field each non-tag dimension groups on. */
const DIMENSION_FIELDS = {
  provider: 'provider',
  account: 'subAccountId',
  service: 'serviceName',
  category: 'serviceCategory',
  region: 'region',
  charge: 'chargeCategory',
} as const satisfies Record<Exclude<Dimension['kind'], 'tag'>, keyof CostRollupDoc>;

/** The summed fields, each the output field of one `$sum` accumulator. */
const SUMS = ['billed', 'effective', 'list', 'rows'] as const;
type SumField = (typeof SUMS)[number];

/**
 * One `$group` output document. `_id.k<i>` is the key of `groupBy[i]`; a tag the rollups lack is absent or null.
 * Only the sums the pipeline asked for are present.
 */
type GroupOut = { _id: Record<string, string | null | undefined> } & Partial<Record<SumField, number>>;

/**
 * `CostRepository` on MongoDB, kept inside what FerretDB v1.24 supports as well (REFERENCE.md §7.3): aggregation uses
 * only `$match` and `$group` with `$sum`, and filters use no `$elemMatch`. Returns plain domain objects; no mongoose
 * document leaves this file.
 */
export class MongoCostRepository implements CostRepository {
  private readonly model: Model<CostRollupDoc>;
  /**
   * Which sums each `$group` computes. FerretDB v1 fills only the first accumulator of a `$group` and returns 0 for
   * the others (FerretDB#4616), so against it each sum gets a pipeline of its own. `init()` switches to one pipeline
   * with all four when the server is not FerretDB; until then the safe split is used.
   */
  private sumsPerPipeline: SumField[][] = SUMS.map((f) => [f]);

  constructor(conn: Connection) {
    this.model = createCostRollupModel(conn);
  }

  /** Builds the repository and its indexes (see {@link MongoCostRepository.init}). */
  static async create(conn: Connection): Promise<MongoCostRepository> {
    const repo = new MongoCostRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collection and the schema's indexes and probes the server; idempotent. Index errors surface here. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
      // FerretDB adds `ferretdbVersion` to buildInfo.
      const info = await this.model.db.db?.admin().command({ buildInfo: 1 });
      const ferret = info === undefined || info.ferretdbVersion !== undefined;
      this.sumsPerPipeline = ferret ? SUMS.map((f) => [f]) : [[...SUMS]];
    } catch (err) {
      handleMongoError(err, 'cost_rollups.init');
    }
  }

  /**
   * Deletes the source's rollups in the range, then inserts the new ones in unordered batches.
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
    } catch (err) {
      handleMongoError(err, 'cost_rollups.replace');
    }
  }

  /**
   * One `$match` + `$group` (one per sum on FerretDB). A tag dimension groups on `tagsByKey.<encoded key>`, a plain
   * field path: FerretDB v1 has no `$filter`/`$cond` to pick a value out of the `tags` array (REFERENCE.md §7.3), and
   * its `$unwind` keeps only `_id` and the unwound field (v1.24.2 `stages/unwind.go`), so no other dimension survives
   * it. Rollups without the tag have no value there and become `UNTAGGED`. `allowDiskUse` helps MongoDB with large groupings; FerretDB ignores it.
   */
  async aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    const match = buildMatch(query.from, query.to, query.filter);
    const _id = groupId(query);
    try {
      const wanted: SumField[] = query.metrics ? [...query.metrics] : [...SUMS];
      const pipelines = this.sumsPerPipeline
        .map((fields) => fields.filter((f) => wanted.includes(f)))
        .filter((f) => f.length);
      const outs = await Promise.all(
        pipelines.map((fields) => {
          const sums = Object.fromEntries(fields.map((f) => [f, { $sum: `$${f}` }]));
          const pipeline: PipelineStage[] = [{ $match: match }, { $group: { _id, ...sums } }];
          return this.model.aggregate<GroupOut>(pipeline).allowDiskUse(true).exec();
        }),
      );
      return mergeGroups(query, outs.flat());
    } catch (err) {
      return handleMongoError(err, 'cost_rollups.aggregate');
    }
  }

  async dataRange(): Promise<{ from: Day; to: Day } | null> {
    try {
      const [first, last] = await Promise.all([this.edgeDay(1), this.edgeDay(-1)]);
      return first && last ? { from: first, to: last } : null;
    } catch (err) {
      return handleMongoError(err, 'cost_rollups.dataRange');
    }
  }

  /**
   * Each sub-account with its latest name: the name on its last day, and among rollups of that day the one written
   * last (ObjectIds grow with insertion order). FerretDB has no `$first`/`$last`/`$max` accumulators, so distinct
   * (id, name, provider) triples are grouped on the server and only ids with several are resolved by a sorted find.
   */
  async accounts(): Promise<AccountName[]> {
    try {
      const triples = await this.model
        .aggregate<{ _id: AccountName }>([
          {
            $group: {
              _id: { subAccountId: '$subAccountId', subAccountName: '$subAccountName', provider: '$provider' },
              n: { $sum: 1 },
            },
          },
        ])
        .exec();
      const byId = new Map<string, AccountName[]>();
      for (const { _id } of triples) byId.set(_id.subAccountId, [...(byId.get(_id.subAccountId) ?? []), _id]);
      const picked = await Promise.all([...byId.values()].map((names) => this.latestName(names)));
      return picked.sort((a, b) => a.subAccountId.localeCompare(b.subAccountId));
    } catch (err) {
      return handleMongoError(err, 'cost_rollups.accounts');
    }
  }

  async tagKeys(): Promise<string[]> {
    try {
      // `distinct` descends into arrays of documents on MongoDB and on FerretDB alike.
      const keys = await this.model.distinct('tags.key').exec();
      return keys.map(String).sort();
    } catch (err) {
      return handleMongoError(err, 'cost_rollups.tagKeys');
    }
  }

  private async edgeDay(direction: 1 | -1): Promise<Day | undefined> {
    const doc = await this.model.findOne({}, { day: 1, _id: 0 }).sort({ day: direction }).lean<{ day: Day }>().exec();
    return doc?.day;
  }

  private async latestName(names: AccountName[]): Promise<AccountName> {
    const only = names[0]!;
    if (names.length === 1) return { ...only };
    const doc = await this.model
      .findOne({ subAccountId: only.subAccountId }, { subAccountName: 1, provider: 1, _id: 0 })
      .sort({ day: -1, _id: -1 })
      .lean<{ subAccountName: string; provider: string }>()
      .exec();
    return {
      subAccountId: only.subAccountId,
      subAccountName: doc?.subAccountName ?? only.subAccountName,
      provider: doc?.provider ?? only.provider,
    };
  }
}

/**
 * The `$match` for a day range and filter. Tag pairs use `$all` of exact `{ key, value }` subdocuments, so that key and
 * value must sit on one entry. FerretDB v1.24.2's `$elemMatch` cannot do this: it rejects conditions on more than one
 * field and never matches a document element (`filterFieldExprElemMatch` in `common/filter.go`; see REFERENCE.md §7.3).
 */
function buildMatch(from: Day, to: Day, filter: CostFilter | undefined): Record<string, unknown> {
  const match: Record<string, unknown> = { day: { $gte: from, $lte: to } };
  const allow = (field: keyof CostRollupDoc, list: string[] | undefined) => {
    if (list && list.length > 0) match[field] = { $in: list };
  };
  allow('provider', filter?.providers);
  allow('subAccountId', filter?.subAccountIds);
  allow('serviceName', filter?.services);
  allow('serviceCategory', filter?.categories);
  allow('region', filter?.regions);
  const tags = filter?.tags ?? [];
  // Field order matters for subdocument equality: stored tags are always `{ key, value }`.
  if (tags.length > 0) match.tags = { $all: tags.map((t) => ({ key: t.key, value: t.value })) };
  return match;
}

/** The `$group` `_id`: one `k<i>` per dimension, plus day and currency. */
function groupId(query: AggregateQuery): Record<string, string> {
  const id: Record<string, string> = {};
  query.groupBy.forEach((d, i) => {
    id[`k${i}`] = d.kind === 'tag' ? `$tagsByKey.${tagFieldName(d.key)}` : `$${DIMENSION_FIELDS[d.kind]}`;
  });
  if (query.byDay) id.day = '$day';
  id.cur = '$currency';
  return id;
}

/** A row being merged: compensated sums, as the in-process store keeps them. */
interface Merging {
  keys: string[];
  day: Day | undefined;
  currency: string;
  sums: Record<Exclude<SumField, 'rows'>, CompensatedSum>;
  rows: number;
}

/** Joins the outputs of the per-sum pipelines into rows (the outputs of one pipeline pass through as they are). */
function mergeGroups(query: AggregateQuery, outs: GroupOut[]): AggregateRow[] {
  const merged = new Map<string, Merging>();
  for (const out of outs) {
    const keys = query.groupBy.map((d, i) => {
      const v = out._id[`k${i}`];
      return d.kind === 'tag' && (v === undefined || v === null) ? UNTAGGED : String(v);
    });
    const day = query.byDay ? (out._id.day ?? undefined) : undefined;
    const currency = String(out._id.cur);
    const id = JSON.stringify([keys, day ?? null, currency]);
    let m = merged.get(id);
    if (!m) {
      const sums = { billed: new CompensatedSum(), effective: new CompensatedSum(), list: new CompensatedSum() };
      m = { keys, day, currency, sums, rows: 0 };
      merged.set(id, m);
    }
    if (out.billed !== undefined) m.sums.billed.add(out.billed);
    if (out.effective !== undefined) m.sums.effective.add(out.effective);
    if (out.list !== undefined) m.sums.list.add(out.list);
    if (out.rows !== undefined) m.rows += out.rows;
  }
  return [...merged.values()].map((m) => ({
    keys: m.keys,
    ...(m.day ? { day: m.day } : {}),
    currency: m.currency,
    billed: m.sums.billed.value,
    effective: m.sums.effective.value,
    list: m.sums.list.value,
    rows: m.rows,
  }));
}

/** Copies exactly the stored fields (no extra properties reach the database). */
function toDocument(r: DailyRollup): CostRollupDoc {
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
    tags: r.tags.map((t) => ({ key: t.key, value: t.value })),
    tagsByKey: Object.fromEntries(r.tags.map((t) => [tagFieldName(t.key), t.value])),
    billed: r.billed,
    effective: r.effective,
    list: r.list,
    rows: r.rows,
  };
}
