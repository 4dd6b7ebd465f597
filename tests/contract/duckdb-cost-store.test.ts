import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDbCostRepository } from '../../adapters/duckdb/duckdb-cost.repository.js';
import { DuckDbEngine, spillDir } from '../../adapters/duckdb/duckdb-engine.js';
import { createTestCostStore } from '../support/cost-store.js';
import { testRollup } from '../support/rollups.js';
import { costRepositoryContract } from './cost-repository.contract.js';

costRepositoryContract('duckdb', createTestCostStore);

describe('DuckDB cost store specifics', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A repository with a DuckDB engine (and spill folder) of its own, as another process on the same data directory has. */
  async function repositoryOn(dir: string, name: string): Promise<DuckDbCostRepository> {
    const tempDir = join(spillDir(dir), name);
    const engine = await DuckDbEngine.create({ tempDir, memoryLimit: '256MB', threads: 2 });
    cleanups.push(async () => engine.close());
    return new DuckDbCostRepository(engine, dir);
  }

  it('a second repository on the same data directory sees every write of the first on its next question', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-costs-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const writer = await repositoryOn(dir, 'writer');
    const reader = await repositoryOn(dir, 'reader');
    const rollup = (effective: number) =>
      testRollup('2030-01-01', 'S', effective, { source: 'snap', subAccountId: 'a', subAccountName: 'a', region: 'r' });
    const total = async () =>
      (await reader.aggregate({ from: '2030-01-01', to: '2030-01-01', groupBy: [] })).map((r) => r.effective);
    const range = { from: '2030-01-01', to: '2030-01-01' };

    expect(await total()).toEqual([]);
    await writer.replaceRollups('snap', range, [rollup(5)]);
    expect(await total()).toEqual([5]);
    expect(await reader.dataRange()).toEqual(range);
    await writer.replaceRollups('snap', range, [rollup(7)]);
    expect(await total()).toEqual([7]);
    await writer.replaceRollups('snap', range, []);
    expect(await total()).toEqual([]);
  });
});
