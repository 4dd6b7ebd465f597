import type { ObjectStore, StoredObject } from '../costs/object-store.port.js';

/**
 * An object store whose SDK is loaded on the first request for one of its URIs. A sync lists every store, but a
 * deployment reads one cloud or two: loading the Azure and Google SDKs for an S3 prefix cost 26 MB of memory in the
 * process that imports (docs/cost-data.md, "Sizing").
 */
export class LazyObjectStore implements ObjectStore {
  private store: Promise<ObjectStore> | null = null;

  constructor(
    private readonly scheme: RegExp,
    private readonly load: () => Promise<ObjectStore>,
  ) {}

  handles(uri: string): boolean {
    return this.scheme.test(uri);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    return (await this.loaded()).list(prefix);
  }

  async download(uri: string, path: string): Promise<void> {
    return (await this.loaded()).download(uri, path);
  }

  async readText(uri: string): Promise<string> {
    return (await this.loaded()).readText(uri);
  }

  private loaded(): Promise<ObjectStore> {
    this.store ??= this.load();
    return this.store;
  }
}
