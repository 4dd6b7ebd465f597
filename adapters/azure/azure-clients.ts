import { CostManagementClient } from '@azure/arm-costmanagement';
import { ClientSecretCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { AzureConfig } from '../../src/config/config.types.js';
import { TallyError } from '../../src/shared/errors.js';

/** Azure Resource Manager in the public cloud. */
export const ARM_ENDPOINT = 'https://management.azure.com';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The credential for Azure's APIs: a service principal when `config.azure` names one (tenant, client id and secret),
 * otherwise `DefaultAzureCredential` (workload or managed identity, Azure CLI, …), told the tenant and the client id
 * of a user-assigned identity when they are set. The identity needs Cost Management Reader on each subscription.
 * Tests pass a fake `TokenCredential` instead and never build this.
 */
export function createAzureCredential(
  config: Pick<AzureConfig, 'tenantId' | 'clientId' | 'clientSecret'>,
): TokenCredential {
  const { tenantId, clientId, clientSecret } = config;
  if (tenantId && clientId && clientSecret) return new ClientSecretCredential(tenantId, clientId, clientSecret);
  if (clientSecret) {
    throw new TallyError('CONFIG_INVALID', 'AZURE_CLIENT_SECRET needs AZURE_TENANT_ID and AZURE_CLIENT_ID.');
  }
  return new DefaultAzureCredential({
    ...(tenantId ? { tenantId } : {}),
    ...(clientId ? { managedIdentityClientId: clientId, workloadIdentityClientId: clientId } : {}),
  });
}

export interface CostManagementClientOptions {
  /**
   * ARM endpoint. `http://` is accepted for loopback hosts only (test fakes): the SDK's bearer-token policy refuses
   * plain HTTP, so there it is replaced by one that sends the same token.
   * @defaultValue {@link ARM_ENDPOINT}
   */
  endpoint?: string;
  /** Retries after a failed request (429s honour `Retry-After`). Tests pass 0. @defaultValue 3 (the SDK's) */
  maxRetries?: number;
}

/** True when the endpoint is plain HTTP on a loopback host; throws for plain HTTP anywhere else. */
export function isLoopbackHttp(endpoint: string): boolean {
  const url = new URL(endpoint);
  if (url.protocol === 'https:') return false;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return true;
  throw new TallyError('CONFIG_INVALID', `The Azure endpoint must be https (or http on loopback): ${url.origin}`);
}

/**
 * A `CostManagementClient` (api-version 2022-10-01) for `credential`.
 *
 * @example
 * // tests: a loopback fake, a fake credential, no retries
 * createCostManagementClient({ getToken: async () => ({ token: 'x', expiresOnTimestamp: Date.now() + 3.6e6 }) },
 *   { endpoint: fake.url, maxRetries: 0 });
 */
export function createCostManagementClient(
  credential: TokenCredential,
  options: CostManagementClientOptions = {},
): CostManagementClient {
  const endpoint = (options.endpoint ?? ARM_ENDPOINT).replace(/\/+$/, '');
  const insecure = isLoopbackHttp(endpoint);
  const client = new CostManagementClient(credential, {
    endpoint,
    allowInsecureConnection: insecure,
    ...(options.maxRetries === undefined ? {} : { retryOptions: { maxRetries: options.maxRetries } }),
  });
  if (insecure) {
    const scope = `${endpoint}/.default`;
    client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
    client.pipeline.addPolicy({
      name: 'loopbackBearerTokenPolicy',
      async sendRequest(request, next) {
        const token = await credential.getToken(scope);
        if (token) request.headers.set('authorization', `Bearer ${token.token}`);
        return next(request);
      },
    });
  }
  return client;
}
