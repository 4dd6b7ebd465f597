import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import type { AwsCredentials, AwsCredentialsProvider } from './aws-clients.js';
import { classifyAwsError } from './aws-errors.js';

export interface AssumeRoleConfig {
  /** The account the role is in, named in failures. */
  accountId: string;
  roleArn: string;
  /** `TALLY_AWS_EXTERNAL_ID`, when the role's trust policy asks for one. */
  externalId?: string;
  /** @defaultValue 'tally' */
  sessionName?: string;
  /** @defaultValue the system clock */
  clock?: Clock;
}

/** Credentials are assumed again this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** One hour, the longest a role chained from another role may last (and AssumeRole's default). */
const DURATION_SECONDS = 3600;

/**
 * Credentials of a role in another account, from STS AssumeRole with the caller's own credentials (`sts`). They are
 * kept until 5 minutes before they expire; calls at the same time share one AssumeRole. A role that cannot be
 * assumed fails with a `TallyError` (`CLOUD_DENIED` for a refusal) naming the account and the role, and is asked again
 * on the next call.
 *
 * @example
 * const credentials = assumeRoleCredentials(clients.sts, { accountId: '222222222222', roleArn });
 * const member = createAwsClients({ ...config.aws, credentials });
 */
export function assumeRoleCredentials(sts: STSClient, config: AssumeRoleConfig): AwsCredentialsProvider {
  const clock = config.clock ?? systemClock;
  let held: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const fresh = (c: AwsCredentials | undefined): c is AwsCredentials =>
    c !== undefined && (!c.expiration || c.expiration.getTime() - REFRESH_BEFORE_MS > clock.now().getTime());
  return () => {
    if (fresh(held)) return Promise.resolve(held);
    pending ??= assume(sts, config)
      .then((credentials) => {
        held = credentials;
        return credentials;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

async function assume(sts: STSClient, config: AssumeRoleConfig): Promise<AwsCredentials> {
  const { accountId, roleArn } = config;
  let out: AssumeRoleCommandOutput;
  try {
    out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: config.sessionName ?? 'tally',
        DurationSeconds: DURATION_SECONDS,
        ...(config.externalId ? { ExternalId: config.externalId } : {}),
      }),
    );
  } catch (err) {
    const awsCode = err instanceof Error ? err.name : 'Unknown';
    const detail = err instanceof Error && err.message !== '' ? `: ${err.message}` : '';
    throw new TallyError(
      classifyAwsError(err),
      `Cannot assume ${roleArn} for account ${accountId} (${awsCode})${detail}`,
      { cause: err, metadata: { operation: 'AssumeRole', awsCode, accountId, roleArn } },
    );
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new TallyError('CLOUD_FAILED', `AssumeRole of ${roleArn} for account ${accountId} returned no credentials`, {
      metadata: { operation: 'AssumeRole', awsCode: 'NoCredentials', accountId, roleArn },
    });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}
