import { type ObjectPrefixStatus, sourceTitle } from '../../costs/object-source-groups.js';
import type { ReplyTable } from '../../shared/reply.types.js';
import { text } from '../../shared/reply.types.js';

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * `status`'s table of object storage prefixes (docs/cost-data.md, "Object storage"): per prefix its last listing,
 * the objects it listed and read, the objects, rows, rejected rows and days its sub-sources hold, and what the last
 * sync could not read.
 */
export function objectSourcesTable(prefixes: readonly ObjectPrefixStatus[]): ReplyTable {
  return {
    columns: [
      { header: 'Object storage', align: 'left' },
      { header: 'Last listing', align: 'left' },
      { header: 'Listed', align: 'right' },
      { header: 'Read', align: 'right' },
      { header: 'Objects', align: 'right' },
      { header: 'Rows', align: 'right' },
      { header: 'Rejected', align: 'right' },
      { header: 'Days', align: 'left' },
      { header: 'Last error', align: 'left' },
    ],
    rows: prefixes.map((p) => [
      text(sourceTitle(p.prefix, p.name)),
      text(p.listedAt ? when(p.listedAt) : 'never'),
      text(String(p.listed)),
      text(String(p.read)),
      text(String(p.objects)),
      text(String(p.rows)),
      text(String(p.rejectedRows)),
      text(p.range ? `${p.range.from} to ${p.range.to}` : 'none'),
      text(p.lastError ? `${when(p.lastError.at)}: ${p.lastError.error}` : ''),
    ]),
  };
}

/** A scoped `status` row per prefix: its last listing and whether the last sync read everything. */
export function scopedObjectSourceRows(prefixes: readonly ObjectPrefixStatus[]) {
  return prefixes.map((p) => [
    text(`${sourceTitle(p.prefix, p.name)} (objects)`),
    text(p.listedAt ? when(p.listedAt) : 'never'),
    text(p.lastError ? `failed ${when(p.lastError.at)}` : 'ok'),
  ]);
}
