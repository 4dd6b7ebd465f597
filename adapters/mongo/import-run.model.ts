import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';

/** The collection import and sync runs are recorded in. */
export const IMPORT_RUNS_COLLECTION = 'import_runs';

const MODEL_NAME = 'ImportRun';

/** A stored `ImportRun`. `id` is Tally's own id (unique index); `_id` stays the server's ObjectId. */
export interface ImportRunDoc {
  id: string;
  source: string;
  startedAt: Date;
  finishedAt: Date;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  rejected: { file: string; line: number; column: string; reason: string }[];
  totals: { currency: string; billed: number; effective: number }[];
  range: { from: string; to: string } | null;
  kind?: 'import' | 'sync';
  error?: string;
  notes?: string[];
}

const rejectedRowSchema = new Schema(
  {
    file: { type: String, required: true },
    line: { type: Number, required: true },
    column: { type: String, required: true },
    reason: { type: String, required: true },
  },
  { _id: false },
);

const totalSchema = new Schema(
  {
    currency: { type: String, required: true },
    billed: { type: Number, required: true },
    effective: { type: Number, required: true },
  },
  { _id: false },
);

const rangeSchema = new Schema(
  { from: { type: String, required: true }, to: { type: String, required: true } },
  { _id: false },
);

const importRunSchema = new Schema<ImportRunDoc>(
  {
    id: { type: String, required: true },
    source: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date, required: true },
    rowsRead: { type: Number, required: true },
    rowsImported: { type: Number, required: true },
    rowsRejected: { type: Number, required: true },
    // Arrays of subdocuments, never arrays of arrays: FerretDB rejects nested arrays.
    rejected: { type: [rejectedRowSchema], default: [] },
    totals: { type: [totalSchema], default: [] },
    range: { type: rangeSchema, default: null },
    kind: { type: String, enum: ['import', 'sync'] },
    error: { type: String },
    // No default: runs without notes store none.
    notes: { type: [String], default: undefined },
  },
  {
    collection: IMPORT_RUNS_COLLECTION,
    // Indexes are built explicitly by MongoImportRunRepository.init().
    autoIndex: false,
    versionKey: false,
    // The schema has a field called `id`; mongoose's `id` virtual would shadow it.
    id: false,
  },
);

importRunSchema.index({ id: 1 }, { unique: true });
importRunSchema.index({ startedAt: -1 });
importRunSchema.index({ source: 1, startedAt: -1 });

/** The import-run model bound to `conn` (registered once per connection). */
export function createImportRunModel(conn: Connection): Model<ImportRunDoc> {
  const existing = conn.models[MODEL_NAME] as Model<ImportRunDoc> | undefined;
  return existing ?? conn.model<ImportRunDoc>(MODEL_NAME, importRunSchema);
}
