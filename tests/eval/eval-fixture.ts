import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { type FocusRow, isFocusNull } from '../support/focus-oracle.js';

/**
 * The FOCUS file the people's-questions eval runs on (docs/evaluation.md): `tally sample` ending the day before
 * {@link EVAL_DAY}, rows charged from 2025-10-01 on, gzipped (`node scripts/eval-fixture.mjs` writes it).
 */
export const EVAL_FIXTURE = fileURLToPath(new URL('../fixtures/focus/eval-sample.csv.gz', import.meta.url));

/** "Today" of the eval: a Wednesday; the file's data ends the day before. */
export const EVAL_DAY = '2026-06-10';

let cached: FocusRow[] | undefined;

/**
 * The rows of {@link EVAL_FIXTURE} as csv-parse reads them (not Tally's reader): column → value, `null` where the
 * file holds a FOCUS null (an empty cell or `NULL`).
 */
export function evalFixtureRows(): FocusRow[] {
  if (cached) return cached;
  const [header = [], ...records] = parse(gunzipSync(readFileSync(EVAL_FIXTURE)), { bom: true }) as string[][];
  cached = records.map((r) => Object.fromEntries(header.map((h, i) => [h, isFocusNull(r[i]) ? null : (r[i] ?? null)])));
  return cached;
}
