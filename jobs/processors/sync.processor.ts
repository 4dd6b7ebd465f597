import type { Job, Queue } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { SyncService } from '../../src/costs/sync.service.js';
import { TallyError } from '../../src/shared/errors.js';
import { syncPayload } from '../queues.js';

/** Wait after a sync before the anomaly scan, so that syncs finishing together trigger one scan. */
const SCAN_DEBOUNCE_MS = 60_000;

export interface SyncProcessorDeps {
  sync: SyncService;
  /** The sync queue itself, for the fan-out. */
  syncQueue: Queue;
  /** The anomaly-scan queue: a scan follows every sync (debounced). */
  scanQueue: Queue;
  /** The budget-check queue: a budget check follows every sync (debounced like the scan). */
  budgetQueue?: Queue;
  scanDebounceMs?: number;
  /** A FOCUS export path (file or folder, `TALLY_FOCUS_FILE`) imported again on every `sync-all`: new files land. */
  /** `TALLY_FOCUS_FILE`: a local export, or an object storage prefix synced object by object. */
  focus?: {
    path: string;
    importer: {
      importPath(path: string): Promise<{ rowsImported: number; rowsRejected: number; range: unknown }>;
    };
  };
}

/**
 * The `sync` queue: `sync-all` (the schedule) adds one `sync` job per source and account; a `sync` job syncs one
 * account and then asks for an anomaly scan. Throttling is retried with backoff; other failures are permanent
 * (recorded by the sync service for `/cost status`).
 */
export function syncProcessor(deps: SyncProcessorDeps) {
  return async (job: Job): Promise<unknown> => {
    if (job.name === 'sync-all')
      return fanOut(deps).catch((err: unknown) => {
        // Listing accounts: throttling retries; a denied or broken source will not fix itself by retrying.
        if (err instanceof TallyError && err.code === 'CLOUD_THROTTLED') throw err;
        throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      });
    if (job.name === 'import') {
      if (!deps.focus) return { skipped: 'no FOCUS path configured' };
      // Same source key as the import at start, so each re-import replaces the days its files cover.
      const run = await deps.focus.importer.importPath(deps.focus.path).catch((err: unknown) => {
        throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      });
      await askForScan(deps);
      return { rows: run.rowsImported, rejected: run.rowsRejected, range: run.range };
    }
    const payload = syncPayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad sync payload: ${payload.error.message}`);
    try {
      const run = await deps.sync.sync(payload.data.source, payload.data.account);
      await askForScan(deps);
      return { rows: run.rowsImported, range: run.range };
    } catch (err) {
      if (err instanceof TallyError && err.code === 'CLOUD_THROTTLED') throw err;
      throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
    }
  };
}

/** One anomaly scan and one budget check after syncs that finish close together (debounced). */
async function askForScan(deps: SyncProcessorDeps): Promise<void> {
  const wait = deps.scanDebounceMs ?? SCAN_DEBOUNCE_MS;
  await deps.scanQueue.add('scan', {}, { deduplication: { id: 'scan-after-sync', ttl: wait }, delay: wait });
  // Until it has run: a sync after the check still gets one, so a crossing it brings is not left to the daily check.
  await deps.budgetQueue?.add('check', {}, { deduplication: { id: 'budget-check-after-sync' }, delay: wait });
}

async function fanOut(deps: SyncProcessorDeps): Promise<{ jobs: number }> {
  let jobs = 0;
  if (deps.focus) {
    await deps.syncQueue.add('import', {}, { deduplication: { id: 'import-focus' } });
    jobs++;
  }
  for (const source of deps.sync.sourceNames()) {
    for (const account of await deps.sync.accounts(source)) {
      // One job per source and account at a time: a sync still waiting or running absorbs the next request.
      await deps.syncQueue.add(
        'sync',
        { source, account },
        { deduplication: { id: `sync-${source}-${account}`.replace(/:/g, '_') } },
      );
      jobs++;
    }
  }
  return { jobs };
}
