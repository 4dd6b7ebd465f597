import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { DeliveryRecord } from '../../src/notifications/notification.types.js';

/** The collection the delivery log is appended to. */
export const DELIVERY_RECORDS_COLLECTION = 'delivery_records';

const MODEL_NAME = 'DeliveryRecord';

/**
 * A stored `DeliveryRecord`, field for field. `_id` is the ObjectId mongoose makes on insert; it orders records with
 * the same `at` by when they were recorded.
 */
export type DeliveryRecordDoc = DeliveryRecord;

const deliveryRecordSchema = new Schema<DeliveryRecordDoc>(
  {
    deliveryId: { type: String, required: true },
    event: { type: String, required: true },
    channel: { type: String, required: true, enum: ['chat', 'email', 'sms'] },
    to: { type: String, required: true },
    status: { type: String, required: true, enum: ['sent', 'failed'] },
    attempt: { type: Number, required: true },
    // Free text is not `required`: mongoose's required check rejects ''.
    error: { type: String },
    at: { type: String, required: true },
  },
  {
    collection: DELIVERY_RECORDS_COLLECTION,
    // Indexes are built explicitly by MongoDeliveryLog.init(), so that a rejected index fails start-up.
    autoIndex: false,
    versionKey: false,
    strict: 'throw',
  },
);

// `latest()` reads newest first, all records or one status.
deliveryRecordSchema.index({ at: 1 });
deliveryRecordSchema.index({ status: 1, at: 1 });

/** The delivery record model bound to `conn` (registered once per connection). */
export function createDeliveryRecordModel(conn: Connection): Model<DeliveryRecordDoc> {
  const existing = conn.models[MODEL_NAME] as Model<DeliveryRecordDoc> | undefined;
  return existing ?? conn.model<DeliveryRecordDoc>(MODEL_NAME, deliveryRecordSchema);
}
