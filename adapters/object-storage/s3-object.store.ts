import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { AwsConfig } from '../../src/config/config.types.js';
import type { ObjectStore, StoredObject } from '../../src/costs/object-store.port.js';
import { TallyError } from '../../src/shared/errors.js';

/** The connection fields of the `config.aws` slice (so `config.aws` itself fits), plus attempts per request. */
export interface S3StoreConfig
  extends Pick<AwsConfig, 'region' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'profile' | 'endpointUrl'> {
  /**
   * Attempts per request, retries included (tests pass 1).
   * @defaultValue 3
   */
  maxAttempts?: number;
}

/** `s3://bucket/key` → bucket and key. */
function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new TallyError('USAGE', `${uri}: not an S3 URI (s3://bucket/prefix/)`);
  return { bucket: match[1]!, key: match[2]! };
}

/**
 * S3 for object storage sources (docs/cost-data.md, "Object storage"): lists with ListObjectsV2 and reads with
 * GetObject, streaming bodies to disk. Credentials come from the configuration's keys or the SDK's default chain;
 * an endpoint (`AWS_ENDPOINT_URL`, moto in tests) is addressed path-style.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;

  constructor(config: S3StoreConfig) {
    this.client = new S3Client({
      region: config.region ?? 'us-east-1',
      maxAttempts: config.maxAttempts ?? 3,
      ...(config.endpointUrl ? { endpoint: config.endpointUrl, forcePathStyle: true } : {}),
      ...(config.accessKeyId && config.secretAccessKey
        ? {
            credentials: {
              accessKeyId: config.accessKeyId,
              secretAccessKey: config.secretAccessKey,
              ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
            },
          }
        : config.profile
          ? { profile: config.profile }
          : {}),
    });
  }

  handles(uri: string): boolean {
    return uri.startsWith('s3://');
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const { bucket, key } = parseS3Uri(prefix);
    const objects: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token }))
        .catch((err: unknown) => failed(prefix, 'list', err));
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        objects.push({ uri: `s3://${bucket}/${o.Key}`, etag: (o.ETag ?? '').replaceAll('"', ''), size: o.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects.sort((a, b) => a.uri.localeCompare(b.uri));
  }

  async download(uri: string, path: string): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    const res = await this.client
      .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      .catch((err: unknown) => failed(uri, 'read', err));
    if (!(res.Body instanceof Readable)) throw new TallyError('FOCUS_FILE_UNREADABLE', `${uri}: no object body`);
    await pipeline(res.Body, createWriteStream(path));
  }

  async readText(uri: string): Promise<string> {
    const { bucket, key } = parseS3Uri(uri);
    const res = await this.client
      .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      .catch((err: unknown) => failed(uri, 'read', err));
    return (await res.Body?.transformToString('utf8')) ?? '';
  }
}

/** An S3 failure as a Tally error naming the URI. */
function failed(uri: string, what: string, err: unknown): never {
  const name = (err as { name?: string })?.name ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  throw new TallyError('FOCUS_FILE_UNREADABLE', `${uri}: cannot ${what} (${name}: ${message})`, { cause: err });
}
