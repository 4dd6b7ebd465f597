/**
 * The processes of the sources benchmark (bench/sources.bench.ts forks this file with one job as JSON in argv[2] and
 * gets the result back over IPC), so that each one's peak RSS is its own:
 *
 * - `s3`: syncs an S3 prefix into a fresh data directory as `tally import s3://bucket/prefix/` does (the object is
 *   streamed to a temporary file and imported through the ordinary file reader);
 * - `local`: imports the same FOCUS file from local disk as `tally import PATH` does (the reference).
 */

import { availableParallelism } from 'node:os';
import { FocusExportReader } from '../adapters/focus-file/focus-export.reader.js';
import { createStores } from '../src/bootstrap/deps.js';
import { createObjectSourceSync } from '../src/bootstrap/object-sources.js';
import { loadConfig } from '../src/config/env.js';
import { ImportService } from '../src/costs/import.service.js';
import { systemClock } from '../src/shared/clock.js';
import { rssNow } from './bench-stats.js';

export type SourcesJob =
  | { role: 's3'; dataDir: string; prefix: string; endpoint: string }
  | { role: 'local'; dataDir: string; path: string };

export interface SourcesResult {
  role: SourcesJob['role'];
  rowsRead: number;
  rowsImported: number;
  ms: number;
  /** Peak RSS (VmHWM) after start-up and at the end. */
  rssStart: number;
  rssPeak: number;
}

async function run(job: SourcesJob): Promise<SourcesResult> {
  const config = loadConfig({
    TALLY_DATA_DIR: job.dataDir,
    ...(process.env.TALLY_DUCKDB_MEMORY ? { TALLY_DUCKDB_MEMORY: process.env.TALLY_DUCKDB_MEMORY } : {}),
    // The scheduled import runs in `tally start`, whose DuckDB has one core fewer than the machine (at least 1).
    TALLY_DUCKDB_THREADS: process.env.TALLY_DUCKDB_THREADS ?? String(Math.max(1, availableParallelism() - 1)),
    ...(job.role === 's3'
      ? {
          AWS_ENDPOINT_URL: job.endpoint,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
        }
      : {}),
  });
  const stores = await createStores(config);
  try {
    const importer = new ImportService({
      reader: new FocusExportReader(stores.engine),
      costs: stores.costs,
      runs: stores.runs,
      clock: systemClock,
    });
    const sync = job.role === 's3' ? await createObjectSourceSync(config, importer, stores.costs) : null;
    const rssStart = rssNow().peak;
    const t0 = performance.now();
    let rowsRead = 0;
    let rowsImported = 0;
    if (sync && job.role === 's3') {
      const report = await sync.sync(job.prefix);
      if (report.failed.length) throw new Error(report.failed.map((f) => `${f.source}: ${f.error}`).join('; '));
      for (const r of report.imported) {
        rowsRead += r.rowsRead;
        rowsImported += r.rowsImported;
      }
    } else if (job.role === 'local') {
      const r = await importer.importPath(job.path);
      rowsRead = r.rowsRead;
      rowsImported = r.rowsImported;
    }
    const ms = performance.now() - t0;
    return { role: job.role, rowsRead, rowsImported, ms, rssStart, rssPeak: rssNow().peak };
  } finally {
    await stores.close();
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as SourcesJob;
run(job).then(
  (result) => process.send?.(result, () => process.exit(0)),
  (err: unknown) => {
    process.send?.(
      { role: 'failed', message: err instanceof Error ? err.message : String(err), rss: rssNow().peak },
      () => process.exit(1),
    );
  },
);
