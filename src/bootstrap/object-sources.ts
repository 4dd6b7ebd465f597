import { FileObjectSyncLog } from '../../adapters/object-storage/object-sync-file.log.js';
import type { Config } from '../config/config.types.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import type { ImportService } from '../costs/import.service.js';
import { ObjectSourceSync } from '../costs/object-source-sync.service.js';
import { spanOf } from '../shared/day.js';
import { focusPaths, importEach } from './focus-sources.js';
import { LazyObjectStore } from './lazy-object-store.js';

/** The URIs of each object storage service: `s3://`, Azure Blob (`az://` or its https URL) and `gs://`. */
const S3_URI = /^s3:\/\//i;
const AZURE_BLOB_URI = /^az:\/\/|^https:\/\/[a-z0-9]+\.blob\.core\.windows\.net\//i;
const GCS_URI = /^gs:\/\//i;

/**
 * True for a path that names object storage (`s3://bucket/prefix/`, `az://account/container/prefix`,
 * `https://account.blob.core.windows.net/container/prefix` or `gs://bucket/prefix`) rather than a local file or folder.
 */
export function isObjectStorageUri(path: string): boolean {
  return [S3_URI, AZURE_BLOB_URI, GCS_URI].some((uri) => uri.test(path));
}

/**
 * The object storage sync (docs/cost-data.md, "Object storage") over S3 with the `config.aws` settings (keys or the
 * SDK's credential chain, `AWS_ENDPOINT_URL`), Azure Blob and Cloud Storage. Each SDK is loaded when a URI of its
 * service is first synced, so that commands reading local files load none and an S3 sync loads only S3's. Each
 * prefix's last sync is noted in `dataDir` for `status` and `tally sources`.
 */
export async function createObjectSourceSync(
  config: Config,
  importer: ImportService,
  costs: CostRepository,
  dataDir: string = config.dataDir,
): Promise<ObjectSourceSync> {
  const s3 = new LazyObjectStore(S3_URI, async () => {
    const { S3ObjectStore } = await import('../../adapters/object-storage/s3-object.store.js');
    return new S3ObjectStore(config.aws);
  });
  const azure = new LazyObjectStore(AZURE_BLOB_URI, () => azureBlobStore(config));
  const gcs = new LazyObjectStore(GCS_URI, async () => {
    const { GcsObjectStore } = await import('../../adapters/object-storage/gcs-object.store.js');
    // The key file of GOOGLE_APPLICATION_CREDENTIALS, else Application Default Credentials; the library reads
    // STORAGE_EMULATOR_HOST itself.
    return new GcsObjectStore({
      ...(config.google.credentialsFile ? { credentialsFile: config.google.credentialsFile } : {}),
    });
  });
  const log = new FileObjectSyncLog(dataDir);
  return new ObjectSourceSync({ stores: [s3, azure, gcs], importer, costs, log });
}

/**
 * Azure Blob for `az://` and `https://<account>.blob.core.windows.net/` sources: `AZURE_STORAGE_CONNECTION_STRING` when
 * set, else the Entra ID credential of `config.azure` (built on first use).
 */
async function azureBlobStore(config: Config) {
  const { AzureBlobObjectStore } = await import('../../adapters/object-storage/azure-blob-object.store.js');
  const { createAzureCredential } = await import('../../adapters/azure/azure-clients.js');
  return new AzureBlobObjectStore({
    ...(config.azure.storageConnectionString ? { connectionString: config.azure.storageConnectionString } : {}),
    credential: () => createAzureCredential(config.azure),
  });
}

/** What an import of `TALLY_FOCUS_FILE` reports, whether it is a local path or an object storage prefix. */
export interface FocusImport {
  rowsImported: number;
  rowsRejected: number;
  range: { from: string; to: string } | null;
}

/**
 * Imports `TALLY_FOCUS_FILE` for `tally start` and the scheduled import job: each of its sources on its own (a list
 * separated by commas or new lines); an object storage prefix is synced (only new or changed objects are read;
 * docs/cost-data.md, "Object storage"), a local path imported as before. Sources that failed, or a prefix whose
 * objects partly failed, make it throw, naming them, after the others were imported.
 */
export function focusImporter(
  config: Config,
  importer: ImportService,
  costs: CostRepository,
): { importPath: (path: string) => Promise<FocusImport> } {
  const importOne = async (path: string): Promise<FocusImport> => {
    if (!isObjectStorageUri(path)) return importer.importPath(path);
    const report = await (await createObjectSourceSync(config, importer, costs)).sync(path);
    if (report.failed.length) throw new Error(report.failed.map((f) => `${f.source}: ${f.error}`).join('; '));
    return summed(report.imported);
  };
  return {
    importPath: async (value) => {
      const { done, failed } = await importEach(focusPaths(value), importOne);
      if (failed.length) throw new Error(failed.map((f) => `${f.path}: ${f.error}`).join('; '));
      return summed(done.map((d) => d.result));
    },
  };
}

/** Rows imported and rejected summed, and the days from the first to the last. */
function summed(parts: readonly FocusImport[]): FocusImport {
  return {
    rowsImported: parts.reduce((n, r) => n + r.rowsImported, 0),
    rowsRejected: parts.reduce((n, r) => n + r.rowsRejected, 0),
    range: spanOf(parts.flatMap((r) => (r.range ? [r.range] : []))),
  };
}
