import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { ObjectStore, StoredObject } from '../../src/costs/object-store.port.js';
import { TallyError } from '../../src/shared/errors.js';

/** How the store reaches storage accounts: a connection string (one account), else an Entra ID credential. */
export interface AzureBlobStoreConfig {
  /**
   * `AZURE_STORAGE_CONNECTION_STRING`: names one account (and its endpoint, e.g. Azurite's); URIs must name that
   * account. When set, `credential` is not used.
   */
  connectionString?: string;
  /**
   * Builds the Entra ID credential for `https://<account>.blob.core.windows.net` (called on first use, not when a
   * connection string is set). The identity needs Storage Blob Data Reader on the container.
   */
  credential?: () => TokenCredential;
  /**
   * Retries after a failed request (tests pass 0).
   * @defaultValue 3
   */
  maxRetries?: number;
}

/** An Azure Blob URI taken apart; `base` is how the URI spells account and container, so listings use the same form. */
interface BlobUri {
  account: string;
  container: string;
  path: string;
  base: string;
}

const AZ_RE = /^az:\/\/([a-z0-9]+)\/([a-z0-9-]+)(?:\/(.*))?$/i;
const HTTPS_RE = /^https:\/\/([a-z0-9]+)\.blob\.core\.windows\.net\/([a-z0-9-]+)(?:\/(.*))?$/i;

/** `az://account/container/path` or `https://account.blob.core.windows.net/container/path` → its parts. */
function parseBlobUri(uri: string): BlobUri {
  const az = AZ_RE.exec(uri);
  const https = az ? null : HTTPS_RE.exec(uri);
  const match = az ?? https;
  if (!match)
    throw new TallyError(
      'USAGE',
      `${uri}: not an Azure Blob URI (az://account/container/prefix or https://account.blob.core.windows.net/container/prefix)`,
    );
  const [, account, container, path] = match as unknown as [string, string, string, string | undefined];
  const base = az ? `az://${account}/${container}/` : `https://${account}.blob.core.windows.net/${container}/`;
  return { account, container, path: path ?? '', base };
}

/** True for the Azure Blob URI forms {@link parseBlobUri} reads. */
function isAzureBlobUri(uri: string): boolean {
  return AZ_RE.test(uri) || HTTPS_RE.test(uri);
}

/**
 * Azure Blob Storage for object storage sources (docs/cost-data.md, "Object storage"): lists a container's blobs
 * under a prefix and streams each download to disk; a blob's ETag is its version. Reached with a connection string
 * (Azurite in tests) or an Entra ID credential.
 */
export class AzureBlobObjectStore implements ObjectStore {
  private readonly services = new Map<string, BlobServiceClient>();

  constructor(private readonly config: AzureBlobStoreConfig) {}

  handles(uri: string): boolean {
    return isAzureBlobUri(uri);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const { container, path, base } = parseBlobUri(prefix);
    const client = this.container(prefix);
    const objects: StoredObject[] = [];
    try {
      for await (const blob of client.listBlobsFlat({ prefix: path })) {
        if (blob.name.endsWith('/')) continue;
        objects.push({
          uri: `${base}${blob.name}`,
          etag: (blob.properties.etag ?? '').replaceAll('"', ''),
          size: blob.properties.contentLength ?? 0,
        });
      }
    } catch (err) {
      failed(prefix, `list container ${container}`, err);
    }
    return objects.sort((a, b) => a.uri.localeCompare(b.uri));
  }

  async download(uri: string, path: string): Promise<void> {
    const body = await this.body(uri);
    await pipeline(body, createWriteStream(path));
  }

  async readText(uri: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.body(uri)) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }

  private async body(uri: string): Promise<Readable> {
    const { path } = parseBlobUri(uri);
    const res = await this.container(uri)
      .getBlobClient(path)
      .download()
      .catch((err: unknown) => failed(uri, 'read', err));
    if (!res.readableStreamBody) throw new TallyError('FOCUS_FILE_UNREADABLE', `${uri}: no blob body`);
    return res.readableStreamBody as Readable;
  }

  /** The container client for a URI's account and container. */
  private container(uri: string): ContainerClient {
    const { account, container } = parseBlobUri(uri);
    return this.service(account).getContainerClient(container);
  }

  private service(account: string): BlobServiceClient {
    const known = this.services.get(account);
    if (known) return known;
    const retryOptions = { maxTries: (this.config.maxRetries ?? 3) + 1 };
    let service: BlobServiceClient;
    if (this.config.connectionString) {
      service = BlobServiceClient.fromConnectionString(this.config.connectionString, { retryOptions });
      if (service.accountName !== account)
        throw new TallyError(
          'CONFIG_INVALID',
          `az://${account}/…: AZURE_STORAGE_CONNECTION_STRING is for storage account ${service.accountName}, not ${account}`,
        );
    } else {
      if (!this.config.credential)
        throw new TallyError('CONFIG_INVALID', `az://${account}/…: no AZURE_STORAGE_CONNECTION_STRING or credential`);
      service = new BlobServiceClient(`https://${account}.blob.core.windows.net`, this.config.credential(), {
        retryOptions,
      });
    }
    this.services.set(account, service);
    return service;
  }
}

/** An Azure Storage failure as a Tally error naming the URI. */
function failed(uri: string, what: string, err: unknown): never {
  const e = err as { name?: string; statusCode?: number; code?: string };
  const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
  const detail = [e?.code, e?.statusCode].filter(Boolean).join(' ');
  throw new TallyError(
    'FOCUS_FILE_UNREADABLE',
    `${uri}: cannot ${what} (${detail ? `${detail}: ` : ''}${message ?? e?.name ?? 'Error'})`,
    { cause: err },
  );
}
