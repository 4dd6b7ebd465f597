import type { DryRunOutcome } from '../../src/approvals/execution/cloud-actions.port.js';
import { TallyError, type TallyErrorCode } from '../../src/shared/errors.js';

/** What an AWS SDK v3 failure looks like: a `ServiceException` (`name` = the AWS error code) or a Node network error. */
interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Codes AWS uses for "slow down"; the call may succeed later. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // Cost Explorer's rate limit: "You made too many calls in a short period of time. Try again later." (HTTP 400).
  'LimitExceededException',
]);

/** Codes for missing permissions or unusable credentials. */
const DENIED = new Set([
  'UnauthorizedOperation',
  'AuthFailure',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
]);

/** The AWS error code (`InvalidInstanceID.NotFound`, …), a Node error code (`ECONNREFUSED`), or the error's name. */
function awsErrorCode(err: unknown): string {
  const e = (err ?? {}) as AwsErrorShape;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (typeof e.name === 'string' && e.name !== '') return e.name;
  return 'Unknown';
}

/** The HTTP status of the failed response, when there was one. */
function awsHttpStatus(err: unknown): number | undefined {
  const status = ((err ?? {}) as AwsErrorShape).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Which Tally code an AWS failure maps to. */
export function classifyAwsError(err: unknown): Extract<TallyErrorCode, `CLOUD_${string}`> {
  const e = (err ?? {}) as AwsErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = awsErrorCode(err);
  const status = awsHttpStatus(err);
  if (THROTTLING.has(name) || THROTTLING.has(code) || status === 429 || status === 503) return 'CLOUD_THROTTLED';
  if (DENIED.has(name) || /^(AccessDenied|AuthFailure)/.test(name) || DENIED.has(code)) return 'CLOUD_DENIED';
  if (/NotFound(Exception)?$/.test(name) || /NotFound(Exception)?$/.test(code)) return 'CLOUD_NOT_FOUND';
  return 'CLOUD_FAILED';
}

/**
 * Translates any failure of an AWS call into a `TallyError` at the adapter edge (docs/architecture.md#errors):
 * `CLOUD_THROTTLED` (retry later), `CLOUD_DENIED`, `CLOUD_NOT_FOUND` or `CLOUD_FAILED` (everything else, network errors
 * and waiter time-outs included). Metadata holds `{ operation, awsCode, httpStatus }` and never a credential; the SDK
 * error stays reachable as `cause`. A `TallyError` passes through unchanged.
 *
 * @example
 * try { await ec2.send(new StopInstancesCommand({ InstanceIds: [id] })); }
 * catch (err) { handleAwsError(err, 'StopInstances'); }
 */
export function handleAwsError(err: unknown, operation: string): never {
  if (err instanceof TallyError) throw err;
  const awsCode = awsErrorCode(err);
  const httpStatus = awsHttpStatus(err);
  const detail = err instanceof Error && err.message !== '' ? `: ${err.message}` : '';
  throw new TallyError(classifyAwsError(err), `AWS ${operation} failed (${awsCode})${detail}`, {
    cause: err,
    metadata: { operation, awsCode, ...(httpStatus === undefined ? {} : { httpStatus }) },
  });
}

/**
 * Reads the answer to a `DryRun: true` call: `DryRunOperation` means permitted,
 * `UnauthorizedOperation` (or `AccessDenied*`) means denied, and any other client error (`IncorrectInstanceState`,
 * `InvalidInstanceID.NotFound`, …) means the call would be rejected. Throttling, bad credentials, server and network
 * failures are not answers: they are thrown through `handleAwsError`.
 */
export function dryRunOutcomeOf(err: unknown, operation: string): DryRunOutcome {
  const code = awsErrorCode(err);
  if (code === 'DryRunOperation') return { ok: true };
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UnauthorizedOperation' || code.startsWith('AccessDenied')) {
    return { ok: false, reason: 'UNAUTHORIZED', message };
  }
  const kind = classifyAwsError(err);
  const status = awsHttpStatus(err);
  const clientFault = status === undefined ? ((err ?? {}) as AwsErrorShape).$fault === 'client' : status < 500;
  if ((kind === 'CLOUD_FAILED' || kind === 'CLOUD_NOT_FOUND') && clientFault) {
    return { ok: false, reason: 'INVALID', message };
  }
  return handleAwsError(err, operation);
}
