import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type File, Storage, type StorageOptions } from '@google-cloud/storage';
import type { ObjectStore, StoredObject } from '../../src/costs/object-store.port.js';
import { TallyError } from '../../src/shared/errors.js';
import { handleGcsError } from './gcs-errors.js';

/** How the store reaches Cloud Storage: Application Default Credentials unless a key file or an endpoint is given. */
export interface GcsStoreConfig {
  /**
   * `GOOGLE_APPLICATION_CREDENTIALS` (`config.google.credentialsFile`): a service account key file. Unset, the
   * library finds Application Default Credentials (`gcloud auth application-default login`, the metadata server).
   * The identity needs `roles/storage.objectViewer` on the bucket.
   */
  credentialsFile?: string;
  /**
   * The JSON API's root, e.g. the emulator's `http://127.0.0.1:P` (requests go to `<apiEndpoint>/storage/v1/…`,
   * unauthenticated). Unset, `STORAGE_EMULATOR_HOST` (read by the library) or Google's endpoint.
   */
  apiEndpoint?: string;
  /**
   * Objects per listing page (tests pass a small one to page through a prefix).
   * @defaultValue 1000 (the API's maximum)
   */
  pageSize?: number;
  /**
   * Retries after a failed request (tests pass 0).
   * @defaultValue 3
   */
  maxRetries?: number;
}

const GS_RE = /^gs:\/\/([a-z0-9][a-z0-9._-]*[a-z0-9])(?:\/(.*))?$/;

/** `gs://bucket/path` → bucket and object path. */
function parseGsUri(uri: string): { bucket: string; path: string } {
  const match = GS_RE.exec(uri);
  if (!match) throw new TallyError('USAGE', `${uri}: not a Cloud Storage URI (gs://bucket/prefix)`);
  return { bucket: match[1]!, path: match[2] ?? '' };
}

/** The JSON API path the library puts after its endpoint (docs/cost-data.md, "Google Cloud Storage"). */
const JSON_API_PATH = '/storage/v1';

/**
 * Google Cloud Storage for object storage sources (docs/cost-data.md, "Object storage"): lists a bucket's objects
 * under a prefix page by page and streams each download to disk; an object's `generation` is its version (it
 * changes when the object's data is replaced, not when only its metadata is).
 */
export class GcsObjectStore implements ObjectStore {
  private readonly storage: Storage;
  private readonly pageSize: number;

  constructor(config: GcsStoreConfig) {
    const maxRetries = config.maxRetries ?? 3;
    const options: StorageOptions = {
      ...(config.apiEndpoint ? { apiEndpoint: config.apiEndpoint } : {}),
      ...(config.credentialsFile ? { keyFilename: config.credentialsFile } : {}),
      retryOptions: { autoRetry: maxRetries > 0, maxRetries },
    };
    this.storage = new Storage(options);
    // The library takes `STORAGE_EMULATOR_HOST` as the JSON API's base verbatim, where other Google clients take
    // the emulator's root (`http://127.0.0.1:4443`): accept both forms (docs/cost-data.md, "Google Cloud Storage").
    if (this.storage.customEndpoint && !this.storage.baseUrl.replace(/\/+$/, '').endsWith(JSON_API_PATH))
      this.storage.baseUrl = `${this.storage.apiEndpoint}${JSON_API_PATH}`;
    this.pageSize = config.pageSize ?? 1000;
  }

  handles(uri: string): boolean {
    return uri.startsWith('gs://');
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const { bucket, path } = parseGsUri(prefix);
    const objects: StoredObject[] = [];
    let pageToken: string | undefined;
    do {
      const [files, next] = await this.storage
        .bucket(bucket)
        .getFiles({ prefix: path, autoPaginate: false, maxResults: this.pageSize, ...(pageToken ? { pageToken } : {}) })
        .catch((err: unknown) => handleGcsError(err, prefix, 'list'));
      for (const f of files) {
        if (f.name.endsWith('/')) continue;
        objects.push({ uri: `gs://${bucket}/${f.name}`, etag: versionOf(f), size: Number(f.metadata.size ?? 0) });
      }
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
    return objects.sort((a, b) => a.uri.localeCompare(b.uri));
  }

  async download(uri: string, path: string): Promise<void> {
    await pipeline(this.body(uri), createWriteStream(path)).catch((err: unknown) => {
      // Writing the local file failed: that is not Cloud Storage's doing.
      if ((err as { path?: unknown } | null)?.path === path) throw err;
      handleGcsError(err, uri, 'read');
    });
  }

  async readText(uri: string): Promise<string> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of this.body(uri)) chunks.push(Buffer.from(chunk as Uint8Array));
    } catch (err) {
      handleGcsError(err, uri, 'read');
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * The object's bytes as stored for a `.gz` name (the reader gunzips it), else decompressed when the object is
   * stored gzip-encoded (`gcloud storage cp -Z`, a `.csv` uploaded with `Content-Encoding: gzip`).
   */
  private body(uri: string): Readable {
    const { bucket, path } = parseGsUri(uri);
    return this.storage
      .bucket(bucket)
      .file(path)
      .createReadStream({ decompress: !/\.gz$/i.test(path) });
  }
}

/** An object's generation (its data's version), else its ETag. */
function versionOf(file: File): string {
  return String(file.metadata.generation ?? file.metadata.etag ?? '');
}
