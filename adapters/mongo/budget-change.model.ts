import type { Connection, Model, SchemaDefinition } from 'mongoose';
import { Schema } from 'mongoose';
import type { BudgetChange } from '../../src/budgets/budget-change.types.js';

/** The collection budget changes live in. */
export const BUDGET_CHANGES_COLLECTION = 'budget_changes';

const MODEL_NAME = 'BudgetChange';

/**
 * A stored version of a `BudgetChange`, one document per (`id`, `version`), kept as approvals are
 * (adapters/mongo/approval.model.ts): each update inserts the next version and turns the ones before it into
 * tombstones, since a unique index on insert is the one atomic check FerretDB has. No nested arrays, no dotted keys.
 */
export type BudgetChangeDoc = BudgetChange & { superseded?: true };

function sub(definition: SchemaDefinition): Schema {
  return new Schema(definition, { _id: false, id: false, strict: 'throw' });
}

const optionalString = () => ({ type: String });
const requiredString = () => ({ type: String, required: true });
const requiredNumber = () => ({ type: Number, required: true });

const identitySchema = sub({ platform: requiredString(), id: requiredString(), name: optionalString() });
const actorSchema = sub({ person: requiredString(), via: { type: identitySchema, required: true } });
const voteSchema = sub({
  voter: { type: actorSchema, required: true },
  decision: requiredString(),
  reason: optionalString(),
  at: requiredString(),
});
const tierSchema = sub({ approvers: { type: [String], default: [] }, quorum: requiredNumber() });
const ruleSchema = sub({
  tiers: { type: [tierSchema], default: [] },
  requesterMayVote: { type: Boolean, required: true },
  remindAfterMs: requiredNumber(),
  escalateAfterMs: requiredNumber(),
  expireAfterMs: requiredNumber(),
  onExpiry: requiredString(),
});

const budgetChangeSchema = new Schema<BudgetChangeDoc>(
  {
    id: requiredString(),
    version: requiredNumber(),
    state: requiredString(),
    budget: requiredString(),
    currency: requiredString(),
    oldAmount: requiredNumber(),
    newAmount: requiredNumber(),
    oneOff: { type: sub({ period: requiredString(), label: optionalString() }) },
    reason: optionalString(),
    requester: { type: actorSchema, required: true },
    rule: { type: ruleSchema, required: true },
    tier: requiredNumber(),
    votes: { type: [voteSchema], default: [] },
    figures: {
      type: sub({ period: optionalString(), spent: requiredNumber(), forecast: requiredNumber() }),
      required: true,
    },
    origin: {
      type: sub({ platform: requiredString(), channel: optionalString(), thread: optionalString() }),
      required: true,
    },
    messages: {
      type: [sub({ platform: requiredString(), channel: requiredString(), messageId: requiredString() })],
      default: [],
    },
    createdAt: requiredString(),
    updatedAt: requiredString(),
    expiresAt: requiredString(),
    decidedAt: optionalString(),
    decision: { type: sub({ by: optionalString(), reason: optionalString() }) },
    superseded: { type: Boolean },
  },
  {
    collection: BUDGET_CHANGES_COLLECTION,
    // Indexes are built by MongoBudgetChangeRepository.init(), so that a rejected index fails start-up.
    autoIndex: false,
    versionKey: false,
    id: false,
    strict: 'throw',
  },
);
budgetChangeSchema.index({ id: 1, version: 1 }, { unique: true });
budgetChangeSchema.index({ state: 1, createdAt: -1 });

export function createBudgetChangeModel(conn: Connection): Model<BudgetChangeDoc> {
  return (conn.models[MODEL_NAME] as Model<BudgetChangeDoc> | undefined) ?? conn.model(MODEL_NAME, budgetChangeSchema);
}
