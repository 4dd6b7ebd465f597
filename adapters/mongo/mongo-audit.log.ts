import type { Connection, Model, QueryFilter } from 'mongoose';
import type { AuditEntry, AuditLog } from '../../src/audit/audit.types.js';
import type { AuditEntryDoc } from './audit-entry.model.js';
import { createAuditEntryModel } from './audit-entry.model.js';
import { handleMongoError } from './mongo-connection.js';

/**
 * `AuditLog` on MongoDB (collection `audit_entries`), append-only: one `insert` per entry, nothing updates or
 * deletes. Returns plain domain objects, never documents.
 */
export class MongoAuditLog implements AuditLog {
  private readonly model: Model<AuditEntryDoc>;

  constructor(conn: Connection) {
    this.model = createAuditEntryModel(conn);
  }

  /** Builds the log and its index (see {@link MongoAuditLog.init}). */
  static async create(conn: Connection): Promise<MongoAuditLog> {
    const log = new MongoAuditLog(conn);
    await log.init();
    return log;
  }

  /** Creates the collection and its index (`approvalId`, `at`); idempotent. */
  async init(): Promise<void> {
    try {
      await this.model.init();
      await this.model.createIndexes();
    } catch (err) {
      handleMongoError(err, 'audit_entries.init');
    }
  }

  async append(entry: AuditEntry): Promise<void> {
    try {
      await this.model.create(toDocument(entry));
    } catch (err) {
      handleMongoError(err, 'audit_entries.append');
    }
  }

  /**
   * Oldest first by `at`; entries with the same `at` come in append order (the client-made ObjectId `_id` grows
   * with every insert of a process). With a `limit`, the oldest `limit` entries.
   */
  async list(query: { approvalId?: string; limit?: number }): Promise<AuditEntry[]> {
    // `limit(0)` means "no limit" to MongoDB, while the port means "none".
    if (query.limit !== undefined && query.limit <= 0) return [];
    const filter: QueryFilter<AuditEntryDoc> = query.approvalId === undefined ? {} : { approvalId: query.approvalId };
    try {
      let find = this.model.find(filter, { _id: 0 }).sort({ at: 1, _id: 1 });
      if (query.limit !== undefined) find = find.limit(query.limit);
      const docs = await find.lean<AuditEntryDoc[]>().exec();
      return docs.map(toDomain);
    } catch (err) {
      return handleMongoError(err, 'audit_entries.list');
    }
  }
}

function toDocument(e: AuditEntry): AuditEntryDoc {
  return {
    ...common(e),
    ...(e.data ? { data: Object.entries(e.data).map(([key, value]) => ({ key, value })) } : {}),
  };
}

/** Maps a lean document to a fresh domain object: no `_id`, and absent optional fields stay absent. */
function toDomain(doc: AuditEntryDoc): AuditEntry {
  return {
    ...common(doc),
    ...(doc.data ? { data: Object.fromEntries(doc.data.map((d) => [d.key, d.value ?? null])) } : {}),
  };
}

function common(e: AuditEntry | AuditEntryDoc): Omit<AuditEntry, 'data'> {
  return {
    id: e.id,
    at: e.at,
    kind: e.kind,
    event: e.event,
    ...(e.approvalId != null ? { approvalId: e.approvalId } : {}),
    actor: e.actor,
    what: e.what,
    ...(e.why != null ? { why: e.why } : {}),
  };
}
