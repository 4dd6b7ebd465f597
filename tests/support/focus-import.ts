import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { ImportService } from '../../src/costs/import.service.js';
import type { ImportRun } from '../../src/costs/import-run.types.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from './cost-store.js';

/**
 * Imports a FOCUS export (file or folder) into a fresh cost store through the real import path, as `source`. The
 * store's cleanup is handed to `cleanups`.
 */
export async function importIntoTestStore(
  path: string,
  source: string,
  cleanups: (() => Promise<void>)[],
): Promise<{ store: TestCostStore; run: ImportRun }> {
  const store = await createTestCostStore();
  cleanups.push(store.cleanup);
  const importer = new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  });
  return { store, run: await importer.importPath(path, { source }) };
}

/** A CSV file written as Parquet to `dir/name`, every column as text, as exporters type it. */
export async function csvAsParquet(csv: string, dir: string, name: string): Promise<string> {
  const out = join(dir, name);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(
    `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true, header = true)) TO '${out}' (FORMAT parquet)`,
  );
  c.closeSync();
  db.closeSync();
  return out;
}
