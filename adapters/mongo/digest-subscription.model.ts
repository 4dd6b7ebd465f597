import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { DigestSubscription } from '../../src/reports/digest.types.js';

/** The collection digest subscriptions are kept in. */
export const DIGEST_SUBSCRIPTIONS_COLLECTION = 'digest_subscriptions';

const MODEL_NAME = 'DigestSubscription';

/** A stored `DigestSubscription`, field for field. `_id` stays the server's ObjectId and never leaves the adapter. */
export type DigestSubscriptionDoc = DigestSubscription;

const digestSubscriptionSchema = new Schema<DigestSubscriptionDoc>(
  {
    id: { type: String, required: true },
    platform: { type: String, required: true, enum: ['slack', 'teams', 'shell', 'cli'] },
    // Not `required`: mongoose's required check rejects '', the channel of an email-only subscription.
    channel: { type: String, default: '' },
    cron: { type: String, required: true },
    tz: { type: String, required: true },
    schedule: { type: String, required: true },
    emails: { type: [String], default: [] },
    createdBy: { type: String, default: '' },
    createdAt: { type: String, required: true },
  },
  {
    collection: DIGEST_SUBSCRIPTIONS_COLLECTION,
    // Indexes are built explicitly by MongoDigestSubscriptionRepository.init(), so that a rejected index fails start-up.
    autoIndex: false,
    versionKey: false,
    // The schema has a field called `id`; mongoose's `id` virtual would shadow it.
    id: false,
    strict: 'throw',
  },
);

digestSubscriptionSchema.index({ id: 1 }, { unique: true });
digestSubscriptionSchema.index({ channel: 1, createdAt: 1 });

/** The digest subscription model bound to `conn` (registered once per connection). */
export function createDigestSubscriptionModel(conn: Connection): Model<DigestSubscriptionDoc> {
  const existing = conn.models[MODEL_NAME] as Model<DigestSubscriptionDoc> | undefined;
  return existing ?? conn.model<DigestSubscriptionDoc>(MODEL_NAME, digestSubscriptionSchema);
}
