import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { ChargeCategory } from '../../src/costs/cost-record.types.js';

/** The collection daily rollups live in. */
export const COST_ROLLUPS_COLLECTION = 'cost_rollups';

const MODEL_NAME = 'CostRollup';

/**
 * A stored daily rollup: the fields of `DailyRollup`, one document each.
 * Tags are `[{ key, value }]`, never an object, because tag keys such as `kubernetes.io/cluster` contain `.`,
 * which FerretDB (and MongoDB's query language) cannot use in a key (REFERENCE.md §7.3).
 */
export interface CostRollupDoc {
  source: string;
  day: string;
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  subAccountName: string;
  serviceName: string;
  serviceCategory: string;
  region: string;
  chargeCategory: ChargeCategory;
  currency: string;
  tags: { key: string; value: string }[];
  /**
   * The same tags as an object keyed by {@link tagFieldName}, so that a tag's value is a plain field path a `$group`
   * can key on. Derived from `tags` on write; `tags` stays the record.
   */
  tagsByKey: Record<string, string>;
  billed: number;
  effective: number;
  list: number;
  rows: number;
}

const tagSchema = new Schema<{ key: string; value: string }>(
  { key: { type: String, required: true }, value: { type: String, required: true } },
  { _id: false },
);

const costRollupSchema = new Schema<CostRollupDoc>(
  {
    source: { type: String, required: true },
    day: { type: String, required: true },
    provider: { type: String, required: true },
    billingAccountId: { type: String, required: true },
    subAccountId: { type: String, required: true },
    subAccountName: { type: String, required: true },
    serviceName: { type: String, required: true },
    serviceCategory: { type: String, required: true },
    region: { type: String, required: true },
    chargeCategory: { type: String, required: true },
    currency: { type: String, required: true },
    tags: { type: [tagSchema], default: [] },
    tagsByKey: { type: Schema.Types.Mixed, default: {} },
    billed: { type: Number, required: true },
    effective: { type: Number, required: true },
    list: { type: Number, required: true },
    rows: { type: Number, required: true },
  },
  {
    collection: COST_ROLLUPS_COLLECTION,
    // Indexes are built explicitly by MongoCostRepository.init(), so that a rejected index fails start-up.
    autoIndex: false,
    versionKey: false,
    strict: 'throw',
  },
);

// Range scans over all sources (aggregate, dataRange) and replace-by-source deletes.
costRollupSchema.index({ day: 1 });
costRollupSchema.index({ source: 1, day: 1 });

/**
 * The field name under `tagsByKey` for a tag key. Tag keys such as `kubernetes.io/cluster` or `$team` cannot be field
 * names (no `.`, no leading `$`: REFERENCE.md §7.3), so `%`, `.` and `$` are percent-encoded and a `k` is put in front
 * (which also keeps an empty key legal). The encoding is one-to-one.
 * @example tagFieldName('kubernetes.io/cluster') === 'kkubernetes%2Eio/cluster'
 */
export function tagFieldName(key: string): string {
  return `k${key.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The rollup model bound to `conn` (registered once per connection). */
export function createCostRollupModel(conn: Connection): Model<CostRollupDoc> {
  const existing = conn.models[MODEL_NAME] as Model<CostRollupDoc> | undefined;
  return existing ?? conn.model<CostRollupDoc>(MODEL_NAME, costRollupSchema);
}
