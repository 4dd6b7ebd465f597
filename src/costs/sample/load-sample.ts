import { addDays } from '../../shared/day.js';
import type { CostRepository } from '../cost-repository.port.js';
import { generateSample } from './sample-data.js';

/** The source name of the built-in sample dataset in the store. */
const SAMPLE_SOURCE = 'sample';

/**
 * Puts the sample dataset (13 months ending yesterday) into a store under the source `sample`, unless it is there
 * already (the sample's folder is kept per day, so only the first start of a day writes it).
 */
export async function loadSample(repo: CostRepository, today: string): Promise<void> {
  const sample = generateSample({ endDay: addDays(today, -1) });
  const have = (await repo.sources()).find((s) => s.name === SAMPLE_SOURCE);
  if (have?.range?.from === sample.from && have.range.to === sample.to && have.rows === sample.records.length) return;
  const writer = await repo.writer(SAMPLE_SOURCE);
  try {
    for (let i = 0; i < sample.records.length; i += 10_000) await writer.add(sample.records.slice(i, i + 10_000));
    await writer.commit({
      range: { from: sample.from, to: sample.to },
      files: [],
      skipped: [],
      rowsRejected: 0,
      rejected: [],
      rejectedByMonth: {},
    });
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
