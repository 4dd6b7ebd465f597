import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
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
