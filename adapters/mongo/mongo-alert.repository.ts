import type { Connection } from 'mongoose';
import type { AlertRecord, AlertRepository, SeriesMute } from '../../src/anomalies/alert.types.js';
import type { Anomaly } from '../../src/anomalies/anomaly.types.js';
import type { AlertAckDoc, AlertDoc, AlertModels } from './alert.model.js';
import { createAlertModels } from './alert.model.js';
import { handleMongoError } from './mongo-connection.js';

/** MongoDB's duplicate key error code. */
const DUPLICATE_KEY = 11000;

function mongoCode(err: unknown): unknown {
  return (err as { code?: unknown })?.code;
}

/**
 * `AlertRepository` on MongoDB: collections `alerts`, `alert_acks` and `alert_mutes`. Returns plain domain objects,
 * never documents.
 *
 * Both first-time rules are unique-index inserts, the one atomic check FerretDB v1.24 has (it runs updates as a query
 * followed by an unconditional write): `claim` inserts the alert under a unique `anomalyId`, and
 * `acknowledge` inserts the acknowledgement under a unique `anomalyId` in `alert_acks`; a duplicate key means someone
 * else was first. Nothing is updated in place; mutes are only inserted. No TTL indexes or transactions.
 */
export class MongoAlertRepository implements AlertRepository {
  private readonly models: AlertModels;

  constructor(conn: Connection) {
    this.models = createAlertModels(conn);
  }

  /** Builds the repository and its indexes (see {@link MongoAlertRepository.init}). */
  static async create(conn: Connection): Promise<MongoAlertRepository> {
    const repo = new MongoAlertRepository(conn);
    await repo.init();
    return repo;
  }

  /** Creates the collections and their indexes (unique `anomalyId` of alerts and acks; `sentAt`; mutes by series). */
  async init(): Promise<void> {
    try {
      for (const model of Object.values(this.models)) {
        await model.init();
        await model.createIndexes();
      }
    } catch (err) {
      handleMongoError(err, 'alerts.init');
    }
  }

  async claim(record: AlertRecord): Promise<boolean> {
    try {
      await this.models.alerts.create(toDocument(record));
      return true;
    } catch (err) {
      if (mongoCode(err) === DUPLICATE_KEY) return false;
      return handleMongoError(err, 'alerts.claim');
    }
  }

  async release(anomalyId: string): Promise<void> {
    try {
      await this.models.alerts.deleteOne({ anomalyId }).exec();
    } catch (err) {
      handleMongoError(err, 'alerts.release');
    }
  }

  async get(anomalyId: string): Promise<AlertRecord | null> {
    try {
      const doc = await this.models.alerts.findOne({ anomalyId }, { _id: 0 }).lean<AlertDoc>().exec();
      if (!doc) return null;
      const ack = await this.models.acks.findOne({ anomalyId }, { _id: 0 }).lean<AlertAckDoc>().exec();
      return toDomain(doc, ack);
    } catch (err) {
      return handleMongoError(err, 'alerts.get');
    }
  }

  async acknowledge(anomalyId: string, by: string, at: string): Promise<AlertRecord | null> {
    try {
      if (!(await this.models.alerts.exists({ anomalyId }).exec())) return null;
      await this.models.acks.create({ anomalyId, by, at });
    } catch (err) {
      if (mongoCode(err) !== DUPLICATE_KEY) return handleMongoError(err, 'alerts.acknowledge');
    }
    return this.get(anomalyId);
  }

  async mute(mute: SeriesMute): Promise<void> {
    try {
      await this.models.mutes.create({ seriesKey: mute.seriesKey, until: mute.until, by: mute.by, at: mute.at });
    } catch (err) {
      handleMongoError(err, 'alerts.mute');
    }
  }

  async mutedUntil(seriesKey: string, now: Date): Promise<string | null> {
    try {
      const doc = await this.models.mutes
        .findOne({ seriesKey, until: { $gt: now.toISOString() } }, { _id: 0, until: 1 })
        .sort({ until: -1 })
        .lean<Pick<SeriesMute, 'until'>>()
        .exec();
      return doc?.until ?? null;
    } catch (err) {
      return handleMongoError(err, 'alerts.mutedUntil');
    }
  }

  async recent(limit: number): Promise<AlertRecord[]> {
    // `limit(0)` means "no limit" to MongoDB, while the port means "none".
    if (limit <= 0) return [];
    try {
      const docs = await this.models.alerts
        .find({}, { _id: 0 })
        .sort({ sentAt: -1, anomalyId: -1 })
        .limit(limit)
        .lean<AlertDoc[]>()
        .exec();
      const ids = docs.map((d) => d.anomalyId);
      const acks = await this.models.acks
        .find({ anomalyId: { $in: ids } }, { _id: 0 })
        .lean<AlertAckDoc[]>()
        .exec();
      const ackOf = new Map(acks.map((a) => [a.anomalyId, a]));
      return docs.map((d) => toDomain(d, ackOf.get(d.anomalyId) ?? null));
    } catch (err) {
      return handleMongoError(err, 'alerts.recent');
    }
  }
}

function toDocument(r: AlertRecord): AlertDoc {
  return {
    anomalyId: r.anomalyId,
    seriesKey: r.seriesKey,
    day: r.day,
    severity: r.severity,
    sentAt: r.sentAt,
    deliveries: [...r.deliveries],
    anomaly: copyAnomaly(r.anomaly),
  };
}

/** Maps lean documents to a fresh domain object: no `_id`, and absent optional fields stay absent. */
function toDomain(doc: AlertDoc, ack: AlertAckDoc | null): AlertRecord {
  return {
    ...toDocument(doc as AlertRecord),
    ...(ack ? { acknowledgedBy: ack.by ?? '', acknowledgedAt: ack.at } : {}),
  };
}

function copyAnomaly(a: Anomaly): Anomaly {
  return {
    id: a.id,
    day: a.day,
    dimension: a.dimension,
    key: a.key ?? '',
    label: a.label ?? '',
    ...(a.provider != null ? { provider: a.provider } : {}),
    currency: a.currency,
    actual: a.actual,
    expected: a.expected,
    impact: a.impact,
    relative: a.relative ?? null,
    direction: a.direction,
    severity: a.severity,
    contributors: (a.contributors ?? []).map((c) => ({
      dimension: c.dimension,
      key: c.key ?? '',
      label: c.label ?? '',
      impact: c.impact,
    })),
  };
}
