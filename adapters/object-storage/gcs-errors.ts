import { TallyError } from '../../src/shared/errors.js';

/** What the store was doing: listing a prefix or reading an object. */
type GcsOperation = 'list' | 'read';

/** The library's message when it finds no credentials at all (google-auth-library). */
const NO_CREDENTIALS_RE = /could not load the default credentials/i;

/**
 * A Cloud Storage failure as a Tally error whose message names the URI and says what to do: a missing bucket or
 * object is `CLOUD_NOT_FOUND`; a refused request or missing credentials `CLOUD_DENIED` (the identity needs
 * `roles/storage.objectViewer` on the bucket, docs/cost-data.md "Google Cloud Storage"); an unreadable key file
 * `CONFIG_INVALID`; a rate limit `CLOUD_THROTTLED`; anything else `FOCUS_FILE_UNREADABLE` with the service's own words.
 */
export function handleGcsError(err: unknown, uri: string, operation: GcsOperation): never {
  if (err instanceof TallyError) throw err;
  const status = statusOf(err);
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  const bucket = /^gs:\/\/([^/]+)/.exec(uri)?.[1] ?? uri;
  const fail = (code: ConstructorParameters<typeof TallyError>[0], text: string): never => {
    throw new TallyError(code, `${uri}: ${text}`, { cause: err, metadata: { status, operation } });
  };
  if (status === 404)
    fail(
      'CLOUD_NOT_FOUND',
      operation === 'list' ? `no bucket named ${bucket} (or it is not visible to these credentials)` : 'no such object',
    );
  if (status === 401 || status === 403)
    fail(
      'CLOUD_DENIED',
      `permission denied (${message}); the identity needs roles/storage.objectViewer on bucket ${bucket}`,
    );
  const file = fileErrorPath(err);
  if (file)
    fail(
      'CONFIG_INVALID',
      `cannot read the Google credentials file ${file} (GOOGLE_APPLICATION_CREDENTIALS): ${message}`,
    );
  if (NO_CREDENTIALS_RE.test(message))
    fail(
      'CLOUD_DENIED',
      'no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, or run `gcloud auth application-default login`',
    );
  if (status === 429) fail('CLOUD_THROTTLED', `rate limited by Cloud Storage (${message})`);
  return fail('FOCUS_FILE_UNREADABLE', `cannot ${operation} (${status ? `${status}: ` : ''}${message})`);
}

/** The HTTP status of a library error (`ApiError.code`, `GaxiosError.status`), or undefined. */
function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  for (const v of [e?.code, e?.status, e?.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

/** The file of a file system error (the key file of `GOOGLE_APPLICATION_CREDENTIALS` the library could not open). */
function fileErrorPath(err: unknown): string | undefined {
  const e = err as { code?: unknown; path?: unknown; syscall?: unknown } | null;
  return typeof e?.code === 'string' && e.syscall === 'open' && typeof e.path === 'string' ? e.path : undefined;
}
