// FOCUS exports for the object storage source tests (docs/cost-data.md, "Object storage"): monthly objects made from
// the May fixture, the sums a test computes from them itself, and what the cost store answers.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { TestCostStore } from './cost-store.js';
import { expectedSums } from './focus-oracle.js';

/** The May FOCUS fixture, and the corrupt one (a bad `BilledCost`, `12,34x`). */
export const MAY_FIXTURE = join(import.meta.dirname, '../fixtures/focus/export-2026-05.csv');
export const CORRUPT_FIXTURE = join(import.meta.dirname, '../fixtures/focus/export-corrupt.csv');

/** Monthly CSV texts cut from one fixture's text. */
export interface FocusMonths {
  /** The header and records `from` to `to` of the fixture, as a CSV text (records may span lines). */
  slice(from: number, to?: number): string;
  /** The fixture moved to another 31-day month (`2026-01`, `2026-03`, …), optionally only its first `rows` rows. */
  monthCsv(month: string, rows?: number): string;
}

/** {@link FocusMonths} over the May fixture's text. */
export function focusMonths(fixture: string): FocusMonths {
  const [header, ...records] = (parse(fixture, { raw: true }) as unknown as { raw: string }[]).map((r) =>
    r.raw.replace(/\r?\n?$/, '').replace(/\r$/, ''),
  );
  const slice = (from: number, to?: number) => `${[header, ...records.slice(from, to)].join('\n')}\n`;
  return {
    slice,
    monthCsv: (month, rows) => {
      const next = `2026-${String(Number(month.slice(5)) + 1).padStart(2, '0')}-01`;
      return slice(0, rows).replaceAll('2026-06-01', next).replaceAll('2026-05-', `${month}-`);
    },
  };
}

/** Billed cents per currency of CSV texts' rows in one month, summed by the test's own CSV parse. */
export function oracle(csvTexts: string[], month: string): Map<string, number> {
  const rows = csvTexts.flatMap((t) => parse(t, { columns: true, skip_empty_lines: true }) as Record<string, string>[]);
  const sums = expectedSums(rows, { from: `${month}-01`, to: `${month}-31`, amount: 'BilledCost', key: () => '' });
  return new Map([...sums].map(([currency, m]) => [currency, m.get('') ?? 0]));
}

/** What the store answers: billed cost per currency in one month, to the cent, optionally of some sources only. */
export async function stored(store: TestCostStore, month: string, sources?: string[]): Promise<Map<string, number>> {
  const rows = await store.repo.aggregate({
    from: `${month}-01`,
    to: `${month}-31`,
    groupBy: [],
    ...(sources ? { sources } : {}),
  });
  return new Map(rows.map((r) => [r.currency, Math.round(r.billed * 100) / 100]));
}

/** A CSV text as Parquet bytes, written by DuckDB (all columns as text, as an export's reader would see them). */
export async function parquetOf(store: TestCostStore, csvText: string, name: string): Promise<string> {
  const csv = join(store.dir, `${name}.csv`);
  const parquet = join(store.dir, `${name}.parquet`);
  await writeFile(csv, csvText);
  await store.engine.withConnection((c) =>
    c.run(
      `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true, delim = ',', quote = '"', escape = '"', header = true, strict_mode = false)) TO '${parquet}' (FORMAT parquet)`,
    ),
  );
  return parquet;
}
