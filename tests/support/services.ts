// URLs of the real services integration and contract tests use. `scripts/test-services.sh` starts them on 127.0.0.1
// (Redis, FerretDB as the MongoDB server, moto for AWS, Azurite for Azure Blob, fake-gcs-server for Cloud Storage) and
// exports these variables; `npm test` runs the tests through it.
import { randomBytes } from 'node:crypto';

const HOW_TO_RUN =
  'run tests through `npm test` (scripts/test-services.sh exec …), or `eval "$(bash scripts/test-services.sh start)"` first';

function required(name: string, what: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`${name} is not set, so there is no ${what} to test against: ${HOW_TO_RUN}`);
  }
  return value.trim();
}

/** `redis://127.0.0.1:P` — Redis from scripts/test-services.sh. */
export function redisUrl(): string {
  return required('TALLY_TEST_REDIS_URL', 'Redis');
}

/** `mongodb://127.0.0.1:P` — FerretDB (or the MongoDB named by MONGODB_URI) from scripts/test-services.sh, no database. */
export function mongoUrl(): string {
  return required('TALLY_TEST_MONGODB_URL', 'MongoDB server');
}

/** `http://127.0.0.1:P` — moto server from scripts/test-services.sh, for EC2, CloudWatch and Cost Explorer clients. */
export function awsEndpoint(): string {
  return required('TALLY_TEST_AWS_ENDPOINT', 'AWS emulator (moto)');
}

/** `http://127.0.0.1:P/devstoreaccount1` — Azurite's blob service from scripts/test-services.sh (its development account). */
export function azuriteBlobUrl(): string {
  return required('TALLY_TEST_AZURITE_BLOB_URL', 'Azure Blob emulator (Azurite)');
}

/** `http://127.0.0.1:P` — fake-gcs-server from scripts/test-services.sh (the Cloud Storage JSON API is under `/storage/v1`). */
export function gcsUrl(): string {
  return required('TALLY_TEST_GCS_URL', 'Cloud Storage emulator (fake-gcs-server)');
}

/** Azurite's well-known development account and key (not a secret: every Azurite has them). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A storage connection string for Azurite's blob service ({@link azuriteBlobUrl}). */
export function azuriteConnectionString(): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${azuriteBlobUrl()};`;
}

const MAX_NAME_LENGTH = 60;

/**
 * A name unique to this call, safe as a MongoDB database, collection or BullMQ queue name:
 * `${prefix}_${pid}_${16 hex}`, only `[a-z0-9_]`, at most 60 characters (the prefix is lower-cased, other characters
 * become `_`, and it is shortened to fit).
 */
export function uniqueName(prefix: string): string {
  const suffix = `_${process.pid}_${randomBytes(8).toString('hex')}`;
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const head = (cleaned === '' ? 'test' : cleaned).slice(0, MAX_NAME_LENGTH - suffix.length).replace(/_+$/, '');
  return `${head}${suffix}`;
}
