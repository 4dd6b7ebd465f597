import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';

/** The collection conversation references are kept in. */
export const CONVERSATION_REFS_COLLECTION = 'conversation_refs';

const MODEL_NAME = 'ConversationRef';

/**
 * A stored conversation reference: the key (`teams/conv/<conversation id>`, `teams/user/<AAD object id>`) and the
 * reference as the JSON string the adapter wrote. Keeping it a string (not a sub-document) keeps the store opaque to
 * it and avoids keys FerretDB rejects. `_id` stays the server's ObjectId and never leaves the adapter.
 */
export interface ConversationRefDoc {
  key: string;
  reference: string;
}

const conversationRefSchema = new Schema<ConversationRefDoc>(
  {
    key: { type: String, required: true },
    // Not `required`: mongoose's required check rejects '', and the store keeps whatever string it is given.
    reference: { type: String, default: '' },
  },
  {
    collection: CONVERSATION_REFS_COLLECTION,
    // Indexes are built explicitly by MongoConversationRefStore.init(), so that a rejected index fails start-up.
    autoIndex: false,
    versionKey: false,
    strict: 'throw',
  },
);

conversationRefSchema.index({ key: 1 }, { unique: true });

/** The conversation reference model bound to `conn` (registered once per connection). */
export function createConversationRefModel(conn: Connection): Model<ConversationRefDoc> {
  const existing = conn.models[MODEL_NAME] as Model<ConversationRefDoc> | undefined;
  return existing ?? conn.model<ConversationRefDoc>(MODEL_NAME, conversationRefSchema);
}
