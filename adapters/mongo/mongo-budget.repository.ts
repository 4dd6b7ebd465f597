import type { Connection, Model } from 'mongoose';
import type { Budget, BudgetCrossing, BudgetRepository } from '../../src/budgets/budget.types.js';
import type { BudgetCrossingDoc, BudgetDoc } from './budget.model.js';
import { createBudgetModels } from './budget.model.js';
import { handleMongoError } from './mongo-connection.js';

/** MongoDB's duplicate key error code. */
const DUPLICATE_KEY = 11000;

/**
 * `BudgetRepository` on MongoDB (collections `budgets` and `budget_crossings`). Returns plain domain objects. A
 * crossing is claimed by inserting it under a unique index, the one atomic check FerretDB v1.24 has
 * (docs/architecture.md#state-stores).
 */
export class MongoBudgetRepository implements BudgetRepository {
  private readonly budgets: Model<BudgetDoc>;
  private readonly crossingModel: Model<BudgetCrossingDoc>;

  constructor(conn: Connection) {
    const models = createBudgetModels(conn);
    this.budgets = models.budgets;
    this.crossingModel = models.crossings;
  }

  /** Builds the repository and its indexes (see {@link MongoBudgetRepository.init}). */
  static async create(conn: Connection): Promise<MongoBudgetRepository> {
    const repo = new MongoBudgetRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collections and their unique indexes (`name`; budget + period + kind + percent); idempotent. */
  async init(): Promise<void> {
    try {
      for (const model of [this.budgets, this.crossingModel] as Model<unknown>[]) {
        await model.init();
        await model.createIndexes();
      }
    } catch (err) {
      handleMongoError(err, 'budgets.init');
    }
  }

  /** Stores the budget, replacing the one with the same name (an upsert). */
  async save(budget: Budget): Promise<void> {
    try {
      await this.budgets.replaceOne({ name: budget.name }, toBudget(budget), { upsert: true }).exec();
    } catch (err) {
      handleMongoError(err, 'budgets.save');
    }
  }

  async get(name: string): Promise<Budget | null> {
    try {
      const doc = await this.budgets.findOne({ name }, { _id: 0 }).lean<BudgetDoc>().exec();
      return doc ? toBudget(doc) : null;
    } catch (err) {
      return handleMongoError(err, 'budgets.get');
    }
  }

  async remove(name: string): Promise<boolean> {
    try {
      return (await this.budgets.deleteOne({ name }).exec()).deletedCount > 0;
    } catch (err) {
      return handleMongoError(err, 'budgets.remove');
    }
  }

  /** By name. */
  async list(): Promise<Budget[]> {
    try {
      const docs = await this.budgets.find({}, { _id: 0 }).sort({ name: 1 }).lean<BudgetDoc[]>().exec();
      return docs.map(toBudget);
    } catch (err) {
      return handleMongoError(err, 'budgets.list');
    }
  }

  async claimCrossing(crossing: BudgetCrossing): Promise<boolean> {
    try {
      await this.crossingModel.create(toCrossing(crossing));
      return true;
    } catch (err) {
      if ((err as { code?: unknown })?.code === DUPLICATE_KEY) return false;
      return handleMongoError(err, 'budget_crossings.claim');
    }
  }

  async crossings(budget: string, period: string): Promise<BudgetCrossing[]> {
    try {
      const docs = await this.crossingModel
        .find({ budget, period }, { _id: 0 })
        .sort({ percent: 1, kind: 1 })
        .lean<BudgetCrossingDoc[]>()
        .exec();
      return docs.map(toCrossing);
    } catch (err) {
      return handleMongoError(err, 'budget_crossings.list');
    }
  }
}

/** A fresh plain object with exactly the domain fields (no `_id`, no mongoose types), in either direction. */
function toBudget(b: Budget): Budget {
  return {
    name: b.name,
    filter: structuredClone(b.filter ?? {}),
    metric: b.metric,
    period: b.period,
    amount: b.amount,
    currency: b.currency,
    owners: [...(b.owners ?? [])],
    ...(b.channel ? { channel: b.channel } : {}),
    thresholds: { actual: [...(b.thresholds?.actual ?? [])], forecast: [...(b.thresholds?.forecast ?? [])] },
    ...(b.exception
      ? {
          exception: {
            period: b.exception.period,
            amount: b.exception.amount,
            ...(b.exception.reason ? { reason: b.exception.reason } : {}),
            ...(b.exception.approvalId ? { approvalId: b.exception.approvalId } : {}),
          },
        }
      : {}),
    origin: b.origin,
    updatedBy: b.updatedBy ?? '',
    updatedAt: b.updatedAt,
  };
}

function toCrossing(c: BudgetCrossing): BudgetCrossing {
  return {
    budget: c.budget,
    period: c.period,
    kind: c.kind,
    percent: c.percent,
    at: c.at,
    ...(c.through ? { through: c.through } : {}),
  };
}
