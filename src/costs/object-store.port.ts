/** One object under an object storage prefix. */
export interface StoredObject {
  /** The object's URI, `s3://bucket/key`. */
  uri: string;
  /** The object's version (an S3 or Azure ETag, a Cloud Storage generation): a changed object has a new one. */
  etag: string;
  size: number;
}

/**
 * Read access to an object storage service (docs/cost-data.md, "Object storage"): implemented for S3, Azure Blob and
 * Cloud Storage in `adapters/object-storage`.
 */
export interface ObjectStore {
  /** True when this store reads URIs like `uri` (by scheme). */
  handles(uri: string): boolean;
  /** Every object whose URI starts with `prefix` (a `scheme://bucket/prefix` URI), in key order. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Streams an object into a local file (never holding it whole in memory). */
  download(uri: string, path: string): Promise<void>;
  /** A small object's text (a manifest). */
  readText(uri: string): Promise<string>;
}
