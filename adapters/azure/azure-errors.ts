import { TallyError, type TallyErrorCode } from '../../src/shared/errors.js';

/**
 * What an Azure SDK failure looks like: a core-rest-pipeline `RestError` (`statusCode`, `code` = the ARM error code
 * such as `AuthorizationFailed`, `response.headers`), an `@azure/identity` error (`name`), or a Node network error.
 */
interface AzureErrorShape {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  response?: { headers?: { get?(name: string): string | undefined } };
}

/** `@azure/identity` failures: no usable credential, or the token request was refused. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

/** ARM error codes for missing access, whatever the status. */
const DENIED_CODES = new Set(['AuthorizationFailed', 'AuthenticationFailed', 'InvalidAuthenticationToken']);

/** Headers Cost Management uses to say how long to wait after a 429; the largest wins. */
const RETRY_AFTER_HEADERS = [
  'retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-entity-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after',
];

/** The HTTP status of the failed response, when there was one. */
function azureHttpStatus(err: unknown): number | undefined {
  const status = ((err ?? {}) as AzureErrorShape).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The ARM error code (`AuthorizationFailed`, `429`, …), a Node error code, or the error's name. */
function azureErrorCode(err: unknown): string {
  const e = (err ?? {}) as AzureErrorShape;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (typeof e.name === 'string' && e.name !== '') return e.name;
  return 'Unknown';
}

/** Seconds to wait before asking again, from the response's retry-after headers. */
function azureRetryAfterSeconds(err: unknown): number | undefined {
  const headers = ((err ?? {}) as AzureErrorShape).response?.headers;
  const values = RETRY_AFTER_HEADERS.map((h) => Number(headers?.get?.(h))).filter((n) => Number.isFinite(n) && n > 0);
  return values.length === 0 ? undefined : Math.max(...values);
}

/** Which Tally code an Azure failure maps to. */
function classifyAzureError(err: unknown): Extract<TallyErrorCode, `CLOUD_${string}`> {
  const e = (err ?? {}) as AzureErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = azureErrorCode(err);
  const status = azureHttpStatus(err);
  if (status === 429 || status === 503 || code === 'TooManyRequests') return 'CLOUD_THROTTLED';
  if (CREDENTIAL_ERRORS.has(name) || DENIED_CODES.has(code) || status === 401 || status === 403) return 'CLOUD_DENIED';
  if (status === 404 || /NotFound$/.test(code)) return 'CLOUD_NOT_FOUND';
  return 'CLOUD_FAILED';
}

/**
 * Translates any failure of an Azure call into a `TallyError` at the adapter edge (docs/architecture.md#errors): 429
 * and 503 are `CLOUD_THROTTLED` (retry later; `retryAfterSeconds` in the metadata when Azure said), 401/403 and
 * credential failures `CLOUD_DENIED`, 404 `CLOUD_NOT_FOUND`, everything else (network errors included) `CLOUD_FAILED`.
 * Metadata holds `{ operation, azureCode, httpStatus?, retryAfterSeconds? }` and never a token; the SDK error stays
 * reachable as `cause`. A `TallyError` passes through unchanged.
 *
 * @example
 * try { await client.query.usage(scope, definition); }
 * catch (err) { handleAzureError(err, 'Query.Usage'); }
 */
export function handleAzureError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  const azureCode = azureErrorCode(err);
  const httpStatus = azureHttpStatus(err);
  const retryAfterSeconds = azureRetryAfterSeconds(err);
  const detail = err instanceof Error && err.message !== '' ? `: ${err.message}` : '';
  throw new TallyError(classifyAzureError(err), `Azure ${operation} failed (${azureCode})${detail}`, {
    cause: err,
    metadata: {
      operation,
      azureCode,
      ...(httpStatus === undefined ? {} : { httpStatus }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
  });
}
