import { createServer } from 'node:net';
import { DescribeInstancesCommand, EC2ServiceException } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../adapters/aws/aws-clients.js';
import { dryRunOutcomeOf, handleAwsError } from '../../../adapters/aws/aws-errors.js';
import { TallyError } from '../../../src/shared/errors.js';

/** An error as the SDK builds it from an AWS error response: `name` is the AWS code. */
function sdkError(name: string, httpStatusCode: number): EC2ServiceException {
  return new EC2ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: 'req-1', attempts: 1, totalRetryDelay: 0 },
    message: `${name} happened`,
  });
}

/** A Node socket error as the SDK's HTTP handler passes it on. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', syscall: 'connect' });
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

describe('handleAwsError', () => {
  it.each([
    ['Throttling', 400, 'CLOUD_THROTTLED'],
    ['ThrottlingException', 400, 'CLOUD_THROTTLED'],
    ['RequestLimitExceeded', 503, 'CLOUD_THROTTLED'],
    ['TooManyRequestsException', 429, 'CLOUD_THROTTLED'],
    ['SomethingNew', 429, 'CLOUD_THROTTLED'],
    ['ServiceUnavailable', 503, 'CLOUD_THROTTLED'],
    ['UnauthorizedOperation', 403, 'CLOUD_DENIED'],
    ['AccessDenied', 403, 'CLOUD_DENIED'],
    ['AccessDeniedException', 400, 'CLOUD_DENIED'],
    ['AuthFailure', 401, 'CLOUD_DENIED'],
    ['InvalidInstanceID.NotFound', 400, 'CLOUD_NOT_FOUND'],
    ['InvalidVolume.NotFound', 400, 'CLOUD_NOT_FOUND'],
    ['InvalidAllocationID.NotFound', 400, 'CLOUD_NOT_FOUND'],
    ['InvalidAddress.NotFound', 400, 'CLOUD_NOT_FOUND'],
    ['InvalidSnapshot.NotFound', 400, 'CLOUD_NOT_FOUND'],
    ['IncorrectInstanceState', 400, 'CLOUD_FAILED'],
    ['VolumeInUse', 400, 'CLOUD_FAILED'],
    ['InternalError', 500, 'CLOUD_FAILED'],
  ] as const)('maps %s (HTTP %i) to %s with safe metadata', (name, status, code) => {
    const cause = sdkError(name, status);
    const err = caught(() => handleAwsError(cause, 'StopInstances'));
    expect(err.code).toBe(code);
    expect(err.metadata).toEqual({ operation: 'StopInstances', awsCode: name, httpStatus: status });
    expect(err.cause).toBe(cause);
  });

  it('maps network errors to CLOUD_FAILED with the socket error code', () => {
    const err = caught(() => handleAwsError(connectionRefused(), 'DescribeInstances'));
    expect(err.code).toBe('CLOUD_FAILED');
    expect(err.metadata).toEqual({ operation: 'DescribeInstances', awsCode: 'ECONNREFUSED' });
  });

  it('maps a real refused connection from an SDK client to CLOUD_FAILED', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const clients = createAwsClients({
      region: 'us-east-1',
      endpointUrl: `http://127.0.0.1:${port}`,
      accessKeyId: 'AKIDSECRETLOOKING',
      secretAccessKey: 'very-secret-value',
      maxAttempts: 1,
    });
    const err = await clients
      .ec2('us-east-1')
      .send(new DescribeInstancesCommand({}))
      .then(
        () => null,
        (e: unknown) => caught(() => handleAwsError(e, 'DescribeInstances')),
      );
    expect(err?.code).toBe('CLOUD_FAILED');
    expect(err?.metadata.operation).toBe('DescribeInstances');
    expect(JSON.stringify(err?.metadata)).not.toMatch(/very-secret-value|AKIDSECRETLOOKING/);
  });

  it('lets a TallyError through unchanged', () => {
    const original = new TallyError('CLOUD_NOT_FOUND', 'gone');
    expect(caught(() => handleAwsError(original, 'X'))).toBe(original);
  });
});

describe('dryRunOutcomeOf', () => {
  it('reads DryRunOperation as permitted', () => {
    expect(dryRunOutcomeOf(sdkError('DryRunOperation', 412), 'StopInstances')).toEqual({ ok: true });
  });

  it('reads UnauthorizedOperation as denied', () => {
    expect(dryRunOutcomeOf(sdkError('UnauthorizedOperation', 403), 'StopInstances')).toMatchObject({
      ok: false,
      reason: 'UNAUTHORIZED',
    });
  });

  it.each([
    ['IncorrectInstanceState', 400],
    ['InvalidInstanceID.NotFound', 400],
    ['InvalidParameterValue', 400],
  ])('reads the client error %s as invalid', (name, status) => {
    const outcome = dryRunOutcomeOf(sdkError(name, status), 'ModifyInstanceAttribute');
    expect(outcome).toMatchObject({ ok: false, reason: 'INVALID' });
    expect(outcome.ok === false && outcome.message).toBeTruthy();
  });

  it.each([
    [sdkError('RequestLimitExceeded', 503), 'CLOUD_THROTTLED'],
    [sdkError('InternalError', 500), 'CLOUD_FAILED'],
    [sdkError('AuthFailure', 401), 'CLOUD_DENIED'],
    [connectionRefused(), 'CLOUD_FAILED'],
  ] as const)('throws for failures that are not an answer (%s)', (error, code) => {
    expect(caught(() => dryRunOutcomeOf(error, 'StopInstances')).code).toBe(code);
  });
});
