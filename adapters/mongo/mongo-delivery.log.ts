import type { Connection, Model, QueryFilter } from 'mongoose';
import type { DeliveryLog, DeliveryRecord } from '../../src/notifications/notification.types.js';
import { createDeliveryRecordModel, type DeliveryRecordDoc } from './delivery-record.model.js';
import { handleMongoError } from './mongo-connection.js';

/**
 * `DeliveryLog` on MongoDB (collection `delivery_records`), append-only: one `insert` per record, nothing updates
 * or deletes. Returns plain domain objects, never documents.
 */
export class MongoDeliveryLog implements DeliveryLog {
  private readonly model: Model<DeliveryRecordDoc>;

  constructor(conn: Connection) {
    this.model = createDeliveryRecordModel(conn);
  }

  /** Builds the log and its indexes (see {@link MongoDeliveryLog.init}). */
  static async create(conn: Connection): Promise<MongoDeliveryLog> {
    const log = new MongoDeliveryLog(conn);
    await log.init();
    return log;
  }

  /** Creates the collection and its indexes (`at`; `status`, `at`); idempotent. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'delivery_records.init');
    }
  }

  async record(entry: DeliveryRecord): Promise<void> {
    try {
      await this.model.create(toDocument(entry));
    } catch (err) {
      handleMongoError(err, 'delivery_records.record');
    }
  }

  /**
   * Newest first by `at`; records with the same `at` newest-recorded first (the client-made ObjectId `_id` grows
   * with every insert of a process). At most `limit`; none when `limit` ≤ 0.
   */
  async latest(query: { limit: number; status?: 'sent' | 'failed' }): Promise<DeliveryRecord[]> {
    // `limit(0)` means "no limit" to MongoDB, while the port means "none".
    if (query.limit <= 0) return [];
    const filter: QueryFilter<DeliveryRecordDoc> = query.status === undefined ? {} : { status: query.status };
    try {
      const docs = await this.model
        .find(filter, { _id: 0 })
        .sort({ at: -1, _id: -1 })
        .limit(query.limit)
        .lean<DeliveryRecordDoc[]>()
        .exec();
      return docs.map(toDomain);
    } catch (err) {
      return handleMongoError(err, 'delivery_records.latest');
    }
  }
}

function toDocument(r: DeliveryRecord): DeliveryRecordDoc {
  return toDomain(r);
}

/** A fresh plain object with the record's fields only: no `_id`, and an absent `error` stays absent. */
function toDomain(d: DeliveryRecordDoc): DeliveryRecord {
  return {
    deliveryId: d.deliveryId,
    event: d.event,
    channel: d.channel,
    to: d.to,
    status: d.status,
    attempt: d.attempt,
    ...(d.error != null ? { error: d.error } : {}),
    at: d.at,
  };
}
