import type { Connection, Model } from 'mongoose';
import type { ConversationRefStore } from '../../src/conversation/conversation-ref.port.js';
import { type ConversationRefDoc, createConversationRefModel } from './conversation-ref.model.js';
import { handleMongoError } from './mongo-connection.js';

/** MongoDB's duplicate key error: two upserts of a new key raced and the unique index let only one insert. */
const DUPLICATE_KEY = 11000;

/**
 * `ConversationRefStore` on MongoDB (collection `conversation_refs`): one document per key, unique index on `key`,
 * saved with a replace-upsert. The last save wins; no compare-and-set is needed (a reference only ever gets fresher),
 * which suits FerretDB, whose updates are not atomic compare-and-set.
 */
export class MongoConversationRefStore implements ConversationRefStore {
  private readonly model: Model<ConversationRefDoc>;

  constructor(conn: Connection) {
    this.model = createConversationRefModel(conn);
  }

  /** Builds the store and its index (see {@link MongoConversationRefStore.init}). */
  static async create(conn: Connection): Promise<MongoConversationRefStore> {
    const store = new MongoConversationRefStore(conn);
    await store.init();
    return store;
  }

  /** Creates the collection and its unique index on `key`; idempotent. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'conversation_refs.init');
    }
  }

  /**
   * Stores the reference under `key`, replacing the one there. Two first saves of the same key can race: both
   * upserts try to insert and the unique index rejects one (duplicate key); that one is retried once, as a replace.
   */
  async save(key: string, reference: string): Promise<void> {
    const replace = () => this.model.replaceOne({ key }, { key, reference }, { upsert: true }).exec();
    try {
      try {
        await replace();
      } catch (err) {
        if ((err as { code?: unknown }).code !== DUPLICATE_KEY) throw err;
        await replace();
      }
    } catch (err) {
      handleMongoError(err, 'conversation_refs.save');
    }
  }

  async get(key: string): Promise<string | null> {
    try {
      const doc = await this.model
        .findOne({ key }, { _id: 0, reference: 1 })
        .lean<Pick<ConversationRefDoc, 'reference'>>()
        .exec();
      return doc ? doc.reference : null;
    } catch (err) {
      return handleMongoError(err, 'conversation_refs.get');
    }
  }
}
