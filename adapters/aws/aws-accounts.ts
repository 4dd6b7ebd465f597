import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AccountName } from '../../src/costs/cost-repository.port.js';
import type { Clock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import { assumeRoleCredentials } from './aws-assume-role.js';
import { type AwsClients, type AwsClientsConfig, createAwsClients } from './aws-clients.js';
import { handleAwsError } from './aws-errors.js';

/** Which AWS accounts Tally covers besides the credentials' own, and how it reaches them (README "Every account"). */
export interface AwsAccountsConfig {
  /** `TALLY_AWS_ROLE_NAME`: the role assumed in an account that `roles` does not name. */
  roleName?: string;
  /** `TALLY_AWS_EXTERNAL_ID`. */
  externalId?: string;
  /** The policy file's `aws.roles`: account id → role ARN. */
  roles?: Readonly<Record<string, string>>;
  /** `TALLY_AWS_ACCOUNTS`: exactly these accounts besides the own one. */
  accounts?: readonly string[];
  /**
   * The accounts of the cost data (the cost store's sub-accounts); those of AWS are covered when `accounts` is unset
   * and `roleName` is set.
   */
  linkedAccounts?: () => Promise<readonly AccountName[]>;
  clock?: Clock;
}

/** SDK clients per AWS account. */
export interface AwsAccountClients {
  /** The clients of `accountId`: the base ones for the credentials' own account, else an assumed role's. */
  clients(accountId: string): Promise<AwsClients>;
}

/**
 * The AWS accounts recommendations and actions cover and their clients. The credentials' own account (STS
 * GetCallerIdentity) is always covered and needs no role; every other account is reached through STS AssumeRole into
 * its role of `aws.roles`, else `arn:<partition>:iam::<account>:role/<TALLY_AWS_ROLE_NAME>`. The accounts are
 * `TALLY_AWS_ACCOUNTS` when set, else those of `aws.roles` and, with a role name, the AWS accounts the cost data knows.
 */
export class AwsAccounts implements AwsAccountClients {
  private identity: Promise<{ accountId: string; partition: string }> | undefined;
  private readonly members = new Map<string, Promise<AwsClients>>();

  constructor(
    private readonly base: AwsClients,
    private readonly clientsConfig: AwsClientsConfig,
    private readonly config: AwsAccountsConfig = {},
  ) {}

  /** The credentials' own account, asked once (a failed call is asked again next time). */
  async ownAccountId(): Promise<string> {
    return (await this.callerIdentity()).accountId;
  }

  /** Every covered account, the credentials' own first, then the others in order of their ids. */
  async list(): Promise<string[]> {
    const own = await this.ownAccountId();
    const { accounts, roles = {}, roleName, linkedAccounts } = this.config;
    const others =
      accounts !== undefined
        ? [...accounts]
        : [...Object.keys(roles), ...(roleName && linkedAccounts ? awsAccountIds(await linkedAccounts()) : [])];
    return [own, ...[...new Set(others)].filter((a) => a !== own).sort()];
  }

  /**
   * The role ARN assumed for `accountId`, or null when none is configured. Never asked for the own account.
   * @throws the STS failure of GetCallerIdentity (the partition comes from the caller's ARN)
   */
  async roleArnOf(accountId: string): Promise<string | null> {
    const named = this.config.roles?.[accountId];
    if (named) return named;
    if (!this.config.roleName) return null;
    const { partition } = await this.callerIdentity();
    return `arn:${partition}:iam::${accountId}:role/${this.config.roleName}`;
  }

  async clients(accountId: string): Promise<AwsClients> {
    if (accountId === (await this.ownAccountId())) return this.base;
    let member = this.members.get(accountId);
    if (!member) {
      member = this.memberClients(accountId);
      this.members.set(accountId, member);
      member.catch(() => this.members.delete(accountId));
    }
    return member;
  }

  private async memberClients(accountId: string): Promise<AwsClients> {
    const roleArn = await this.roleArnOf(accountId);
    if (!roleArn) {
      throw new TallyError(
        'CLOUD_DENIED',
        `No role to reach account ${accountId}: set TALLY_AWS_ROLE_NAME, or aws.roles."${accountId}" in the policy file`,
        { metadata: { operation: 'AssumeRole', awsCode: 'NoRole', accountId } },
      );
    }
    const credentials = assumeRoleCredentials(this.base.sts, {
      accountId,
      roleArn,
      ...(this.config.externalId ? { externalId: this.config.externalId } : {}),
      ...(this.config.clock ? { clock: this.config.clock } : {}),
    });
    return createAwsClients({ ...this.clientsConfig, credentials });
  }

  private callerIdentity(): Promise<{ accountId: string; partition: string }> {
    this.identity ??= this.fetchIdentity().catch((err: unknown) => {
      this.identity = undefined;
      throw err;
    });
    return this.identity;
  }

  private async fetchIdentity(): Promise<{ accountId: string; partition: string }> {
    try {
      const out = await this.base.sts.send(new GetCallerIdentityCommand({}));
      if (!out.Account) throw new TallyError('CLOUD_FAILED', 'STS GetCallerIdentity returned no account');
      return { accountId: out.Account, partition: out.Arn?.split(':')[1] || 'aws' };
    } catch (err) {
      return handleAwsError(err, 'GetCallerIdentity');
    }
  }
}

/** The AWS account ids among the cost data's sub-accounts (FOCUS names the provider `AWS` or `Amazon Web Services`). */
function awsAccountIds(names: readonly AccountName[]): string[] {
  return names
    .filter((n) => /^(aws|amazon web services)$/i.test(n.provider.trim()) && /^\d{12}$/.test(n.subAccountId))
    .map((n) => n.subAccountId);
}
