import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { AuditEntry } from '../../src/audit/audit.types.js';

/** The collection the audit log is appended to. */
export const AUDIT_ENTRIES_COLLECTION = 'audit_entries';

const MODEL_NAME = 'AuditEntry';

/** One value of `AuditEntry.data`, stored as a pair so that its key may hold `.` or start with `$`. */
interface AuditDatumDoc {
  key: string;
  value: string | number | boolean | null;
}

/**
 * A stored `AuditEntry`. `data` is `[{ key, value }]` instead of an object: its keys are free text, and FerretDB
 * (like MongoDB's query language) cannot use a key containing `.` or starting with `$`.
 * `_id` is the server's ObjectId; it breaks ties between entries with the same `at` in append order.
 */
export interface AuditEntryDoc extends Omit<AuditEntry, 'data'> {
  data?: AuditDatumDoc[];
}

const datumSchema = new Schema<AuditDatumDoc>(
  {
    key: { type: String, required: true },
    // A string, number, boolean or null: Mixed keeps the type it was given.
    value: { type: Schema.Types.Mixed },
  },
  { _id: false, strict: 'throw' },
);

const auditEntrySchema = new Schema<AuditEntryDoc>(
  {
    id: { type: String, required: true },
    at: { type: String, required: true },
    kind: { type: String, required: true },
    event: { type: String, required: true },
    approvalId: { type: String },
    // Free text is not `required`: mongoose's required check rejects '', which the domain allows.
    actor: { type: String },
    what: { type: String },
    why: { type: String },
    data: { type: [datumSchema], default: undefined },
  },
  {
    collection: AUDIT_ENTRIES_COLLECTION,
    // Indexes are built explicitly by MongoAuditLog.init(), so that a rejected index fails start-up.
    autoIndex: false,
    versionKey: false,
    // The schema has a field called `id`; mongoose's `id` virtual would shadow it.
    id: false,
    strict: 'throw',
  },
);

auditEntrySchema.index({ approvalId: 1, at: 1 });

/** The audit entry model bound to `conn` (registered once per connection). */
export function createAuditEntryModel(conn: Connection): Model<AuditEntryDoc> {
  const existing = conn.models[MODEL_NAME] as Model<AuditEntryDoc> | undefined;
  return existing ?? conn.model<AuditEntryDoc>(MODEL_NAME, auditEntrySchema);
}
