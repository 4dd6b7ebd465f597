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
}

/** Reasons that mean "slow down" or "try later" (BigQuery's quotaExceeded is a 403, but waiting is the remedy). */
const THROTTLED_REASONS = new Set(['rateLimitExceeded', 'quotaExceeded', 'backendError', 'jobBackendError']);
const DENIED_REASONS = new Set(['accessDenied', 'authError', 'forbidden', 'unauthorized', 'billingNotEnabled']);
const NOT_FOUND_REASONS = new Set(['notFound']);

/** The HTTP status of the failed response, when there was one. */
function gcpHttpStatus(err: unknown): number | undefined {
  const code = ((err ?? {}) as GcpErrorShape).code;
  return typeof code === 'number' ? code : undefined;
}

/** The `reason`s of the error's `errors[]`. */
function gcpErrorReasons(err: unknown): string[] {
  const errors = ((err ?? {}) as GcpErrorShape).errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .map((e: unknown) => (e as { reason?: unknown } | null)?.reason)
    .filter((r): r is string => typeof r === 'string' && r !== '');
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
  const detail = err instanceof Error && err.message !== '' ? `: ${err.message}` : '';
  throw new TallyError(classifyGcpError(err), `Google Cloud ${operation} failed${detail}`, {
    cause: err,
    metadata: { operation, reasons, ...(httpStatus === undefined ? {} : { httpStatus }) },
  });
}
