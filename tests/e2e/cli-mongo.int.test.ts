import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedSums, readFixture, utcDay } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';
import { mongoUrl, uniqueName } from '../support/services.js';

const EXPORT = fileURLToPath(new URL('../fixtures/focus/export-2026-05.csv', import.meta.url));
const MONGODB_URI = `${mongoUrl()}/${uniqueName('cli_e2e')}`;

afterAll(async () => {
  const conn = await mongoose.createConnection(MONGODB_URI).asPromise();
  await conn.dropDatabase();
  await conn.close();
});

describe('tally with MONGODB_URI: one process imports, another answers', () => {
  it('ask in a second process sees what import stored, to the cent; re-import does not double it', async () => {
    const first = await runCli(['import', EXPORT], { MONGODB_URI });
    expect(first.code).toBe(0);
    const again = await runCli(['import', EXPORT], { MONGODB_URI });
    expect(again.code).toBe(0);
    const r = await runCli(['ask', '--json', 'cost by service from 2026-05-01 to 2026-05-31'], { MONGODB_URI });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { rows: { key: string; cost: number; currency?: string }[] };
    const expected = expectedSums(readFixture(EXPORT), {
      from: '2026-05-01',
      to: '2026-05-31',
      amount: 'EffectiveCost',
      key: (x) => x.ServiceName ?? '',
    });
    const got = new Map<string, Map<string, number>>();
    for (const row of json.rows) {
      const m = got.get(row.currency ?? '') ?? new Map<string, number>();
      got.set(row.currency ?? '', m);
      m.set(row.key, row.cost);
    }
    expect(got).toEqual(expected);
    const status = await runCli(['ask', 'status'], { MONGODB_URI });
    const days = readFixture(EXPORT)
      .map((x) => utcDay(x.ChargePeriodStart ?? ''))
      .sort();
    expect(status.stdout).toContain(`${days[0]} to ${days[days.length - 1]}`);
    expect(status.stdout).toContain('MongoDB');
  });
});
