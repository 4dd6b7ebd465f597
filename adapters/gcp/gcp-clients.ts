import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { CloudBillingClient } from '@google-cloud/billing';
import type { GoogleConfig } from '../../src/config/config.types.js';

export interface BigQueryClientOptions {
  /**
   * Project that runs (and pays for) the query jobs.
   * @defaultValue the export table's project
   */
  projectId?: string;
  /** BigQuery API root, e.g. a loopback fake `http://127.0.0.1:P` (requests go to `<apiEndpoint>/bigquery/v2/…`). */
  apiEndpoint?: string;
  /**
   * An auth client to use instead of Application Default Credentials, e.g. an `OAuth2Client` holding a fake
   * `access_token` in tests (with `METADATA_SERVER_DETECTION=none`, so that nothing probes the metadata server).
   */
  authClient?: BigQueryOptions['authClient'];
  /** Retries of failed requests (rate limits, 5xx). Tests pass 0. @defaultValue 3 (the library's) */
  maxRetries?: number;
}

/**
 * A BigQuery client for the billing export. Credentials: `authClient` when given, else the service-account key file
 * of `config.credentialsFile` (`GOOGLE_APPLICATION_CREDENTIALS`), else Application Default Credentials. The identity
 * needs BigQuery Data Viewer on the export dataset and BigQuery Job User on the job project.
 *
 * @example
 * const bigquery = createBigQueryClient(config.google);
 * const source = new BigQueryBillingSource(bigquery, config.google.billingExportTable);
 */
export function createBigQueryClient(
  config: Pick<GoogleConfig, 'credentialsFile' | 'billingExportTable'>,
  options: BigQueryClientOptions = {},
): BigQuery {
  const projectId = options.projectId ?? config.billingExportTable?.projectId;
  return new BigQuery({
    ...(projectId ? { projectId } : {}),
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.authClient
      ? { authClient: options.authClient }
      : config.credentialsFile
        ? { keyFilename: config.credentialsFile }
        : {}),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries, autoRetry: options.maxRetries > 0 }),
  });
}

type BillingClientOptions = NonNullable<ConstructorParameters<typeof CloudBillingClient>[0]>;

export interface CloudBillingClientOptions {
  /**
   * Cloud Billing API root as a URL, e.g. a loopback fake `http://127.0.0.1:P` (requests go to `<apiEndpoint>/v1/…`).
   * @defaultValue `https://cloudbilling.googleapis.com`
   */
  apiEndpoint?: string;
  /** An auth client to use instead of Application Default Credentials (see {@link BigQueryClientOptions.authClient}). */
  authClient?: BigQueryOptions['authClient'];
}

/**
 * A Cloud Billing client (`@google-cloud/billing`) speaking JSON over HTTP/1.1 (google-gax's REST transport,
 * `fallback: 'rest'`) rather than gRPC: one transport in production and against the loopback fake, which only a URL
 * tells apart (`protocol`, host and `port` of `apiEndpoint`). Credentials as {@link createBigQueryClient}'s; the
 * identity needs Billing Account Viewer on the billing account.
 *
 * @example
 * const projects = new GcpBillingProjects(createCloudBillingClient(config.google), config.google.billingAccountId);
 */
export function createCloudBillingClient(
  config: Pick<GoogleConfig, 'credentialsFile'>,
  options: CloudBillingClientOptions = {},
): CloudBillingClient {
  const endpoint = options.apiEndpoint ? new URL(options.apiEndpoint) : undefined;
  const http = endpoint?.protocol === 'http:';
  return new CloudBillingClient({
    fallback: 'rest',
    ...(endpoint
      ? {
          apiEndpoint: endpoint.hostname,
          protocol: http ? 'http' : 'https',
          port: Number(endpoint.port || (http ? 80 : 443)),
        }
      : {}),
    ...(options.authClient
      ? // google-gax has its own copy of google-auth-library, whose classes TypeScript tells apart from the top-level
        // one's; the REST transport only calls the client's `getRequestHeaders()` and `fetch()`.
        { authClient: options.authClient as unknown as BillingClientOptions['authClient'] }
      : config.credentialsFile
        ? { keyFilename: config.credentialsFile }
        : {}),
  });
}
