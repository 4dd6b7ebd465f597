import mongoose from 'mongoose';
import { TallyError } from '../../src/shared/errors.js';

/** Where the MongoDB-compatible store is (MongoDB, or FerretDB in tests: docs/architecture.md#state-stores). */
export interface MongoConnectionConfig {
  /** `mongodb://…` connection string. It may hold credentials, so it is never logged or put in error metadata. */
  uri: string;
  /**
   * Database to use instead of the one named in `uri`.
   * @defaultValue the database in `uri` (`test` when it names none)
   */
  dbName?: string;
}

/**
 * Opens a dedicated mongoose connection (never the global `mongoose.connection`) and waits until it is usable.
 * Indexes are not built automatically: each repository's `create()` builds its own, so that an index the server
 * rejects fails start-up instead of surfacing later as an `'error'` event.
 *
 * @throws TallyError `STORE_UNAVAILABLE` when the server cannot be reached within 5 s.
 * @example
 * const conn = await createMongoConnection({ uri: config.mongo.uri });
 * const costs = await MongoCostRepository.create(conn);
 */
export async function createMongoConnection(config: MongoConnectionConfig): Promise<mongoose.Connection> {
  let conn: mongoose.Connection | undefined;
  try {
    conn = mongoose.createConnection(config.uri, {
      serverSelectionTimeoutMS: 5000,
      ...(config.dbName ? { dbName: config.dbName } : {}),
      autoIndex: false,
      // Fail fast while the server is away instead of queueing operations in memory.
      bufferCommands: false,
    });
    return await conn.asPromise();
  } catch (err) {
    await conn?.close(true).catch(() => undefined);
    return handleMongoError(err, 'connect');
  }
}

/** True for errors raised by the MongoDB driver or by mongoose. */
function isMongoError(err: unknown): err is Error {
  if (err instanceof mongoose.mongo.MongoError || err instanceof mongoose.Error) return true;
  // A second copy of the driver (e.g. the top-level `mongodb` used by the checkpointer) has other classes.
  return err instanceof Error && /^Mongo/.test(err.name);
}

/**
 * Translates a driver or mongoose failure into a `TallyError` at the adapter edge (docs/architecture.md#errors).
 * Driver and server errors become `STORE_UNAVAILABLE`, mongoose validation errors and anything else `INTERNAL`; the
 * original stays as `cause`. Metadata holds only the operation, the error class and the server's numeric code
 * (e.g. 11000 for a duplicate key) — never the URI or a password.
 */
export function handleMongoError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  // Casting and validation failures mean Tally handed the store bad data: a bug, not an outage.
  if (err instanceof mongoose.Error.ValidationError || err instanceof mongoose.Error.CastError) {
    throw new TallyError('INTERNAL', `Invalid data for ${operation}.`, { cause: err, metadata: { operation } });
  }
  if (isMongoError(err)) {
    const code = (err as { code?: unknown }).code;
    throw new TallyError('STORE_UNAVAILABLE', `The data store (MONGODB_URI) failed during ${operation}.`, {
      cause: err,
      metadata: { operation, errorName: err.name, ...(typeof code === 'number' ? { mongoCode: code } : {}) },
    });
  }
  throw new TallyError('INTERNAL', `Unexpected failure during ${operation}.`, { cause: err, metadata: { operation } });
}
