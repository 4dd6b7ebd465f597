import type { Connection, Model, QueryFilter } from 'mongoose';
import type { ProposedAction, ResourceFacts, Tag } from '../../src/actions/action.types.js';
import type {
  Actor,
  Approval,
  ExecutionRecord,
  Identity,
  Verification,
  Vote,
} from '../../src/approvals/approval.types.js';
import type { RiskRule } from '../../src/approvals/approval-policy.types.js';
import type { ApprovalQuery, ApprovalRepository } from '../../src/approvals/approval-repository.port.js';
import type { BatchRecord } from '../../src/approvals/batch/batch.types.js';
import type { UndoPlan, UndoRecord } from '../../src/approvals/undo/undo.types.js';
import { TallyError } from '../../src/shared/errors.js';
import type { ApprovalClaimDoc, ApprovalDoc } from './approval.model.js';
import { createApprovalClaimModel, createApprovalModel } from './approval.model.js';
import { handleMongoError } from './mongo-connection.js';

const DEFAULT_LIMIT = 100;
/** MongoDB's duplicate key error code. */
const DUPLICATE_KEY = 11000;
/** What turns a superseded version into a tombstone: every field but `id` and `version` (all listed, by type). */
const TOMBSTONE_UNSET: Record<Exclude<keyof Approval, 'id' | 'version'>, 1> = {
  state: 1,
  action: 1,
  reason: 1,
  requester: 1,
  rule: 1,
  tier: 1,
  votes: 1,
  origin: 1,
  messages: 1,
  createdAt: 1,
  updatedAt: 1,
  expiresAt: 1,
  decidedAt: 1,
  decision: 1,
  execution: 1,
  scheduledFor: 1,
  undo: 1,
  batch: 1,
  batchOf: 1,
};

/**
 * `ApprovalRepository` on MongoDB (collection `approvals`). Returns plain domain objects, never documents.
 *
 * Why versions are inserted instead of replaced: FerretDB v1.24 (the MongoDB-wire server of the tests) runs
 * `replaceOne`, `updateOne` and `findOneAndUpdate` as a query followed by an unconditional write by `_id`, so two
 * writers filtering on the same `version` both "match" and the last one wins (measured: 3 of 20 concurrent writers
 * succeeded). Its only atomic check is a unique index on insert. So each version is its own document under a unique
 * (`id`, `version`) index: `update` inserts version N only if version N - 1 exists, and the server lets exactly one
 * writer of N in. Versions before N then become tombstones (`{ id, version, superseded: true }`). They are never
 * deleted: a deleted N could be inserted again by a writer that checked N - 1 long ago. Readers take the highest
 * version, so a version a crash left untombstoned is never returned, and the next update tombstones it. No
 * transactions (FerretDB has none); MongoDB behaves the same.
 */
export class MongoApprovalRepository implements ApprovalRepository {
  private readonly model: Model<ApprovalDoc>;
  private readonly claims: Model<ApprovalClaimDoc>;

  constructor(conn: Connection) {
    this.model = createApprovalModel(conn);
    this.claims = createApprovalClaimModel(conn);
  }

  /** Builds the repository and its indexes (see {@link MongoApprovalRepository.init}). */
  static async create(conn: Connection): Promise<MongoApprovalRepository> {
    const repo = new MongoApprovalRepository(conn);
    await repo.init();
    return repo;
  }

  /**
   * Creates the collections and their indexes (unique `id` + `version`, `state`, `createdAt`; claims unique on
   * `key`); idempotent.
   */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
      await this.claims.init();
      await this.claims.createIndexes();
    } catch (err) {
      handleMongoError(err, 'approvals.init');
    }
  }

  /** Stores a new approval. An existing `id` fails with `STORE_UNAVAILABLE` (`mongoCode` 11000, duplicate key). */
  async create(approval: Approval): Promise<void> {
    try {
      // The unique index refuses a second create of the same version; this refuses one of an updated approval.
      if (await this.model.exists({ id: approval.id }).exec()) throw duplicateKey();
      await this.model.create(copyApproval(approval));
    } catch (err) {
      handleMongoError(err, 'approvals.create');
    }
  }

  /** A unique-index insert (see the class comment): of concurrent claims of one key the server admits one. */
  async claim(key: string, approvalId: string): Promise<string | null> {
    try {
      await this.claims.create({ key, approvalId });
      return null;
    } catch (err) {
      if (mongoCode(err) !== DUPLICATE_KEY) return handleMongoError(err, 'approvals.claim');
    }
    try {
      const held = await this.claims.findOne({ key }, { _id: 0 }).lean<ApprovalClaimDoc>().exec();
      // Released between the insert and the read: '' names no approval, so the caller takes it over and tries again.
      return held?.approvalId === approvalId ? null : (held?.approvalId ?? '');
    } catch (err) {
      return handleMongoError(err, 'approvals.claim');
    }
  }

  async releaseClaim(key: string, approvalId: string): Promise<void> {
    try {
      await this.claims.deleteOne({ key, approvalId }).exec();
    } catch (err) {
      handleMongoError(err, 'approvals.releaseClaim');
    }
  }

  async get(id: string): Promise<Approval | null> {
    try {
      const doc = await this.model.findOne({ id }, { _id: 0 }).sort({ version: -1 }).lean<ApprovalDoc>().exec();
      return doc ? copyApproval(doc) : null;
    } catch (err) {
      return handleMongoError(err, 'approvals.get');
    }
  }

  async update(approval: Approval): Promise<boolean> {
    const { id, version } = approval;
    try {
      // Nothing is deleted and version N is only inserted after N - 1, so if N - 1 exists and N can be inserted,
      // N - 1 was the latest.
      if (!(await this.model.exists({ id, version: version - 1 }).exec())) return false;
      await this.model.create(copyApproval(approval));
    } catch (err) {
      if (mongoCode(err) === DUPLICATE_KEY) return false;
      return handleMongoError(err, 'approvals.update');
    }
    // The update is done; should this fail, readers skip the old version anyway and the next update retries it.
    await this.model
      .updateMany(
        { id, version: { $lt: version }, superseded: { $ne: true } },
        { $set: { superseded: true }, $unset: TOMBSTONE_UNSET },
      )
      .exec()
      .catch(() => undefined);
    return true;
  }

  /**
   * Newest first by `createdAt`; approvals created at the same instant by descending `id`. Filters apply to the
   * latest version of each approval only.
   */
  async list(query: ApprovalQuery): Promise<Approval[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // `limit(0)` means "no limit" to MongoDB, while the port means "none".
    if (limit <= 0) return [];
    const filter = toFilter(query);
    const found = new Map<string, Approval>();
    try {
      for (let skip = 0; found.size < limit; skip += limit) {
        const page = await this.model
          .find(filter, { _id: 0 })
          .sort({ createdAt: -1, id: -1, version: -1 })
          .skip(skip)
          .limit(limit)
          .lean<ApprovalDoc[]>()
          .exec();
        for (const doc of await this.latestOf(page, filter)) {
          if (found.size < limit && !found.has(doc.id)) found.set(doc.id, copyApproval(doc));
        }
        if (page.length < limit) break;
      }
    } catch (err) {
      return handleMongoError(err, 'approvals.list');
    }
    return [...found.values()];
  }

  /**
   * `docs` in the same order, each one the latest version of its approval: a version read just before an update
   * landed (or one a crash left untombstoned) is swapped for the newer one if that matches `filter` too, and
   * dropped if not.
   */
  private async latestOf(docs: ApprovalDoc[], filter: QueryFilter<ApprovalDoc>): Promise<ApprovalDoc[]> {
    if (docs.length === 0) return [];
    const ids = [...new Set(docs.map((d) => d.id))];
    const versions = await this.model
      .find({ id: { $in: ids } }, { _id: 0, id: 1, version: 1 })
      .lean<{ id: string; version: number }[]>()
      .exec();
    const latest = new Map<string, number>();
    for (const v of versions) latest.set(v.id, Math.max(v.version, latest.get(v.id) ?? v.version));
    const stale = ids.filter((id) => docs.some((d) => d.id === id && d.version !== latest.get(id)));
    const newer = new Map<string, ApprovalDoc>();
    if (stale.length > 0) {
      const rows = await this.model
        .find({ ...filter, id: { $in: stale } }, { _id: 0 })
        .lean<ApprovalDoc[]>()
        .exec();
      for (const r of rows) {
        if (r.version >= (latest.get(r.id) ?? 0) && r.version > (newer.get(r.id)?.version ?? 0)) newer.set(r.id, r);
      }
    }
    return docs.flatMap((d) => {
      if (d.version === latest.get(d.id)) return [d];
      const replacement = newer.get(d.id);
      return replacement ? [replacement] : [];
    });
  }
}

function toFilter(query: ApprovalQuery): QueryFilter<ApprovalDoc> {
  const filter: QueryFilter<ApprovalDoc> = { superseded: { $ne: true } };
  // An empty list of states filters nothing, like the empty allow-lists of cost queries.
  if (query.states?.length) filter.state = { $in: query.states };
  if (query.accountId !== undefined) filter['action.target.accountId'] = query.accountId;
  if (query.executionStartedFrom !== undefined) filter['execution.startedAt'] = { $gte: query.executionStartedFrom };
  return filter;
}

/** The server's numeric error code, if `err` carries one. */
function mongoCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A duplicate found before writing, reported as the server reports one it finds (see `handleMongoError`). */
function duplicateKey(): TallyError {
  return new TallyError('STORE_UNAVAILABLE', 'The data store (MONGODB_URI) failed during approvals.create.', {
    metadata: { operation: 'approvals.create', mongoCode: DUPLICATE_KEY },
  });
}

/** `{ [key]: value }` when the value is there, `{}` otherwise: absent optional fields stay absent both ways. */
function present<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === undefined || value === null ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * A fresh copy of an approval holding exactly the fields of the domain type: used to write a document (nothing
 * unknown reaches the schema) and to read one (no `_id`, no mongoose types, no `null` for an absent field).
 */
function copyApproval(a: Approval): Approval {
  return {
    id: a.id,
    version: a.version,
    state: a.state,
    action: copyAction(a.action),
    reason: a.reason,
    requester: copyActor(a.requester),
    rule: copyRule(a.rule),
    tier: a.tier,
    votes: (a.votes ?? []).map(copyVote),
    origin: {
      platform: a.origin.platform,
      ...present('channel', a.origin.channel),
      ...present('thread', a.origin.thread),
    },
    messages: (a.messages ?? []).map((m) => ({ platform: m.platform, channel: m.channel, messageId: m.messageId })),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    expiresAt: a.expiresAt,
    ...present('decidedAt', a.decidedAt),
    ...present('decision', a.decision ? { by: a.decision.by, reason: a.decision.reason } : undefined),
    ...present('execution', a.execution ? copyExecution(a.execution) : undefined),
    ...present('scheduledFor', a.scheduledFor),
    ...present('undo', a.undo ? copyUndo(a.undo) : undefined),
    ...present('batch', a.batch ? copyBatch(a.batch) : undefined),
    ...present('batchOf', a.batchOf),
  };
}

/** A batch's items and results with only the fields that are there. */
function copyBatch(b: BatchRecord): BatchRecord {
  return {
    items: (b.items ?? []).map(copyAction),
    ...present(
      'results',
      b.results?.map((r) => ({
        resourceId: r.resourceId,
        approvalId: r.approvalId,
        outcome: r.outcome,
        ...present('reason', r.reason),
        ...present('undone', r.undone),
      })),
    ),
    ...present('startedAt', b.startedAt),
    ...present('finishedAt', b.finishedAt),
    ...present('summary', b.summary),
  };
}

/** An undo record with only the fields that are there (the plan is stored as a superset of its variants). */
function copyUndo(u: UndoRecord): UndoRecord {
  const plan = Object.fromEntries(
    Object.entries(u.plan).filter(([, v]) => v !== undefined && v !== null),
  ) as unknown as UndoPlan;
  if ('tags' in plan) plan.tags = plan.tags.map((t) => ({ key: t.key, value: t.value ?? '' }));
  if ('attachment' in plan && plan.attachment)
    plan.attachment = { instanceId: plan.attachment.instanceId, device: plan.attachment.device };
  return {
    plan,
    recordedAt: u.recordedAt,
    ...present('until', u.until),
    ...present('state', u.state),
    requestedBy: [...(u.requestedBy ?? [])],
    ...present('startedAt', u.startedAt),
    ...present('finishedAt', u.finishedAt),
    steps: [...(u.steps ?? [])],
    ...present('reason', u.reason),
    ...present('createdId', u.createdId),
  };
}

function copyIdentity(i: Identity): Identity {
  return { platform: i.platform, id: i.id, ...present('name', i.name) };
}

function copyActor(a: Actor): Actor {
  return { person: a.person, via: copyIdentity(a.via) };
}

function copyVote(v: Vote): Vote {
  return { voter: copyActor(v.voter), decision: v.decision, ...present('reason', v.reason), at: v.at };
}

function copyExecution(e: ExecutionRecord): ExecutionRecord {
  const r = e.rollback;
  return {
    startedAt: e.startedAt,
    ...present('finishedAt', e.finishedAt),
    ...present('outcome', e.outcome),
    ...present('reason', e.reason),
    steps: [...(e.steps ?? [])],
    ...present(
      'rollback',
      r && {
        ...present('previousInstanceType', r.previousInstanceType),
        ...present('snapshotId', r.snapshotId),
        ...present('publicIp', r.publicIp),
        note: r.note,
      },
    ),
    attempts: e.attempts,
    ...present('verification', e.verification && copyVerification(e.verification)),
  };
}

function copyVerification(v: Verification): Verification {
  return { at: v.at, confirmed: v.confirmed, state: v.state, ...present('reason', v.reason) };
}

function copyRule(r: RiskRule): RiskRule {
  return {
    tiers: (r.tiers ?? []).map((t) => ({ approvers: [...(t.approvers ?? [])], quorum: t.quorum })),
    requesterMayVote: r.requesterMayVote,
    remindAfterMs: r.remindAfterMs,
    escalateAfterMs: r.escalateAfterMs,
    expireAfterMs: r.expireAfterMs,
    onExpiry: r.onExpiry,
  };
}

function copyAction(a: ProposedAction): ProposedAction {
  const t = a.target;
  return {
    kind: a.kind,
    target: {
      provider: t.provider,
      accountId: t.accountId,
      region: t.region,
      resourceType: t.resourceType,
      resourceId: t.resourceId,
    },
    facts: copyFacts(a.facts),
    // An empty `params` is not stored (mongoose minimizes empty objects): it comes back as `{}`.
    params: present('instanceType', a.params?.instanceType),
    monthlySavings: a.monthlySavings,
    currency: a.currency,
    risk: a.risk,
    summary: a.summary,
  };
}

/** The stored superset of fields, mapped back to the variant `resourceType` names. */
function copyFacts(f: ResourceFacts): ResourceFacts {
  const common = { id: f.id, tags: (f.tags ?? []).map((t: Tag) => ({ key: t.key, value: t.value })) };
  switch (f.resourceType) {
    case 'instance':
      return {
        resourceType: f.resourceType,
        ...common,
        instanceType: f.instanceType,
        state: f.state,
        ...present('launchTime', f.launchTime),
        ...present('name', f.name),
      };
    case 'volume':
      return {
        resourceType: f.resourceType,
        ...common,
        sizeGiB: f.sizeGiB,
        volumeType: f.volumeType,
        state: f.state,
        ...present('createdAt', f.createdAt),
        attachedTo: [...(f.attachedTo ?? [])],
        ...present('name', f.name),
      };
    case 'address':
      return {
        resourceType: f.resourceType,
        ...common,
        publicIp: f.publicIp,
        ...present('associationId', f.associationId),
        ...present('instanceId', f.instanceId),
        ...present('networkBorderGroup', f.networkBorderGroup),
        ...present('name', f.name),
      };
  }
}
