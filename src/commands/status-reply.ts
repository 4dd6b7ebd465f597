import type { Reply } from '../conversation/reply.types.js';
import { text } from '../conversation/reply.types.js';
import type { ImportRun } from '../costs/import-run.types.js';
import type { Day } from '../shared/day.js';
import { formatMoney } from '../shared/money.js';

export interface StatusFacts {
  store: string;
  dataRange: { from: Day; to: Day } | null;
  imports: ImportRun[];
  notes: string[];
}

/** What data Tally has: the store, the days covered and the latest imports. */
export function statusReply(s: StatusFacts): Reply {
  return {
    kind: 'answer',
    title: 'Tally status',
    fields: [
      { label: 'Store', value: s.store },
      { label: 'Cost data', value: s.dataRange ? `${s.dataRange.from} to ${s.dataRange.to}` : 'none loaded' },
    ],
    ...(s.imports.length
      ? {
          tables: [
            {
              columns: [
                { header: 'Import', align: 'left' as const },
                { header: 'Finished', align: 'left' as const },
                { header: 'Rows', align: 'right' as const },
                { header: 'Rejected', align: 'right' as const },
                { header: 'Billed', align: 'right' as const },
              ],
              rows: s.imports.map((r) => [
                text(r.source),
                text(r.finishedAt.toISOString().slice(0, 16).replace('T', ' ')),
                text(String(r.rowsImported)),
                text(String(r.rowsRejected)),
                text(r.totals.map((t) => formatMoney(t.billed, t.currency)).join(', ')),
              ]),
            },
          ],
        }
      : {}),
    ...(s.notes.length ? { footnote: s.notes.join(' ') } : {}),
    visibility: 'channel',
  };
}
