import type { Connection, Model, SchemaDefinition } from 'mongoose';
import { Schema } from 'mongoose';
import type { Approval } from '../../src/approvals/approval.types.js';

/** The collection approvals live in, one document each. */
export const APPROVALS_COLLECTION = 'approvals';

const MODEL_NAME = 'Approval';

/**
 * A stored version of an `Approval`: the same fields, one document per (`id`, `version`). Each update inserts the
 * next version, then turns the versions before it into tombstones (`{ id, version, superseded: true }`), so an
 * approval has one full document. Tombstones are never deleted: the unique index must keep refusing their versions.
 * Instants stay ISO strings (they sort and compare as text); `_id` is the server's ObjectId and never leaves the
 * adapter. Every array holds strings or subdocuments, never another array: FerretDB rejects nested arrays, and it
 * rejects keys with `.` or a leading `$`, so resource tags are `[{ key, value }]`.
 */
export type ApprovalDoc = Approval & { superseded?: true };

/** A subdocument schema: no `_id`, no `id` virtual (several parts have an `id` field), unknown fields are a bug. */
function sub(definition: SchemaDefinition): Schema {
  return new Schema(definition, { _id: false, id: false, strict: 'throw' });
}

// Free text is not `required`: mongoose's required check rejects '', which the domain allows.
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
const messageRefSchema = sub({ platform: requiredString(), channel: requiredString(), messageId: requiredString() });
const rollbackSchema = sub({
  previousInstanceType: optionalString(),
  snapshotId: optionalString(),
  publicIp: optionalString(),
  note: optionalString(),
});
const executionSchema = sub({
  startedAt: requiredString(),
  finishedAt: optionalString(),
  outcome: optionalString(),
  reason: optionalString(),
  steps: { type: [String], default: [] },
  rollback: { type: rollbackSchema },
  attempts: requiredNumber(),
  verification: {
    type: sub({
      at: requiredString(),
      confirmed: { type: Boolean, required: true },
      state: requiredString(),
      reason: optionalString(),
    }),
  },
});

const tagSchema = sub({ key: requiredString(), value: optionalString() });
const targetSchema = sub({
  provider: requiredString(),
  accountId: requiredString(),
  region: requiredString(),
  resourceType: requiredString(),
  resourceId: requiredString(),
});
/** The union `ResourceFacts` as one superset; the repository maps it back to the variant named by `resourceType`. */
const factsSchema = sub({
  resourceType: requiredString(),
  id: requiredString(),
  instanceType: optionalString(),
  state: optionalString(),
  launchTime: optionalString(),
  sizeGiB: { type: Number },
  volumeType: optionalString(),
  createdAt: optionalString(),
  // Only volumes have it: no implicit `[]` on instances and addresses.
  attachedTo: { type: [String], default: undefined },
  publicIp: optionalString(),
  associationId: optionalString(),
  instanceId: optionalString(),
  networkBorderGroup: optionalString(),
  tags: { type: [tagSchema], default: [] },
  name: optionalString(),
});
const actionSchema = sub({
  kind: requiredString(),
  target: { type: targetSchema, required: true },
  facts: { type: factsSchema, required: true },
  params: { type: sub({ instanceType: optionalString() }) },
  monthlySavings: requiredNumber(),
  currency: requiredString(),
  risk: requiredString(),
  summary: optionalString(),
});

/** `UndoPlan` as one superset, like the facts; `kind` names the variant (docs/architecture.md#undo). */
const undoPlanSchema = sub({
  kind: requiredString(),
  instanceType: optionalString(),
  state: optionalString(),
  availabilityZone: optionalString(),
  volumeType: optionalString(),
  sizeGiB: { type: Number },
  iops: { type: Number },
  throughput: { type: Number },
  tags: { type: [tagSchema], default: undefined },
  attachment: { type: sub({ instanceId: requiredString(), device: requiredString() }) },
  publicIp: optionalString(),
  networkBorderGroup: optionalString(),
  reason: optionalString(),
});
const undoSchema = sub({
  plan: { type: undoPlanSchema, required: true },
  recordedAt: requiredString(),
  until: optionalString(),
  state: optionalString(),
  requestedBy: { type: [String], default: [] },
  startedAt: optionalString(),
  finishedAt: optionalString(),
  steps: { type: [String], default: [] },
  reason: optionalString(),
  createdId: optionalString(),
});

/** A batch approval's items and their results (docs/architecture.md#batches). */
const batchSchema = sub({
  items: { type: [actionSchema], default: [] },
  results: {
    type: [
      sub({
        resourceId: requiredString(),
        approvalId: requiredString(),
        outcome: requiredString(),
        reason: optionalString(),
        undone: { type: Boolean },
      }),
    ],
    default: undefined,
  },
  startedAt: optionalString(),
  finishedAt: optionalString(),
  summary: optionalString(),
});

// `approvers` is an array of strings inside a tier subdocument inside the `tiers` array: not a nested array.
const tierSchema = sub({ approvers: { type: [String], default: [] }, quorum: requiredNumber() });
const ruleSchema = sub({
  tiers: { type: [tierSchema], default: [] },
  requesterMayVote: { type: Boolean, required: true },
  remindAfterMs: requiredNumber(),
  escalateAfterMs: requiredNumber(),
  expireAfterMs: requiredNumber(),
  onExpiry: requiredString(),
});

const approvalSchema = new Schema<ApprovalDoc>(
  {
    id: requiredString(),
    version: requiredNumber(),
    state: requiredString(),
    action: { type: actionSchema, required: true },
    reason: optionalString(),
    requester: { type: actorSchema, required: true },
    rule: { type: ruleSchema, required: true },
    tier: requiredNumber(),
    votes: { type: [voteSchema], default: [] },
    origin: {
      type: sub({ platform: requiredString(), channel: optionalString(), thread: optionalString() }),
      required: true,
    },
    messages: { type: [messageRefSchema], default: [] },
    createdAt: requiredString(),
    updatedAt: requiredString(),
    expiresAt: requiredString(),
    decidedAt: optionalString(),
    decision: { type: sub({ by: optionalString(), reason: optionalString() }) },
    execution: { type: executionSchema },
    scheduledFor: optionalString(),
    undo: { type: undoSchema },
    batch: { type: batchSchema },
    batchOf: optionalString(),
    superseded: { type: Boolean },
  },
  {
    collection: APPROVALS_COLLECTION,
    // Indexes are built explicitly by MongoApprovalRepository.init(), so that a rejected index fails start-up.
    autoIndex: false,
    versionKey: false,
    // The schema has a field called `id`; mongoose's `id` virtual would shadow it.
    id: false,
    strict: 'throw',
  },
);

// The compare-and-set of `update`: of concurrent inserts of the same next version, the server admits exactly one.
approvalSchema.index({ id: 1, version: 1 }, { unique: true });
approvalSchema.index({ state: 1 });
approvalSchema.index({ createdAt: -1 });

/** The approval model bound to `conn` (registered once per connection). */
export function createApprovalModel(conn: Connection): Model<ApprovalDoc> {
  const existing = conn.models[MODEL_NAME] as Model<ApprovalDoc> | undefined;
  return existing ?? conn.model<ApprovalDoc>(MODEL_NAME, approvalSchema);
}

/** The collection of proposal claims: one document per action and resource that has a pending approval. */
const APPROVAL_CLAIMS_COLLECTION = 'approval_claims';

/** A claim: the approval (`approvalId`) that holds one action on one resource (`key`); unique on `key`. */
export interface ApprovalClaimDoc {
  key: string;
  approvalId: string;
}

const claimSchema = new Schema<ApprovalClaimDoc>(
  { key: { type: String, required: true }, approvalId: { type: String, required: true } },
  { collection: APPROVAL_CLAIMS_COLLECTION, autoIndex: false, versionKey: false, id: false, strict: 'throw' },
);
// Two processes proposing the same action on the same resource at once: the server admits one insert.
claimSchema.index({ key: 1 }, { unique: true });

/** The claim model bound to `conn` (registered once per connection). */
export function createApprovalClaimModel(conn: Connection): Model<ApprovalClaimDoc> {
  const existing = conn.models.ApprovalClaim as Model<ApprovalClaimDoc> | undefined;
  return existing ?? conn.model<ApprovalClaimDoc>('ApprovalClaim', claimSchema);
}
