import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DuckDbCostRepository } from '../../adapters/duckdb/duckdb-cost.repository.js';
import { DuckDbEngine, spillDir } from '../../adapters/duckdb/duckdb-engine.js';

/** A real cost store in a temporary data directory: its repository, its DuckDB engine, and how to remove both. */
export interface TestCostStore {
  repo: DuckDbCostRepository;
  /** The engine behind `repo`, for what else reads through DuckDB (e.g. `FocusExportReader`). */
  engine: DuckDbEngine;
  dir: string;
  cleanup: () => Promise<void>;
}

/** A real cost store (DuckDB over Parquet) in a fresh temporary data directory, and how to remove it. */
export async function createTestCostStore(): Promise<TestCostStore> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-costs-'));
  const engine = await DuckDbEngine.create({ tempDir: spillDir(dir), memoryLimit: '256MB', threads: 2 });
  const repo = new DuckDbCostRepository(engine, dir);
  return {
    repo,
    engine,
    dir,
    cleanup: async () => {
      engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same, for tests that only need the repository: its folder is removed after the last test of the file.
 * (Vitest ends its fork workers with a signal, so process exit events never run there.)
 */
export async function testCostRepository(): Promise<DuckDbCostRepository> {
  const store = await createTestCostStore();
  cleanups.push(store.cleanup);
  return store.repo;
}

const cleanups: (() => Promise<void>)[] = [];
// Registered on the file that imports this module (each test file loads its own copy); after hooks run in reverse
// order, so this one runs after the file's own, once what they close no longer reads the store.
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});
