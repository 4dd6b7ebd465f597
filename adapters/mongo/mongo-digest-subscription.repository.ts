import type { Connection, Model, QueryFilter } from 'mongoose';
import type { DigestSubscription, DigestSubscriptionRepository } from '../../src/reports/digest.types.js';
import type { DigestSubscriptionDoc } from './digest-subscription.model.js';
import { createDigestSubscriptionModel } from './digest-subscription.model.js';
import { handleMongoError } from './mongo-connection.js';

/** `DigestSubscriptionRepository` on MongoDB (collection `digest_subscriptions`). Returns plain domain objects. */
export class MongoDigestSubscriptionRepository implements DigestSubscriptionRepository {
  private readonly model: Model<DigestSubscriptionDoc>;

  constructor(conn: Connection) {
    this.model = createDigestSubscriptionModel(conn);
  }

  /** Builds the repository and its indexes (see {@link MongoDigestSubscriptionRepository.init}). */
  static async create(conn: Connection): Promise<MongoDigestSubscriptionRepository> {
    const repo = new MongoDigestSubscriptionRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collection and its indexes (unique `id`; `channel` + `createdAt`); idempotent. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'digest_subscriptions.init');
    }
  }

  /** Stores the subscription, replacing the one with the same `id` (an upsert). */
  async save(subscription: DigestSubscription): Promise<void> {
    try {
      await this.model.replaceOne({ id: subscription.id }, toDocument(subscription), { upsert: true }).exec();
    } catch (err) {
      handleMongoError(err, 'digest_subscriptions.save');
    }
  }

  async get(id: string): Promise<DigestSubscription | null> {
    try {
      const doc = await this.model.findOne({ id }, { _id: 0 }).lean<DigestSubscriptionDoc>().exec();
      return doc ? toDocument(doc) : null;
    } catch (err) {
      return handleMongoError(err, 'digest_subscriptions.get');
    }
  }

  async remove(id: string): Promise<boolean> {
    try {
      const result = await this.model.deleteOne({ id }).exec();
      return result.deletedCount > 0;
    } catch (err) {
      return handleMongoError(err, 'digest_subscriptions.remove');
    }
  }

  /** Oldest first by `createdAt`, then by `id`. */
  async list(query: { channel?: string } = {}): Promise<DigestSubscription[]> {
    const filter: QueryFilter<DigestSubscriptionDoc> = query.channel === undefined ? {} : { channel: query.channel };
    try {
      const docs = await this.model
        .find(filter, { _id: 0 })
        .sort({ createdAt: 1, id: 1 })
        .lean<DigestSubscriptionDoc[]>()
        .exec();
      return docs.map(toDocument);
    } catch (err) {
      return handleMongoError(err, 'digest_subscriptions.list');
    }
  }
}

/** A fresh plain object with exactly the domain fields (no `_id`, no mongoose types), in either direction. */
function toDocument(s: DigestSubscription): DigestSubscription {
  return {
    id: s.id,
    platform: s.platform,
    channel: s.channel ?? '',
    cron: s.cron,
    tz: s.tz,
    schedule: s.schedule,
    emails: [...(s.emails ?? [])],
    createdBy: s.createdBy ?? '',
    createdAt: s.createdAt,
  };
}
