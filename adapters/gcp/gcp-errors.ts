import { TallyError, type TallyErrorCode } from '../../src/shared/errors.js';

/**
 * What a Google Cloud client failure looks like: an `ApiError` of `@google-cloud/common` (`code` = the HTTP status,
 * `errors[].reason` such as `rateLimitExceeded`, `accessDenied`, `notFound`, `invalidQuery`), a google-auth-library
 * error, or a Node network error (`code` a string such as `ECONNREFUSED`).
 */
interface GcpErrorShape {
  name?: unknown;
  code?: unknown;
  errors?: unknown;
  reason?: unknown;
}

/** Reasons that mean "slow down" or "try later" (BigQuery's quotaExceeded is a 403, but waiting is the remedy). */
const THROTTLED_REASONS = new Set([
  'rateLimitExceeded',
  'quotaExceeded',
  'backendError',
  'jobBackendError',
  'RATE_LIMIT_EXCEEDED',
]);
const DENIED_REASONS = new Set([
  'accessDenied',
  'authError',
  'forbidden',
  'unauthorized',
  'billingNotEnabled',
  // google-gax ErrorInfo reasons: the API is not enabled on the project of the credentials, or IAM refused.
  'SERVICE_DISABLED',
  'IAM_PERMISSION_DENIED',
]);
const NOT_FOUND_REASONS = new Set(['notFound']);

/**
 * The HTTP status a gRPC status code stands for. google-gax clients (`@google-cloud/billing`) give a `GoogleError` whose
 * `code` is the gRPC code even over REST (403 PERMISSION_DENIED → 7), where `@google-cloud/common` gives the HTTP status.
 */
const HTTP_STATUS_OF_GRPC_CODE: Readonly<Record<number, number>> = {
  3: 400, // INVALID_ARGUMENT
  4: 504, // DEADLINE_EXCEEDED
  5: 404, // NOT_FOUND
  7: 403, // PERMISSION_DENIED
  8: 429, // RESOURCE_EXHAUSTED
  9: 400, // FAILED_PRECONDITION
  13: 500, // INTERNAL
  14: 503, // UNAVAILABLE
  16: 401, // UNAUTHENTICATED
};

/** The HTTP status of the failed response, when there was one (a gRPC code is read as the status it stands for). */
function gcpHttpStatus(err: unknown): number | undefined {
  const code = ((err ?? {}) as GcpErrorShape).code;
  if (typeof code !== 'number') return undefined;
  // HTTP statuses start at 100; gRPC codes run from 0 to 16.
  return code < 100 ? HTTP_STATUS_OF_GRPC_CODE[code] : code;
}

/** The `reason`s of the error's `errors[]`, or the `reason` of a `GoogleError`'s `ErrorInfo` (`SERVICE_DISABLED`, …). */
function gcpErrorReasons(err: unknown): string[] {
  const { errors, reason } = (err ?? {}) as GcpErrorShape;
  const reasons = Array.isArray(errors)
    ? errors.map((e: unknown) => (e as { reason?: unknown } | null)?.reason)
    : [reason];
  return reasons.filter((r): r is string => typeof r === 'string' && r !== '');
}

/** Which Tally code a Google Cloud failure maps to. */
function classifyGcpError(err: unknown): Extract<TallyErrorCode, `CLOUD_${string}`> {
  const status = gcpHttpStatus(err);
  const reasons = gcpErrorReasons(err);
  const name = ((err ?? {}) as GcpErrorShape).name;
  if (status === 429 || status === 503 || reasons.some((r) => THROTTLED_REASONS.has(r))) return 'CLOUD_THROTTLED';
  if (status === 401 || status === 403 || reasons.some((r) => DENIED_REASONS.has(r))) return 'CLOUD_DENIED';
  // google-auth-library: no credentials found, or the token request was refused.
  if (err instanceof Error && /default credentials|invalid_grant/i.test(err.message)) {
    return 'CLOUD_DENIED';
  }
  if (status === 404 || reasons.some((r) => NOT_FOUND_REASONS.has(r)) || name === 'NotFoundError') {
    return 'CLOUD_NOT_FOUND';
  }
  return 'CLOUD_FAILED';
}

/**
 * The message of a failure. google-gax's REST transport, when the auth client's `fetch` (gaxios) throws on the HTTP
 * status, leaves the whole google.rpc.Status JSON as the message: its `error.message` is what people should read.
 */
function gcpErrorMessage(message: string): string {
  if (!message.startsWith('{')) return message;
  try {
    const inner = (JSON.parse(message) as { error?: { message?: unknown } }).error?.message;
    return typeof inner === 'string' && inner !== '' ? inner : message;
  } catch {
    return message;
  }
}

/**
 * Translates any failure of a Google Cloud call into a `TallyError` at the adapter edge (docs/architecture.md#errors):
 * `CLOUD_THROTTLED` (429, 503, rate and quota reasons), `CLOUD_DENIED` (401, 403, missing credentials),
 * `CLOUD_NOT_FOUND` (404) or `CLOUD_FAILED` (everything else: invalid queries, failed jobs, network errors).
 * Metadata holds `{ operation, httpStatus?, reasons }`; the client error stays reachable as `cause`.
 * A `TallyError` passes through unchanged.
 *
 * @example
 * try { [job] = await bigquery.createQueryJob(options); }
 * catch (err) { handleGcpError(err, 'BigQuery jobs.insert'); }
 */
export function handleGcpError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  const httpStatus = gcpHttpStatus(err);
  const reasons = gcpErrorReasons(err);
  const message = err instanceof Error ? gcpErrorMessage(err.message) : '';
  const detail = message !== '' ? `: ${message}` : '';
  throw new TallyError(classifyGcpError(err), `Google Cloud ${operation} failed${detail}`, {
    cause: err,
    metadata: { operation, reasons, ...(httpStatus === undefined ? {} : { httpStatus }) },
  });
}
