import type { CostSourceInfo, CoverageNotes } from '../../costs/cost-repository.port.js';
import type { ImportRun } from '../../costs/import-run.types.js';
import { type ObjectPrefixStatus, prefixOf, sourceTitle } from '../../costs/object-source-groups.js';
import type { ViewScope } from '../../costs/view-scope.js';
import { describeScope } from '../../costs/view-scope.js';
import type { Day } from '../../shared/day.js';
import { formatMoney } from '../../shared/money.js';
import type { Reply } from '../../shared/reply.types.js';
import { text } from '../../shared/reply.types.js';
import { objectSourcesTable, scopedObjectSourceRows } from './object-sources-status.js';

export interface StatusFacts {
  store: string;
  dataRange: { from: Day; to: Day } | null;
  /** Recent imports and syncs, newest first. */
  imports: ImportRun[];
  /** What the cost store holds, per source (docs/cost-data.md). */
  sources?: CostSourceInfo[];
  /** Object storage prefixes, each with its per-object sub-sources summed (they are not listed one by one). */
  objectSources?: ObjectPrefixStatus[];
  /** Stored source names → the names the policy file's `sources:` gives them. */
  labels?: ReadonlyMap<string, string>;
  /** Sources that cover the same billing account and days (answers warn that figures may be counted twice). */
  overlaps?: CoverageNotes['overlaps'];
  notes: string[];
}

/** Per source: its last successful run and, when a later run failed, that failure. */
export interface SourceStatus {
  source: string;
  kind: 'import' | 'sync';
  lastSuccess: ImportRun | null;
  lastError: ImportRun | null;
}

/** Groups runs (newest first) by source; the runs of an object storage prefix's sub-sources are left out. */
export function sourceStatuses(runs: ImportRun[], prefixes: readonly string[] = []): SourceStatus[] {
  const bySource = new Map<string, SourceStatus>();
  for (const run of runs) {
    if (prefixOf(run.source, prefixes)) continue;
    let s = bySource.get(run.source);
    if (!s) {
      s = { source: run.source, kind: run.kind ?? 'import', lastSuccess: null, lastError: null };
      bySource.set(run.source, s);
    }
    if (run.error !== undefined) {
      if (!s.lastSuccess && !s.lastError) s.lastError = run;
    } else if (!s.lastSuccess) s.lastSuccess = run;
  }
  return [...bySource.values()];
}

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * What data Tally has: the store, the days covered, and each source's last success, rows and latest error; a source
 * whose last import or sync failed is named in the footnote with what it still answers from.
 */
export function statusReply(s: StatusFacts): Reply {
  const objectSources = s.objectSources ?? [];
  const prefixes = objectSources.map((p) => p.prefix);
  const sources = sourceStatuses(s.imports, prefixes);
  const stored = s.sources ?? [];
  const listed = stored.filter((src) => !prefixOf(src.name, prefixes));
  const notes = [...s.notes];
  // A failed last run is said in words: the table's "Last success" still shows the data it kept.
  for (const { source, kind, lastSuccess: ok, lastError: bad } of sources)
    if (bad)
      notes.push(
        `The last ${kind} of ${source} failed (${when(bad.finishedAt)}: ${bad.error ?? 'no reason recorded'}); ${ok ? `the data is still that of ${when(ok.finishedAt)}` : 'it has no data'}.`,
      );
  // What the latest listing of a source's accounts said (a project the billing account does not list, …).
  for (const { lastSuccess: ok, lastError: bad } of sources) if (!bad) notes.push(...(ok?.notes ?? []));
  for (const o of s.overlaps ?? [])
    notes.push(
      `Counted twice: ${o.sources[0]} and ${o.sources[1]} both cover billing account ${o.billingAccountId} from ${o.from} to ${o.to}; remove one with \`tally sources remove NAME\`.`,
    );
  for (const src of stored) {
    for (const r of src.rejected.slice(0, 5))
      notes.push(`Rejected in ${src.name}: ${r.file} line ${r.line}, column ${r.column}: ${r.reason}.`);
    if (src.rejectedRows > 5) notes.push(`… ${src.rejectedRows - 5} more rejected rows in ${src.name}.`);
    for (const f of src.skipped) notes.push(`Skipped in ${src.name}: ${f.file} (${f.reason}).`);
  }
  const storedTable = listed.length
    ? [
        {
          columns: [
            { header: 'Source', align: 'left' as const },
            { header: 'Files', align: 'right' as const },
            { header: 'Rows', align: 'right' as const },
            { header: 'Rejected', align: 'right' as const },
            { header: 'Days', align: 'left' as const },
            { header: 'Last import', align: 'left' as const },
          ],
          rows: listed.map((src) => [
            text(sourceTitle(src.name, s.labels?.get(src.name))),
            text(String(src.files.length)),
            text(String(src.rows)),
            text(String(src.rejectedRows)),
            text(src.range ? `${src.range.from} to ${src.range.to}` : 'none'),
            text(when(new Date(src.lastImport))),
          ]),
        },
      ]
    : [];
  return {
    kind: 'answer',
    title: 'Tally status',
    fields: [
      { label: 'Store', value: s.store },
      { label: 'Cost data', value: s.dataRange ? `${s.dataRange.from} to ${s.dataRange.to}` : 'none loaded' },
    ],
    ...(sources.length || storedTable.length || objectSources.length
      ? {
          tables: [
            ...storedTable,
            objectSourcesTable(objectSources),
            {
              columns: [
                { header: 'Source', align: 'left' as const },
                { header: 'Last success', align: 'left' as const },
                { header: 'Days', align: 'left' as const },
                { header: 'Rows', align: 'right' as const },
                { header: 'Rejected', align: 'right' as const },
                { header: 'Billed', align: 'right' as const },
                { header: 'Last error', align: 'left' as const },
              ],
              rows: sources.map(({ source, kind, lastSuccess: ok, lastError: bad }) => [
                text(`${source}${kind === 'sync' ? ' (sync)' : ''}`),
                text(ok ? when(ok.finishedAt) : 'never'),
                text(ok?.range ? `${ok.range.from} to ${ok.range.to}` : ''),
                text(ok ? String(ok.rowsImported) : ''),
                text(ok ? String(ok.rowsRejected) : ''),
                text(ok ? ok.totals.map((t) => formatMoney(t.billed, t.currency)).join(', ') : ''),
                text(bad ? `${when(bad.finishedAt)}: ${bad.error ?? ''}` : ''),
              ]),
            },
          ].filter((t) => t.rows.length > 0),
        }
      : {}),
    ...(notes.length ? { footnote: notes.join(' ') } : {}),
    data: {
      store: s.store,
      dataRange: s.dataRange,
      costSources: stored,
      objectSources,
      overlaps: s.overlaps ?? [],
      sources: sources.map(({ source, kind, lastSuccess: ok, lastError: bad }) => ({
        source,
        kind,
        lastSuccess: ok ? ok.finishedAt.toISOString() : null,
        rows: ok?.rowsImported ?? null,
        range: ok?.range ?? null,
        lastError: bad ? { at: bad.finishedAt.toISOString(), error: bad.error ?? '' } : null,
      })),
    },
    visibility: 'channel',
  };
}

/**
 * `status` for a viewer with a scope (docs/architecture.md#who-sees-what): which days are loaded and whether each
 * source's last run worked, without what would tell figures or files outside the scope (rows, billed totals,
 * rejected rows, billing accounts, failed deliveries, where the store is).
 */
export function scopedStatusReply(s: StatusFacts, scope: ViewScope): Reply {
  const objectSources = s.objectSources ?? [];
  const sources = sourceStatuses(
    s.imports,
    objectSources.map((p) => p.prefix),
  );
  return {
    kind: 'answer',
    title: 'Tally status',
    fields: [{ label: 'Cost data', value: s.dataRange ? `${s.dataRange.from} to ${s.dataRange.to}` : 'none loaded' }],
    ...(sources.length || objectSources.length
      ? {
          tables: [
            {
              columns: [
                { header: 'Source', align: 'left' as const },
                { header: 'Last success', align: 'left' as const },
                { header: 'Last run', align: 'left' as const },
              ],
              rows: [
                ...sources.map(({ source, kind, lastSuccess: ok, lastError: bad }) => [
                  text(`${source}${kind === 'sync' ? ' (sync)' : ''}`),
                  text(ok ? when(ok.finishedAt) : 'never'),
                  text(bad ? `failed ${when(bad.finishedAt)}` : 'ok'),
                ]),
                ...scopedObjectSourceRows(objectSources),
              ],
            },
          ],
        }
      : {}),
    context: [describeScope(scope)],
    data: {
      dataRange: s.dataRange,
      sources: sources.map(({ source, kind, lastSuccess: ok, lastError: bad }) => ({
        source,
        kind,
        lastSuccess: ok ? ok.finishedAt.toISOString() : null,
        failed: bad !== null,
      })),
      objectSources: objectSources.map((p) => ({
        prefix: p.prefix,
        lastListing: p.listedAt,
        failed: p.lastError !== null,
      })),
    },
    visibility: 'channel',
  };
}
