import type { Connection, Model } from 'mongoose';
import type {
  RecommendationDismissal,
  RecommendationDismissalRepository,
} from '../../src/recommendations/recommendation-dismissal.types.js';
import { handleMongoError } from './mongo-connection.js';
import {
  createRecommendationDismissalModel,
  type RecommendationDismissalDoc,
} from './recommendation-dismissal.model.js';

/** MongoDB's duplicate key error: two first puts of one target raced and the unique index let only one insert. */
const DUPLICATE_KEY = 11000;

/**
 * `RecommendationDismissalRepository` on MongoDB (collection `recommendation_dismissals`): one document per
 * conversation and target under a unique index, written with a replace-upsert (the latest dismissal wins, so no
 * compare-and-set is needed, which suits FerretDB). Expired dismissals stay as history and are filtered by `until`
 * when read; no TTL index.
 */
export class MongoRecommendationDismissalRepository implements RecommendationDismissalRepository {
  private readonly model: Model<RecommendationDismissalDoc>;

  constructor(conn: Connection) {
    this.model = createRecommendationDismissalModel(conn);
  }

  /** Builds the repository and its index (see {@link MongoRecommendationDismissalRepository.init}). */
  static async create(conn: Connection): Promise<MongoRecommendationDismissalRepository> {
    const repo = new MongoRecommendationDismissalRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collection and its unique index on conversation and target; idempotent. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'recommendation_dismissals.init');
    }
  }

  async put(dismissal: RecommendationDismissal): Promise<void> {
    const { conversation, target } = dismissal;
    const replace = () => this.model.replaceOne({ conversation, target }, toDoc(dismissal), { upsert: true }).exec();
    try {
      try {
        await replace();
      } catch (err) {
        if ((err as { code?: unknown }).code !== DUPLICATE_KEY) throw err;
        await replace();
      }
    } catch (err) {
      handleMongoError(err, 'recommendation_dismissals.put');
    }
  }

  async active(conversation: string, at: Date): Promise<RecommendationDismissal[]> {
    try {
      const docs = await this.model
        .find({ conversation, until: { $gt: at } }, { _id: 0 })
        .sort({ at: 1 })
        .lean<RecommendationDismissalDoc[]>()
        .exec();
      return docs.map(fromDoc);
    } catch (err) {
      return handleMongoError(err, 'recommendation_dismissals.active');
    }
  }

  /** `findOneAndDelete` without a projection: FerretDB does not implement one in findAndModify. */
  async remove(conversation: string, target: string): Promise<RecommendationDismissal | null> {
    try {
      const doc = await this.model.findOneAndDelete({ conversation, target }).lean<RecommendationDismissalDoc>().exec();
      return doc ? fromDoc(doc) : null;
    } catch (err) {
      return handleMongoError(err, 'recommendation_dismissals.remove');
    }
  }
}

function toDoc(d: RecommendationDismissal): RecommendationDismissalDoc {
  return {
    conversation: d.conversation,
    target: d.target,
    kind: d.kind,
    ...(d.reason !== undefined ? { reason: d.reason } : {}),
    by: d.by,
    at: new Date(d.at),
    until: new Date(d.until),
  };
}

function fromDoc(doc: RecommendationDismissalDoc): RecommendationDismissal {
  return {
    conversation: doc.conversation,
    target: doc.target,
    kind: doc.kind,
    ...(doc.reason !== undefined && doc.reason !== null ? { reason: doc.reason } : {}),
    by: doc.by,
    at: new Date(doc.at).toISOString(),
    until: new Date(doc.until).toISOString(),
  };
}
