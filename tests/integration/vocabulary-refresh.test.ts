// Issue 14, item 3: the names the fast path knows are read from the store and read again when the data changes (an
// import writes a source), not only once a minute.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FocusExportReader } from '../../adapters/focus-file/focus-export.reader.js';
import { MemoryImportRunRepository } from '../../adapters/memory/memory-import-run.repository.js';
import { vocabularyOf } from '../../src/agent/understand/vocabulary.js';
import { ImportService } from '../../src/costs/import.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestCostStore, type TestCostStore } from '../support/cost-store.js';

const HEADER =
  'BillingAccountId,BillingCurrency,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ListCost,ProviderName,ServiceName,ServiceCategory,SubAccountId,RegionId,Tags';
const row = (provider: string, service: string, tags: string) =>
  `b1,USD,Usage,2026-05-01T00:00:00Z,2026-05-02T00:00:00Z,1.00,1.00,1.00,${provider},${service},Compute,a1,eu-west-1,"${tags}"`;

let store: TestCostStore;
let folder: string;
beforeAll(async () => {
  store = await createTestCostStore();
  folder = await mkdtemp(join(tmpdir(), 'tally-vocab-'));
});
afterAll(async () => {
  await store.cleanup();
  await rm(folder, { recursive: true, force: true });
});

async function importRows(name: string, lines: string[]) {
  const file = join(folder, `${name}.csv`);
  await writeFile(file, [HEADER, ...lines].join('\n'));
  await new ImportService({
    reader: new FocusExportReader(store.engine),
    costs: store.repo,
    runs: new MemoryImportRunRepository(),
    clock: systemClock,
  }).importPath(file, { source: name });
}

describe('the vocabulary of the data', () => {
  it('knows the names a new import brings at the next question', async () => {
    const vocabulary = vocabularyOf(store.repo);
    await importRows('aws', [row('AWS', 'Amazon EC2', '{""team"": ""web""}')]);
    const first = await vocabulary();
    expect(first.providers).toEqual(['AWS']);
    expect(first.tags.get('team')).toEqual(['web']);
    await importRows('gcp', [row('Google Cloud', 'BigQuery', '{""team"": ""data""}')]);
    const second = await vocabulary();
    expect(second.providers).toEqual(['AWS', 'Google Cloud']);
    expect(second.services).toEqual(['Amazon EC2', 'BigQuery']);
    expect(second.tags.get('team')).toEqual(['data', 'web']);
    expect(await vocabulary()).toBe(second);
  });
});
