import type { Connection, Model, QueryFilter } from 'mongoose';
import type { Actor, Vote } from '../../src/approvals/approval.types.js';
import type { BudgetChange, BudgetChangeState } from '../../src/budgets/budget-change.types.js';
import type { BudgetChangeRepository } from '../../src/budgets/budget-change-repository.port.js';
import { TallyError } from '../../src/shared/errors.js';
import type { BudgetChangeDoc } from './budget-change.model.js';
import { createBudgetChangeModel } from './budget-change.model.js';
import { handleMongoError } from './mongo-connection.js';

const DEFAULT_LIMIT = 100;
/** MongoDB's duplicate key error code. */
const DUPLICATE_KEY = 11000;
/** What turns a superseded version into a tombstone: every field but `id` and `version`. */
const TOMBSTONE_UNSET: Record<Exclude<keyof BudgetChange, 'id' | 'version'>, 1> = {
  state: 1,
  budget: 1,
  currency: 1,
  oldAmount: 1,
  newAmount: 1,
  oneOff: 1,
  reason: 1,
  requester: 1,
  rule: 1,
  tier: 1,
  votes: 1,
  figures: 1,
  origin: 1,
  messages: 1,
  createdAt: 1,
  updatedAt: 1,
  expiresAt: 1,
  decidedAt: 1,
  decision: 1,
};

/**
 * `BudgetChangeRepository` on MongoDB (collection `budget_changes`), with the versioned inserts of
 * `MongoApprovalRepository` (see its class comment: FerretDB's only atomic check is a unique index on insert, so each
 * version is its own document under a unique (`id`, `version`) index and readers take the highest).
 */
export class MongoBudgetChangeRepository implements BudgetChangeRepository {
  private readonly model: Model<BudgetChangeDoc>;

  constructor(conn: Connection) {
    this.model = createBudgetChangeModel(conn);
  }

  static async create(conn: Connection): Promise<MongoBudgetChangeRepository> {
    const repo = new MongoBudgetChangeRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collection and its indexes (unique `id` + `version`; `state` + `createdAt`); idempotent. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'budget_changes.init');
    }
  }

  async create(change: BudgetChange): Promise<void> {
    try {
      if (await this.model.exists({ id: change.id }).exec())
        throw new TallyError('STORE_UNAVAILABLE', 'The data store (MONGODB_URI) failed during budget_changes.create.', {
          metadata: { operation: 'budget_changes.create', mongoCode: DUPLICATE_KEY },
        });
      await this.model.create(copyChange(change));
    } catch (err) {
      handleMongoError(err, 'budget_changes.create');
    }
  }

  async get(id: string): Promise<BudgetChange | null> {
    try {
      const doc = await this.model.findOne({ id }, { _id: 0 }).sort({ version: -1 }).lean<BudgetChangeDoc>().exec();
      return doc && !doc.superseded ? copyChange(doc) : null;
    } catch (err) {
      return handleMongoError(err, 'budget_changes.get');
    }
  }

  async update(change: BudgetChange): Promise<boolean> {
    const { id, version } = change;
    try {
      if (!(await this.model.exists({ id, version: version - 1 }).exec())) return false;
      await this.model.create(copyChange(change));
    } catch (err) {
      if ((err as { code?: unknown } | null)?.code === DUPLICATE_KEY) return false;
      return handleMongoError(err, 'budget_changes.update');
    }
    // Readers skip older versions anyway; should this fail, the next update tombstones them.
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
   * Newest first by `createdAt`, then descending id. Budget changes are few, so each candidate is read again at
   * its latest version, and kept only when that still matches (a version read just before an update landed).
   */
  async list(query: { states?: BudgetChangeState[]; budget?: string; limit?: number }): Promise<BudgetChange[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (limit <= 0) return [];
    const filter: QueryFilter<BudgetChangeDoc> = { superseded: { $ne: true } };
    if (query.states?.length) filter.state = { $in: query.states };
    if (query.budget !== undefined) filter.budget = query.budget;
    const states = query.states?.length ? new Set<string>(query.states) : null;
    try {
      const docs = await this.model
        .find(filter, { _id: 0, id: 1 })
        .sort({ createdAt: -1, id: -1 })
        .limit(limit * 2)
        .lean<{ id: string }[]>()
        .exec();
      const found: BudgetChange[] = [];
      for (const id of new Set(docs.map((d) => d.id))) {
        const latest = await this.get(id);
        if (!latest || (states && !states.has(latest.state))) continue;
        if (query.budget !== undefined && latest.budget !== query.budget) continue;
        if (found.length < limit) found.push(latest);
      }
      return found;
    } catch (err) {
      return handleMongoError(err, 'budget_changes.list');
    }
  }
}

function present<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === undefined || value === null ? {} : ({ [key]: value } as Record<K, V>);
}

function copyActor(a: Actor): Actor {
  return { person: a.person, via: { platform: a.via.platform, id: a.via.id, ...present('name', a.via.name) } };
}

function copyVote(v: Vote): Vote {
  return { voter: copyActor(v.voter), decision: v.decision, ...present('reason', v.reason), at: v.at };
}

/** A fresh copy with exactly the domain fields, both ways (no `_id`, no `superseded`, no `null` for absent). */
function copyChange(c: BudgetChange): BudgetChange {
  return {
    id: c.id,
    version: c.version,
    state: c.state,
    budget: c.budget,
    currency: c.currency,
    oldAmount: c.oldAmount,
    newAmount: c.newAmount,
    ...present('oneOff', c.oneOff ? { period: c.oneOff.period, label: c.oneOff.label } : undefined),
    reason: c.reason ?? '',
    requester: copyActor(c.requester),
    rule: {
      tiers: (c.rule.tiers ?? []).map((t) => ({ approvers: [...(t.approvers ?? [])], quorum: t.quorum })),
      requesterMayVote: c.rule.requesterMayVote,
      remindAfterMs: c.rule.remindAfterMs,
      escalateAfterMs: c.rule.escalateAfterMs,
      expireAfterMs: c.rule.expireAfterMs,
      onExpiry: c.rule.onExpiry,
    },
    tier: c.tier,
    votes: (c.votes ?? []).map(copyVote),
    figures: { period: c.figures.period ?? '', spent: c.figures.spent, forecast: c.figures.forecast },
    origin: {
      platform: c.origin.platform,
      ...present('channel', c.origin.channel),
      ...present('thread', c.origin.thread),
    },
    messages: (c.messages ?? []).map((m) => ({ platform: m.platform, channel: m.channel, messageId: m.messageId })),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    expiresAt: c.expiresAt,
    ...present('decidedAt', c.decidedAt),
    ...present('decision', c.decision ? { by: c.decision.by, reason: c.decision.reason } : undefined),
  };
}
