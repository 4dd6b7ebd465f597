import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkLoadParquet } from '../../adapters/duckdb/parquet-bulk-load.js';
import { createTestCostStore } from '../support/cost-store.js';
import { csvAsParquet, importIntoTestStore } from '../support/focus-import.js';

/**
 * Parquet files are loaded in bulk, in SQL (adapters/duckdb/parquet-bulk-load.ts); CSV files row by row through
 * the row mapper. The same rows, as text, must give the same figures and the same rejections either way.
 */
const HEADER = [
  'ProviderName',
  'ServiceProviderName',
  'BillingAccountId',
  'SubAccountId',
  'ServiceName',
  'RegionId',
  'ChargePeriodStart',
  'ChargeCategory',
  'BilledCost',
  'EffectiveCost',
  'ListCost',
  'BillingCurrency',
  'Tags',
  'ResourceId',
];
const ROWS = [
  [
    'AWS',
    'AWS',
    'p1',
    'a1',
    'EC2',
    'us-east-1',
    '2024-09-18 22:00:00 UTC',
    'Usage',
    '1.10',
    '1.00',
    '1.2',
    'USD',
    'NULL',
    'i-1',
  ],
  [
    '',
    'Datadog',
    'p1',
    'a1',
    'Datadog',
    'NULL',
    '2024-09-18T23:30:00-02:00',
    'usage',
    '2.5',
    '2.5',
    'NULL',
    'usd',
    '{"team":"a","n":3}',
    '',
  ],
  ['AWS', '', 'p1', 'NULL', 'Tax', '', '2024-09-19T00:00:00+00', 'Tax', '0.33', '0.33', '', 'USD', '', 'NULL'],
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-31T00:00:00Z', 'Usage', '1', '1', '1', 'USD', '', 'i-1'],
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Refund', '1', '1', '1', 'USD', '', 'i-1'],
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Usage', 'abc', '1', '1', 'USD', '', 'i-1'],
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Usage', '1', '1', '1', 'dollars', '', 'i-1'],
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Usage', '1', '1', '1', 'USD', '{bad', 'i-1'],
  ['', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Usage', '1', '1', '1', 'USD', '', 'i-1'],
  // Amounts beyond the bound (MAX_ABS_AMOUNT, 10^15), in a required and in an optional column; one just below it.
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Usage', '1', '1.8e308', '1', 'USD', '', 'i-1'],
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Usage', '1', '1', '-1e15', 'USD', '', 'i-1'],
  ['AWS', '', 'p1', 'a1', 'EC2', 'us-east-1', '2024-09-20T00:00:00Z', 'Usage', '1e999', '1', '1', 'USD', '', 'i-1'],
  ['AWS', '', 'p1', 'a2', 'EC2', 'us-east-1', '2024-09-21', 'Usage', '999999999999999.5', '2', '3', 'USD', '', 'i-2'],
  [
    'OCI',
    '',
    'p2',
    'a9',
    'Compute',
    'eu-1',
    '2024-09-20',
    'Credit',
    '-12345678901.23',
    '-12345678901.23',
    '',
    'IDR',
    '{}',
    'ocid1.x',
  ],
];

const dir = mkdtempSync(join(tmpdir(), 'tally-bulk-'));
const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
const csvPath = join(dir, 'rows.csv');
writeFileSync(csvPath, `${[HEADER, ...ROWS].map((r) => r.map(quote).join(',')).join('\n')}\n`);

/** Twice a decimal with 16 places, exactly (the figures exceed a double's precision). */
function doubled(decimal: string): string {
  const negative = decimal.startsWith('-');
  const digits = BigInt(decimal.replace(/[-.]/g, '')) * 2n;
  const text = digits.toString().padStart(17, '0');
  return `${negative && digits !== 0n ? '-' : ''}${text.slice(0, -16)}.${text.slice(-16)}`;
}

describe('Parquet bulk load and CSV row mapping agree', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function importOne(path: string) {
    const { store, run } = await importIntoTestStore(path, 'rows', cleanups);
    const daily = await store.repo.aggregate({
      from: '2024-01-01',
      to: '2024-12-31',
      groupBy: [{ kind: 'provider' }, { kind: 'account' }],
      byDay: true,
    });
    const exact = await store.repo.aggregate({
      from: '2024-01-01',
      to: '2024-12-31',
      groupBy: [{ kind: 'provider' }, { kind: 'account' }],
    });
    const figures = [
      ...daily.map((r) => `${r.day} ${r.keys.join('/')} ${r.currency} ${r.billed} ${r.effective} ${r.list}`),
      ...exact.map(
        (r) => `${r.keys.join('/')} ${r.currency} ${r.exact?.billed} ${r.exact?.effective} ${r.exact?.list}`,
      ),
    ].sort();
    const byTag = await store.repo.aggregate({
      from: '2024-01-01',
      to: '2024-12-31',
      groupBy: [{ kind: 'tag', key: 'n' }, { kind: 'resource' }],
    });
    return {
      read: run.rowsRead,
      rejected: run.rejected.map((r) => [r.line, r.column]),
      reasons: run.rejected.map((r) => r.reason),
      figures,
      tags: byTag.map((r) => `${r.keys.join('/')} ${r.exact?.effective}`).sort(),
    };
  }

  it('gives the same figures and rejects the same rows for the same reasons', async () => {
    const csv = await importOne(csvPath);
    const parquet = await importOne(await csvAsParquet(csvPath, dir, 'rows.parquet'));
    // CSV lines count the header; Parquet rows do not.
    expect(parquet.rejected).toEqual(csv.rejected.map(([line, column]) => [Number(line) - 1, column]));
    expect(csv.rejected.map(([, column]) => column)).toEqual([
      'ChargePeriodStart',
      'ChargeCategory',
      'BilledCost',
      'BillingCurrency',
      'Tags',
      'ProviderName',
      'EffectiveCost',
      'ListCost',
      'BilledCost',
    ]);
    expect(csv.reasons.slice(-3)).toEqual([
      'out of range ("1.8e308")',
      'out of range ("-1e15")',
      'out of range ("1e999")',
    ]);
    expect(parquet.reasons.slice(-3)).toEqual(csv.reasons.slice(-3));
    expect(parquet.read).toBe(csv.read);
    expect(parquet.figures).toEqual(csv.figures);
    expect(parquet.tags).toEqual(csv.tags);
    expect(csv.figures).toContain(
      'OCI/a9 IDR -12345678901.2300000000000000 -12345678901.2300000000000000 0.0000000000000000',
    );
    expect(csv.figures).toContain('AWS/a2 USD 999999999999999.5000000000000000 2.0000000000000000 3.0000000000000000');
  });

  it('sums a day staged from a CSV file and from a Parquet file of one export together', async () => {
    const csv = await importOne(csvPath);
    // The same rows twice: once as CSV (staged row by row), once as Parquet (staged in bulk), in one folder.
    const folder = join(dir, 'both');
    mkdirSync(folder, { recursive: true });
    copyFileSync(csvPath, join(folder, 'rows.csv'));
    copyFileSync(await csvAsParquet(csvPath, dir, 'rows.parquet'), join(folder, 'rows.parquet'));
    const both = await importOne(folder);
    expect(both.read).toBe(2 * csv.read);
    // Every exact figure doubles, and the days are the same: each day's daily rows are summed from both staging
    // files, not kept twice or lost.
    const exact = (figures: string[]) => figures.filter((f) => !/^\d{4}-/.test(f));
    const days = (figures: string[]) => figures.filter((f) => /^\d{4}-/.test(f)).map((f) => f.split(' ', 3).join(' '));
    const twice = (line: string) => line.replace(/-?\d+\.\d{16}/g, (n) => doubled(n));
    expect(exact(both.figures)).toEqual(exact(csv.figures).map(twice));
    expect(exact(csv.figures).length).toBeGreaterThan(3);
    expect(days(both.figures)).toEqual(days(csv.figures));
  });

  it('stages the same rows and rejections when it loads a file a few rows at a time', async () => {
    const store = await createTestCostStore();
    cleanups.push(store.cleanup);
    const file = await csvAsParquet(csvPath, dir, 'rows.parquet');
    const load = (chunkRows: number) =>
      store.engine.withConnection(async (c) => {
        const columns = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`))
          .getRowObjectsJS()
          .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
        const staging = join(dir, `staged-${chunkRows}`);
        const result = await bulkLoadParquet(c, file, columns, staging, chunkRows);
        const staged = (
          await c.runAndReadAll(
            `SELECT * EXCLUDE (tags), CAST(tags AS VARCHAR) AS tags FROM read_parquet('${staging}/*/*.parquet', filename = true) ORDER BY ALL`,
          )
        ).getRowObjectsJS();
        return {
          result,
          rows: staged.map(({ filename, ...row }) =>
            JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
          ),
          files: new Set(staged.map((r) => r.filename)).size,
        };
      });
    const whole = await load(1_000_000);
    // One row per statement: every rejection and every day's rows come from statements that must add up.
    const chunked = await load(1);
    expect(chunked.result).toEqual(whole.result);
    expect(chunked.rows.sort()).toEqual(whole.rows.sort());
    expect(whole.rows.length).toBe(ROWS.length - whole.result.rejected);
    // Each statement wrote files of its own into the days' folders (a day of two good rows has two files).
    expect(chunked.files).toBeGreaterThan(whole.files);
  });
});
