import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { FocusCsvReader } from '../adapters/focus-file/focus-csv.reader.js';
import { MemoryCostRepository } from '../adapters/memory/memory-cost.repository.js';
import { MemoryImportRunRepository } from '../adapters/memory/memory-import-run.repository.js';
import { createMongoConnection } from '../adapters/mongo/mongo-connection.js';
import { MongoCostRepository } from '../adapters/mongo/mongo-cost.repository.js';
import { MongoImportRunRepository } from '../adapters/mongo/mongo-import-run.repository.js';
import type { AggregateQuery, AggregateRow } from '../src/costs/cost-query.types.js';
import type { DailyRollup } from '../src/costs/cost-record.types.js';
import type { AccountName, CostRepository } from '../src/costs/cost-repository.port.js';
import { ImportService } from '../src/costs/import.service.js';
import type { ImportRun, ImportRunRepository } from '../src/costs/import-run.types.js';
import type { Clock } from '../src/shared/clock.js';
import type { Day } from '../src/shared/day.js';

/** Wraps a store to time `replaceRollups` (the store write of an import) and count the rollups written. */
export class TimedCostRepository implements CostRepository {
  writeMs = 0;
  rollupsWritten = 0;

  constructor(private readonly inner: CostRepository) {}

  async replaceRollups(source: string, range: { from: Day; to: Day }, rollups: DailyRollup[]): Promise<void> {
    const t0 = performance.now();
    await this.inner.replaceRollups(source, range, rollups);
    this.writeMs += performance.now() - t0;
    this.rollupsWritten += rollups.length;
  }

  aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    return this.inner.aggregate(query);
  }

  dataRange(): Promise<{ from: Day; to: Day } | null> {
    return this.inner.dataRange();
  }

  accounts(): Promise<AccountName[]> {
    return this.inner.accounts();
  }

  tagKeys(): Promise<string[]> {
    return this.inner.tagKeys();
  }
}

export interface BenchStore {
  name: string;
  costs: TimedCostRepository;
  runs: ImportRunRepository;
  close(): Promise<void>;
}

export function memoryStore(): BenchStore {
  return {
    name: 'memory',
    costs: new TimedCostRepository(new MemoryCostRepository()),
    runs: new MemoryImportRunRepository(),
    close: async () => {},
  };
}

/** A fresh database on the server at `uri`, dropped by `close()`. */
export async function mongoStore(uri: string): Promise<BenchStore & { dbName: string }> {
  const dbName = `tally_bench_${process.pid}_${randomBytes(6).toString('hex')}`;
  const conn: Connection = await createMongoConnection({ uri, dbName });
  try {
    const [costs, runs] = await Promise.all([MongoCostRepository.create(conn), MongoImportRunRepository.create(conn)]);
    return {
      name: 'mongo',
      dbName,
      costs: new TimedCostRepository(costs),
      runs,
      close: async () => {
        try {
          await conn.dropDatabase();
        } finally {
          await conn.close();
        }
      },
    };
  } catch (err) {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close().catch(() => undefined);
    throw err;
  }
}

export interface ImportResult {
  run: ImportRun;
  ms: number;
  rowsPerSecond: number;
  writeMs: number;
  rollups: number;
}

/** Imports the file into the store with the real ImportService and FocusCsvReader. */
export async function importInto(store: BenchStore, path: string, clock: Clock): Promise<ImportResult> {
  const importer = new ImportService({ reader: new FocusCsvReader(), costs: store.costs, runs: store.runs, clock });
  const t0 = performance.now();
  const run = await importer.importPath(path, { source: 'bench' });
  const ms = performance.now() - t0;
  return {
    run,
    ms,
    rowsPerSecond: (run.rowsRead / ms) * 1000,
    writeMs: store.costs.writeMs,
    rollups: store.costs.rollupsWritten,
  };
}
