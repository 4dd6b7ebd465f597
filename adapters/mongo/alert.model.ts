import type { Connection, Model, SchemaDefinition } from 'mongoose';
import { Schema } from 'mongoose';
import type { AlertRecord, SeriesMute } from '../../src/anomalies/alert.types.js';

/** One document per alerted anomaly, unique on `anomalyId`. */
export const ALERTS_COLLECTION = 'alerts';
/** The first acknowledgement of each alert, unique on `anomalyId`. */
export const ALERT_ACKS_COLLECTION = 'alert_acks';
/** Series mutes, insert only. */
export const ALERT_MUTES_COLLECTION = 'alert_mutes';

/**
 * A stored alert: the `AlertRecord` without its acknowledgement, which lives in `alert_acks` so that the first
 * acknowledger wins through a unique-index insert (FerretDB has no atomic compare-and-set update:
 * docs/architecture.md#state-stores). `anomaly.relative` may be null; no key holds `.` or starts with `$`, and no array
 * holds an array.
 */
export type AlertDoc = Omit<AlertRecord, 'acknowledgedBy' | 'acknowledgedAt'>;

/** The first acknowledgement of an alert. */
export interface AlertAckDoc {
  anomalyId: string;
  by: string;
  at: string;
}

/** A stored mute: the `SeriesMute` as it is. */
type AlertMuteDoc = SeriesMute;

/** A subdocument schema: no `_id`, no `id` virtual (the anomaly has an `id` field), unknown fields are a bug. */
function sub(definition: SchemaDefinition): Schema {
  return new Schema(definition, { _id: false, id: false, strict: 'throw' });
}

// Free text is not `required`: mongoose's required check rejects '', which the domain allows.
const text = () => ({ type: String });
const requiredString = () => ({ type: String, required: true });
const requiredNumber = () => ({ type: Number, required: true });

// Every model: indexes are built by `MongoAlertRepository.init()` (autoIndex off) so that a rejected index fails
// start-up; no `__v`; no `id` virtual (the anomaly has an `id` field); unknown fields are a bug.
const OPTIONS = { autoIndex: false, versionKey: false, id: false, strict: 'throw' } as const;

const contributorSchema = sub({
  dimension: requiredString(),
  key: text(),
  label: text(),
  impact: requiredNumber(),
});

const anomalySchema = sub({
  id: requiredString(),
  day: requiredString(),
  dimension: requiredString(),
  key: text(),
  label: text(),
  provider: text(),
  currency: requiredString(),
  actual: requiredNumber(),
  expected: requiredNumber(),
  impact: requiredNumber(),
  // null when the expected cost is 0.
  relative: { type: Number, default: null },
  direction: requiredString(),
  severity: requiredString(),
  contributors: { type: [contributorSchema], default: [] },
});

const alertSchema = new Schema<AlertDoc>(
  {
    anomalyId: requiredString(),
    seriesKey: requiredString(),
    day: requiredString(),
    severity: requiredString(),
    sentAt: requiredString(),
    deliveries: { type: [String], default: [] },
    anomaly: { type: anomalySchema, required: true },
  },
  { ...OPTIONS, collection: ALERTS_COLLECTION },
);
alertSchema.index({ anomalyId: 1 }, { unique: true });
alertSchema.index({ sentAt: -1, anomalyId: -1 });

const ackSchema = new Schema<AlertAckDoc>(
  { anomalyId: requiredString(), by: text(), at: requiredString() },
  { ...OPTIONS, collection: ALERT_ACKS_COLLECTION },
);
ackSchema.index({ anomalyId: 1 }, { unique: true });

const muteSchema = new Schema<AlertMuteDoc>(
  { seriesKey: requiredString(), until: requiredString(), by: text(), at: requiredString() },
  { ...OPTIONS, collection: ALERT_MUTES_COLLECTION },
);
muteSchema.index({ seriesKey: 1, until: -1 });

/** The models of alerts, their acknowledgements and series mutes. */
export interface AlertModels {
  alerts: Model<AlertDoc>;
  acks: Model<AlertAckDoc>;
  mutes: Model<AlertMuteDoc>;
}

/** The three models bound to `conn`, each registered once per connection. */
export function createAlertModels(conn: Connection): AlertModels {
  return {
    alerts: (conn.models.Alert as Model<AlertDoc> | undefined) ?? conn.model<AlertDoc>('Alert', alertSchema),
    acks: (conn.models.AlertAck as Model<AlertAckDoc> | undefined) ?? conn.model<AlertAckDoc>('AlertAck', ackSchema),
    mutes:
      (conn.models.AlertMute as Model<AlertMuteDoc> | undefined) ?? conn.model<AlertMuteDoc>('AlertMute', muteSchema),
  };
}
