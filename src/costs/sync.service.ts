import type { Clock } from '../shared/clock.js';
import { addDays, dayOf, maxDay, minDay } from '../shared/day.js';
import { TallyError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.port.js';
import type { CostRecord } from './cost-record.types.js';
import type { CostRepository } from './cost-repository.port.js';
import type { AccountListing, CostSource } from './cost-source.port.js';
import type { ImportRun, ImportRunRepository } from './import-run.types.js';

export interface SyncServiceDeps {
  sources: CostSource[];
  costs: CostRepository;
  runs: ImportRunRepository;
  clock: Clock;
  logger: Logger;
  /** Days before the last synced day that are fetched again, for late and corrected data. @defaultValue 3 */
  resyncDays?: number;
  /** Days fetched by the first sync of an account. @defaultValue 90 */
  historyDays?: number;
}

/** The rollup source key of one account of one source, e.g. `aws-ce:123456789012`. */
const syncSourceKey = (source: string, account: string) => `${source}:${account}`;

/**
 * Incremental, idempotent syncs of cloud billing APIs into the cost store (docs/architecture.md#job-queues). Each run fetches from a few
 * days before the last successful sync (late data) up to yesterday, and replaces that source's rollups for exactly
 * those days, so running it twice leaves the same data. Every run is recorded (rows, range, or the error) for
 * `/cost status`.
 */
export class SyncService {
  private readonly resyncDays: number;
  private readonly historyDays: number;

  constructor(private readonly deps: SyncServiceDeps) {
    this.resyncDays = deps.resyncDays ?? 3;
    this.historyDays = deps.historyDays ?? 90;
  }

  sourceNames(): string[] {
    return this.deps.sources.map((s) => s.name);
  }

  /**
   * The accounts of a source. A failure is recorded under `<source>:*` (so `/cost status` shows it) and rethrown. A
   * source that lists its accounts with notes (`listAccounts`) has every listing recorded there, notes and all, so
   * that `status` shows the latest listing's notes and no longer an earlier failure.
   */
  async accounts(sourceName: string): Promise<string[]> {
    const startedAt = this.deps.clock.now();
    const source = this.source(sourceName);
    let listing: AccountListing;
    try {
      listing = source.listAccounts ? await source.listAccounts() : { accounts: await source.accounts(), notes: [] };
    } catch (err) {
      const code = err instanceof TallyError ? err.code : 'INTERNAL';
      const message = err instanceof Error ? err.message : String(err);
      await this.record({
        key: syncSourceKey(sourceName, '*'),
        startedAt,
        rows: 0,
        error: `${code}: listing accounts failed: ${message}`,
        range: null,
        totals: [],
      });
      this.deps.logger.warn({ err, source: sourceName }, 'listing the accounts of a cost source failed');
      throw err;
    }
    if (source.listAccounts) {
      const key = syncSourceKey(sourceName, '*');
      await this.record({ key, startedAt, rows: 0, range: null, totals: [], notes: listing.notes });
      for (const note of listing.notes) this.deps.logger.warn({ source: sourceName }, note);
    }
    return listing.accounts;
  }

  /** The day range the next sync of this account fetches. */
  async window(sourceName: string, account: string): Promise<{ from: string; to: string }> {
    const to = addDays(dayOf(this.deps.clock.now()), -1);
    const last = await this.deps.runs.lastSuccess(syncSourceKey(sourceName, account));
    const earliest = addDays(to, -(this.historyDays - 1));
    const from = last?.range ? maxDay(earliest, addDays(last.range.to, -(this.resyncDays - 1))) : earliest;
    // With resyncDays 0 and yesterday already synced, `from` passes `to`: fetch the last day again rather than ask
    // for an empty (inverted) period, which Cost Explorer rejects.
    return { from: minDay(from, to), to };
  }

  /** Syncs one account of one source. Throws the source's error (after recording it) so the job can retry. */
  async sync(sourceName: string, account: string): Promise<ImportRun> {
    const source = this.source(sourceName);
    const key = syncSourceKey(sourceName, account);
    const startedAt = this.deps.clock.now();
    const window = await this.window(sourceName, account);
    const writer = await this.deps.costs.writer(key);
    let rows = 0;
    let totals: ImportRun['totals'] = [];
    try {
      let batch: CostRecord[] = [];
      for await (const record of source.fetch(account, window)) {
        batch.push(record);
        rows++;
        if (batch.length >= 10_000) {
          await writer.add(batch);
          batch = [];
        }
      }
      await writer.add(batch);
      // The whole window is replaced, including days that now have no rows (a corrected day can become empty).
      const result = await writer.commit({
        range: window,
        files: [],
        skipped: [],
        rowsRejected: 0,
        rejected: [],
        rejectedByMonth: {},
      });
      totals = result.totals;
    } catch (err) {
      await writer.abort();
      const code = err instanceof TallyError ? err.code : 'INTERNAL';
      const message = err instanceof Error ? err.message : String(err);
      await this.record({ key, startedAt, rows, error: `${code}: ${message}`, range: null, totals: [] });
      this.deps.logger.warn({ err, source: key }, 'sync failed');
      throw err;
    }
    const run = await this.record({ key, startedAt, rows, range: window, totals });
    this.deps.logger.info({ source: key, rows, from: window.from, to: window.to }, 'sync done');
    return run;
  }

  private async record(r: {
    key: string;
    startedAt: Date;
    rows: number;
    range: ImportRun['range'];
    totals: ImportRun['totals'];
    error?: string;
    notes?: string[];
  }): Promise<ImportRun> {
    const run: ImportRun = {
      id: newId('sync', 6),
      source: r.key,
      kind: 'sync',
      startedAt: r.startedAt,
      finishedAt: this.deps.clock.now(),
      rowsRead: r.rows,
      rowsImported: r.error ? 0 : r.rows,
      rowsRejected: 0,
      rejected: [],
      totals: r.totals,
      range: r.range,
      ...(r.error ? { error: r.error } : {}),
      ...(r.notes?.length ? { notes: r.notes } : {}),
    };
    await this.deps.runs.record(run);
    return run;
  }

  private source(name: string): CostSource {
    const source = this.deps.sources.find((s) => s.name === name);
    if (!source) throw new TallyError('USAGE', `no cost source named ${name}`, { metadata: { source: name } });
    return source;
  }
}
