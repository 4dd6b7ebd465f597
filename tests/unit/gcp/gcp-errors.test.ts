import { describe, expect, it } from 'vitest';
import { handleGcpError } from '../../../adapters/gcp/gcp-errors.js';
import { TallyError } from '../../../src/shared/errors.js';

/** A `GoogleError` as google-gax builds it from a google.rpc.Status: `code` is the gRPC code, `reason` its ErrorInfo's. */
function googleError(code: number, message: string, reason?: string): Error {
  return Object.assign(new Error(message), { code, ...(reason ? { reason } : {}) });
}

function caught(fn: () => unknown): TallyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TallyError) return err;
    throw err;
  }
  throw new Error('expected a TallyError');
}

describe('handleGcpError on google-gax errors', () => {
  it.each([
    [7, 'CLOUD_DENIED', 403],
    [16, 'CLOUD_DENIED', 401],
    [8, 'CLOUD_THROTTLED', 429],
    [14, 'CLOUD_THROTTLED', 503],
    [5, 'CLOUD_NOT_FOUND', 404],
    [3, 'CLOUD_FAILED', 400],
  ])('reads gRPC code %i as %s (HTTP %i)', (code, tally, httpStatus) => {
    const err = caught(() =>
      handleGcpError(googleError(code, 'refused'), 'Cloud Billing billingAccounts.projects.list'),
    );
    expect(err.code).toBe(tally);
    expect(err.metadata).toMatchObject({ httpStatus });
  });

  it('keeps the ErrorInfo reason, and a disabled API is a denial', () => {
    const err = caught(() =>
      handleGcpError(googleError(9, 'Cloud Billing API has not been used', 'SERVICE_DISABLED'), 'op'),
    );
    expect(err.code).toBe('CLOUD_DENIED');
    expect(err.metadata).toMatchObject({ reasons: ['SERVICE_DISABLED'] });
  });

  it('still reads an HTTP status as one (BigQuery, @google-cloud/common)', () => {
    const apiError = Object.assign(new Error('Exceeded rate limits'), {
      code: 403,
      errors: [{ reason: 'rateLimitExceeded' }],
    });
    expect(caught(() => handleGcpError(apiError, 'BigQuery jobs.insert')).code).toBe('CLOUD_THROTTLED');
    expect(caught(() => handleGcpError(Object.assign(new Error('no'), { code: 403 }), 'op')).code).toBe('CLOUD_DENIED');
  });

  it('reads the message out of a google.rpc.Status left whole as the message', () => {
    const body = JSON.stringify({
      error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' },
    });
    const err = caught(() => handleGcpError(Object.assign(new Error(body), { code: 403 }), 'op'));
    expect(err.code).toBe('CLOUD_DENIED');
    // What people read is the status' message, not the JSON around it.
    expect(err.message).not.toContain('{');
  });
});
