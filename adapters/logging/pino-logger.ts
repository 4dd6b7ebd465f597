/**
 * The Logger port on pino: JSON lines on stderr, secrets redacted (docs/architecture.md#configuration-is-read-once).
 */
import { type DestinationStream, type Logger as PinoBaseLogger, pino } from 'pino';
import { LOG_LEVELS, REDACT_PATHS, redactUrlCredentials, SECRET_FIELD_NAMES } from '../../src/config/env.js';
import { TallyError } from '../../src/shared/errors.js';
import type { Logger } from '../../src/shared/logger.port.js';

/** Options of {@link createPinoLogger}. */
export interface PinoLoggerConfig {
  /** One of `fatal`, `error`, `warn`, `info`, `debug`, `trace`, `silent` (normally `config.logLevel`). */
  readonly level: string;
  /**
   * Where log lines go. stderr keeps stdout clean for `tally ask --json` and other piped output.
   * @defaultValue `'stderr'`
   */
  readonly destination?: 'stdout' | 'stderr';
  /** Append to this file instead (created with its folder); the interactive CLI commands log here. */
  readonly file?: string;
  /** Write here instead of `destination` (tests). Anything with `write(line: string)`. */
  readonly stream?: DestinationStream;
}

/** A {@link Logger} that can derive children carrying extra bindings (e.g. `{ module: 'slack' }`). */
export interface PinoLogger extends Logger {
  child(bindings: Record<string, unknown>): PinoLogger;
}

/** The value that replaces a secret in a log line. */
export const REDACTED = '[REDACTED]';

const SECRET_KEYS = new Set(SECRET_FIELD_NAMES.map((name) => name.toLowerCase()));
const MAX_DEPTH = 8;
const URL_WITH_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i;

/**
 * Copy-on-write scrub of a logged object: secret field names become {@link REDACTED} at any depth, and URLs inside
 * strings lose their credentials. Only plain objects and arrays are entered; errors, dates and class instances are
 * left to pino's serializers. Objects without secrets are returned as they are, so the common case allocates nothing.
 */
export function scrubSecrets<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return (URL_WITH_CREDENTIALS.test(value) ? redactUrlCredentials(value) : value) as T;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  const isArray = Array.isArray(value);
  const proto: unknown = Object.getPrototypeOf(value);
  if (!isArray && proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (const [key, child] of Object.entries(value)) {
    const next = !isArray && SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : scrubSecrets(child, depth + 1);
    if (next === child) continue;
    copy ??= isArray ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) };
    (copy as Record<string, unknown>)[key] = next;
  }
  return (copy ?? value) as T;
}

/**
 * Creates the process logger.
 *
 * Two layers keep secrets out: `scrubSecrets` on every logged object, error and child binding (secret field names such
 * as `token`, `password`, `apiKey`, `authToken`, `authorization`, `botToken` or `SLACK_BOT_TOKEN` at any depth,
 * case-insensitive; credentials inside URLs), and pino's `redact` on the exact paths in `REDACT_PATHS`.
 *
 * @throws TallyError `CONFIG_INVALID` for an unknown level.
 * @example
 * const logger = createPinoLogger({ level: config.logLevel });
 * logger.child({ module: 'slack' }).info({ channel }, 'command received');
 */
export function createPinoLogger(config: PinoLoggerConfig): PinoLogger {
  if (!(LOG_LEVELS as readonly string[]).includes(config.level)) {
    throw new TallyError('CONFIG_INVALID', `Unknown log level "${config.level}"; use one of ${LOG_LEVELS.join(', ')}`, {
      metadata: { variables: ['LOG_LEVEL'] },
    });
  }
  // Synchronous writes: a CLI that exits right after logging must not lose the line.
  const stream =
    config.stream ??
    (config.file
      ? pino.destination({ dest: config.file, sync: true, mkdir: true })
      : pino.destination({ dest: config.destination === 'stdout' ? 1 : 2, sync: true }));
  const base = pino(
    {
      name: 'tally',
      level: config.level,
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      formatters: { log: (obj) => scrubSecrets(obj) },
      // The serialized error is copied to a plain object so that its message, stack and own fields are scrubbed too.
      serializers: { err: (err: Error) => scrubSecrets({ ...pino.stdSerializers.err(err) }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
  return wrap(base);
}

function wrap(base: PinoBaseLogger): PinoLogger {
  return {
    debug: (obj, msg) => base.debug(obj, msg),
    info: (obj, msg) => base.info(obj, msg),
    warn: (obj, msg) => base.warn(obj, msg),
    error: (obj, msg) => base.error(obj, msg),
    // pino applies `formatters.bindings` to the root's bindings only, so children's are scrubbed here.
    child: (bindings) => wrap(base.child(scrubSecrets(bindings))),
  };
}
