import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsConfig } from '../../src/config/config.types.js';

/** The connection fields of the `config.aws` slice (so `config.aws` itself fits) plus client tuning. */
export interface AwsClientsConfig
  extends Pick<AwsConfig, 'region' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'profile' | 'endpointUrl'> {
  /**
   * Attempts per request, retries included. Tests pass 1 so that a broken emulator fails at once.
   * @defaultValue 3
   */
  maxAttempts?: number;
  /**
   * Where credentials come from instead of the keys or the profile: the temporary credentials of a role assumed in
   * another account (`aws-assume-role.ts`).
   */
  credentials?: AwsCredentialsProvider;
}

/** Temporary or long-lived AWS credentials, as the SDK's clients take them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When they stop working; the SDK asks the provider again shortly before. */
  expiration?: Date;
}

/** A function the SDK calls for credentials (the SDK's `AwsCredentialIdentityProvider`). */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** SDK clients for the AWS adapters, built on demand and cached per region. */
export interface AwsClients {
  ec2(region: string): EC2Client;
  cloudwatch(region: string): CloudWatchClient;
  /** STS in the configured region (`us-east-1` when none is configured). */
  readonly sts: STSClient;
  /**
   * Cost Explorer. Always `us-east-1`: CE has one endpoint per partition, `ce.us-east-1.amazonaws.com` for the
   * commercial one, whatever region the rest of Tally uses.
   */
  readonly costExplorer: CostExplorerClient;
}

/** Region used for STS when the configuration names none. */
const DEFAULT_REGION = 'us-east-1';
/** Cost Explorer's signing region in the commercial partition. */
const COST_EXPLORER_REGION = 'us-east-1';

type ClientOptions = {
  region: string;
  maxAttempts: number;
  endpoint?: string;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | AwsCredentialsProvider;
};

/**
 * Builds the options shared by every client. A credentials provider (an assumed role) wins, then explicit keys; otherwise the SDK's default chain (env, profile,
 * SSO, container and instance metadata) finds credentials. An explicit `endpoint` (moto in tests) overrides
 * `AWS_ENDPOINT_URL`.
 */
function clientOptions(config: AwsClientsConfig, region: string): ClientOptions {
  const options: ClientOptions = { region, maxAttempts: config.maxAttempts ?? 3 };
  if (config.endpointUrl) options.endpoint = config.endpointUrl;
  if (config.credentials) {
    options.credentials = config.credentials;
  } else if (config.accessKeyId && config.secretAccessKey) {
    options.credentials = {
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
    };
  } else if (config.profile) {
    options.profile = config.profile;
  }
  return options;
}

/** A per-region cache of one kind of client. */
function perRegion<T>(build: (region: string) => T): (region: string) => T {
  const cache = new Map<string, T>();
  return (region) => {
    let client = cache.get(region);
    if (client === undefined) {
      client = build(region);
      cache.set(region, client);
    }
    return client;
  };
}

/**
 * Creates the EC2, CloudWatch, STS and Cost Explorer clients Tally's AWS adapters share.
 *
 * @example
 * const clients = createAwsClients({ ...config.aws });
 * const inventory = new AwsEc2Inventory(clients);
 * @example
 * // tests: moto on loopback, fake keys, no retries
 * createAwsClients({ region: 'us-east-1', endpointUrl, accessKeyId: 'test', secretAccessKey: 'test', maxAttempts: 1 });
 */
export function createAwsClients(config: AwsClientsConfig): AwsClients {
  const region = config.region ?? DEFAULT_REGION;
  return {
    ec2: perRegion((r) => new EC2Client(clientOptions(config, r))),
    cloudwatch: perRegion((r) => new CloudWatchClient(clientOptions(config, r))),
    sts: new STSClient(clientOptions(config, region)),
    costExplorer: new CostExplorerClient(clientOptions(config, COST_EXPLORER_REGION)),
  };
}
