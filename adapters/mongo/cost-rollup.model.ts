import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { ChargeCategory } from '../../src/costs/cost-record.types.js';

/** The collection daily rollups live in. */
export const COST_ROLLUPS_COLLECTION = 'cost_rollups';
/** One small document that records the version of the rollups (changed by every write). */
export const COST_META_COLLECTION = 'cost_meta';

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

// Replace-by-source deletes.
costRollupSchema.index({ source: 1, day: 1 });

/** The rollup model bound to `conn` (registered once per connection). */
export function createCostRollupModel(conn: Connection): Model<CostRollupDoc> {
  const existing = conn.models[MODEL_NAME] as Model<CostRollupDoc> | undefined;
  return existing ?? conn.model<CostRollupDoc>(MODEL_NAME, costRollupSchema);
}
