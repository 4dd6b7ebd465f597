import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { Budget, BudgetCrossing } from '../../src/budgets/budget.types.js';

/** The collection budgets made in chat are kept in. */
export const BUDGETS_COLLECTION = 'budgets';
/** The collection of alerted threshold crossings: one document per budget, period, kind and percent. */
export const BUDGET_CROSSINGS_COLLECTION = 'budget_crossings';

/** A stored `Budget`, field for field; the filter is stored as it is (tags are `[{ key, value }]`, no dotted keys). */
export type BudgetDoc = Budget;
export type BudgetCrossingDoc = BudgetCrossing;

const OPTIONS = {
  // Indexes are built explicitly by MongoBudgetRepository.init(), so that a rejected index fails start-up.
  autoIndex: false,
  versionKey: false,
  // `id` is no field here, but mongoose's virtual would still add one to documents.
  id: false,
  strict: 'throw',
} as const;

const budgetSchema = new Schema<BudgetDoc>(
  {
    name: { type: String, required: true },
    filter: { type: Schema.Types.Mixed, default: {} },
    metric: { type: String, required: true, enum: ['effective', 'billed', 'list'] },
    period: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    owners: { type: [String], default: [] },
    channel: { type: String },
    thresholds: {
      actual: { type: [Number], default: [] },
      forecast: { type: [Number], default: [] },
    },
    exception: {
      type: new Schema(
        { period: String, amount: Number, reason: String, approvalId: String },
        { _id: false, strict: 'throw' },
      ),
      required: false,
    },
    origin: { type: String, required: true, enum: ['policy', 'chat'] },
    updatedBy: { type: String, default: '' },
    updatedAt: { type: String, required: true },
  },
  // `minimize: false` keeps an empty filter `{}` (a budget of all costs) as it was saved.
  { ...OPTIONS, collection: BUDGETS_COLLECTION, minimize: false },
);
budgetSchema.index({ name: 1 }, { unique: true });

const crossingSchema = new Schema<BudgetCrossingDoc>(
  {
    budget: { type: String, required: true },
    period: { type: String, required: true },
    kind: { type: String, required: true, enum: ['actual', 'forecast'] },
    percent: { type: Number, required: true },
    at: { type: String, required: true },
    through: { type: String },
  },
  { ...OPTIONS, collection: BUDGET_CROSSINGS_COLLECTION },
);
// The claim: a second insert of the same crossing is a duplicate key (the one atomic check FerretDB has).
crossingSchema.index({ budget: 1, period: 1, kind: 1, percent: 1 }, { unique: true });

/** The budget and crossing models bound to `conn` (registered once per connection). */
export function createBudgetModels(conn: Connection): {
  budgets: Model<BudgetDoc>;
  crossings: Model<BudgetCrossingDoc>;
} {
  return {
    budgets: (conn.models.Budget as Model<BudgetDoc> | undefined) ?? conn.model<BudgetDoc>('Budget', budgetSchema),
    crossings:
      (conn.models.BudgetCrossing as Model<BudgetCrossingDoc> | undefined) ??
      conn.model<BudgetCrossingDoc>('BudgetCrossing', crossingSchema),
  };
}
