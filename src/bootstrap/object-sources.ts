import type { Config } from '../config/config.types.js';
import type { CostRepository } from '../costs/cost-repository.port.js';
import type { ImportService } from '../costs/import.service.js';
import { ObjectSourceSync } from '../costs/object-source-sync.service.js';

/** True for a path that names object storage (`s3://bucket/prefix/`) rather than a local file or folder. */
export function isObjectStorageUri(path: string): boolean {
  return /^s3:\/\//i.test(path);
}

/**
 * The object storage sync (docs/cost-data.md, "Object storage") over S3 with the `config.aws` settings (keys or the
 * SDK's credential chain, `AWS_ENDPOINT_URL`). The SDK is loaded here, on first use, so that commands reading local
 * files do not load it.
 */
export async function createObjectSourceSync(
  config: Config,
  importer: ImportService,
  costs: CostRepository,
): Promise<ObjectSourceSync> {
  const { S3ObjectStore } = await import('../../adapters/object-storage/s3-object.store.js');
  return new ObjectSourceSync({ stores: [new S3ObjectStore(config.aws)], importer, costs });
}
