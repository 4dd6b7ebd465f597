import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';

/** The collection dismissed and snoozed recommendations are kept in. */
export const RECOMMENDATION_DISMISSALS_COLLECTION = 'recommendation_dismissals';

const MODEL_NAME = 'RecommendationDismissal';

/**
 * A stored dismissal: the domain's `RecommendationDismissal` with `at` and `until` as dates (so that `until` can be
 * compared in a query). `_id` stays the server's ObjectId and never leaves the adapter.
 */
export interface RecommendationDismissalDoc {
  conversation: string;
  target: string;
  kind: 'dismissed' | 'snoozed';
  reason?: string;
  by: string;
  at: Date;
  until: Date;
}

const dismissalSchema = new Schema<RecommendationDismissalDoc>(
  {
    conversation: { type: String, required: true },
    target: { type: String, required: true },
    kind: { type: String, required: true, enum: ['dismissed', 'snoozed'] },
    reason: { type: String },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    until: { type: Date, required: true },
  },
  {
    collection: RECOMMENDATION_DISMISSALS_COLLECTION,
    // Indexes are built explicitly by MongoRecommendationDismissalRepository.init(), so that a rejected index fails
    // start-up.
    autoIndex: false,
    versionKey: false,
    strict: 'throw',
  },
);

// One dismissal per conversation and target; the listing reads a conversation's.
dismissalSchema.index({ conversation: 1, target: 1 }, { unique: true });

/** The dismissal model bound to `conn` (registered once per connection). */
export function createRecommendationDismissalModel(conn: Connection): Model<RecommendationDismissalDoc> {
  const existing = conn.models[MODEL_NAME] as Model<RecommendationDismissalDoc> | undefined;
  return existing ?? conn.model<RecommendationDismissalDoc>(MODEL_NAME, dismissalSchema);
}
