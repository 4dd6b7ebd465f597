import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusRow } from '../support/focus-oracle.js';
import { expectedFocusSums, focusRows, focusUtcDay, isFocusDateTime, readFocusCsv } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';

/**
 * Real FOCUS exports (tests/fixtures/focus-real, shaped like the FinOps Foundation sample data and the AWS, Azure,
 * Google and OCI exports) must read right: every expected figure is computed here from the raw file with csv-parse
 * and exact decimal sums (tests/support/focus-oracle.ts), never with Tally's reader.
 */

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/focus-real/${name}`, import.meta.url));
const SEPTEMBER = { from: '2024-09-01', to: '2024-09-30' };

type Metric = 'effective' | 'billed' | 'list';
type Dimension = 'service' | 'account' | 'provider' | 'region';
const DIMENSIONS: Dimension[] = ['service', 'account', 'provider', 'region'];
const AMOUNT: Record<Metric, string> = { effective: 'EffectiveCost', billed: 'BilledCost', list: 'ListCost' };

/** The group key of a raw row, as the issue defines each dimension. */
const KEY: Record<Dimension, (r: FocusRow) => string> = {
  service: (r) => r.ServiceName ?? '',
  // A null SubAccountId is a charge at billing-account level: one row with the key "".
  account: (r) => r.SubAccountId ?? '',
  // FOCUS 1.3 deprecates ProviderName for ServiceProviderName; FOCUS 1.4 files have no ProviderName at all.
  provider: (r) => r.ProviderName ?? r.ServiceProviderName ?? '',
  region: (r) => r.RegionId ?? 'global',
};

interface Breakdown {
  metric: string;
  from: string;
  to: string;
  currency: string | null;
  total: number | null;
  totals?: { currency: string; total: number }[];
  rows: { key: string; label?: string; cost: number; currency?: string }[];
}

const temporary: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** `tally` with an empty data folder and home of its own, so that no run reads or writes the user's data. */
function tally(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { TALLY_DATA_DIR: tempDir('tally-data-'), HOME: tempDir('tally-home-'), ...env });
}

async function askJson(path: string, question: string, env: Record<string, string> = {}) {
  const r = await tally(['ask', '--focus', path, '--json', question], env);
  expect(r.code, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout) as Breakdown, stderr: r.stderr };
}

/** A reply's figures as `Map<currency, Map<key, cost>>`, for one currency or several; keys that cost 0.00 left out. */
function figuresOf(json: Breakdown): Map<string, Map<string, number>> {
  const got = new Map<string, Map<string, number>>();
  for (const r of json.rows) {
    const currency = r.currency ?? json.currency ?? '';
    const byKey = got.get(currency) ?? new Map<string, number>();
    got.set(currency, byKey);
    expect(byKey.has(r.key), `key "${r.key}" shown twice`).toBe(false);
    byKey.set(r.key, r.cost);
  }
  return withoutZeros(got);
}

function withoutZeros(m: Map<string, Map<string, number>>): Map<string, Map<string, number>> {
  const kept = [...m].map(([c, byKey]) => [c, new Map([...byKey].filter(([, v]) => v !== 0))] as const);
  return new Map(kept.filter(([, byKey]) => byKey.size > 0));
}

function totalsOf(json: Breakdown): Map<string, number> {
  if (json.totals) return new Map(json.totals.map((t) => [t.currency, t.total]));
  return json.currency && json.total !== null ? new Map([[json.currency, json.total]]) : new Map();
}

/**
 * Asks `[billed|list] cost from … to … by <dimension>` and compares every figure with the exact sums of the raw
 * rows: per currency and key, and each currency's total.
 */
async function expectBreakdown(
  path: string,
  rows: FocusRow[],
  q: { by: Dimension; metric?: Metric; period?: { from: string; to: string }; env?: Record<string, string> },
  opts: { rejectionsAllowed?: boolean } = {},
): Promise<Breakdown> {
  const metric = q.metric ?? 'effective';
  const period = q.period ?? SEPTEMBER;
  const words = metric === 'effective' ? 'cost' : `${metric} cost`;
  const { json, stderr } = await askJson(path, `${words} from ${period.from} to ${period.to} by ${q.by}`, q.env);
  if (!opts.rejectionsAllowed) expect(stderr).not.toMatch(/reject/i);
  expect(json).toMatchObject({ metric, from: period.from, to: period.to });
  const amount = AMOUNT[metric];
  expect(figuresOf(json)).toEqual(withoutZeros(expectedFocusSums(rows, { ...period, amount, key: KEY[q.by] })));
  const all = expectedFocusSums(rows, { ...period, amount, key: () => 'all' });
  expect(totalsOf(json)).toEqual(new Map([...all].map(([c, m]) => [c, m.get('all')])));
  return json;
}

/** The count a summary line gives for `word` ("12 rows read", "0 rejected", "rejected: 0"), or undefined. */
function countIn(output: string, word: string): number | undefined {
  const m =
    new RegExp(`(\\d[\\d,]*)\\s+(?:rows?\\s+)?${word}\\b`, 'i').exec(output) ??
    new RegExp(`\\b${word}:?\\s+(\\d[\\d,]*)`, 'i').exec(output);
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
}

/** `tally import` reads every row of the file, imports them all and rejects none. */
async function expectEveryRowImported(path: string, rows: number) {
  const r = await tally(['import', path]);
  expect(r.code, r.stderr).toBe(0);
  const out = `${r.stdout}\n${r.stderr}`;
  expect({
    read: countIn(out, 'read'),
    imported: countIn(out, 'imported'),
    rejected: countIn(out, 'rejected'),
  }).toEqual({ read: rows, imported: rows, rejected: 0 });
}

/** The standard checks of one cost-and-usage export: every row imports, every breakdown adds up. */
function describeExport(path: () => string, rows: () => FocusRow[], extra: { billed: Dimension; list: Dimension }) {
  it('imports every row and rejects none', async () => {
    await expectEveryRowImported(path(), rows().length);
  });

  it.each(DIMENSIONS)('cost by %s equals the sums of the raw rows, to the cent', async (by) => {
    await expectBreakdown(path(), rows(), { by });
  });

  it(`billed cost by ${extra.billed} uses BilledCost`, async () => {
    await expectBreakdown(path(), rows(), { by: extra.billed, metric: 'billed' });
  });

  it(`list cost by ${extra.list} uses ListCost`, async () => {
    await expectBreakdown(path(), rows(), { by: extra.list, metric: 'list' });
  });
}

describe('nulls-null-token.csv: FOCUS 1.0 (AWS, Azure, OCI) with NULL tokens and empty cells', () => {
  const path = fixture('nulls-null-token.csv');
  const rows = focusRows(path);

  it('is what it claims: Tags NULL on about 30% of the rows, the Credit row among them, NULL ids', () => {
    const tagsNull = rows.filter((r) => r.Tags === null).length / rows.length;
    expect(tagsNull).toBeGreaterThan(0.25);
    expect(tagsNull).toBeLessThan(0.35);
    const credits = rows.filter((r) => r.ChargeCategory === 'Credit');
    expect(credits.map((r) => r.Tags)).toEqual([null]);
    expect(rows.filter((r) => r.ChargeCategory === 'Tax').every((r) => r.ResourceId === null)).toBe(true);
    expect(rows.some((r) => r.SubAccountId === null)).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/,"",/);
  });

  describeExport(
    () => path,
    () => rows,
    { billed: 'service', list: 'region' },
  );

  it('charges without a sub-account are one row keyed "" and labelled (billing account level)', async () => {
    const json = await expectBreakdown(path, rows, { by: 'account' });
    const billingLevel = json.rows.filter((r) => r.key === '');
    expect(billingLevel).toHaveLength(1);
    expect(billingLevel[0]?.label).toBe('(billing account level)');
    expect(json.rows.some((r) => r.key === 'NULL')).toBe(false);
  });
});

describe('bom-crlf-quoted.csv: an Azure FOCUS export with a UTF-8 BOM, every field quoted, CRLF', () => {
  const path = fixture('bom-crlf-quoted.csv');
  const rows = focusRows(path);

  it('is what it claims: BOM before the quoted header, CRLF, a field with a comma and one with a line break', () => {
    const raw = readFileSync(path);
    expect([...raw.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x22]);
    expect(raw.toString('utf8').split('\r\n').length).toBeGreaterThan(rows.length);
    expect(rows.some((r) => r.ChargeDescription?.includes(','))).toBe(true);
    expect(rows.some((r) => r.ChargeDescription?.includes('\n'))).toBe(true);
    expect(Object.keys(rows[0] ?? {})[0]).toBe('AvailabilityZone');
  });

  describeExport(
    () => path,
    () => rows,
    { billed: 'account', list: 'service' },
  );
});

describe('bom-crlf-quoted.csv gzipped (.csv.gz), as exports are delivered', () => {
  const source = fixture('bom-crlf-quoted.csv');
  const rows = focusRows(source);
  let gz = '';

  beforeAll(() => {
    gz = join(tempDir('tally-gz-'), 'contoso-focuscost-2024-09.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(source)));
  });

  describeExport(
    () => gz,
    () => rows,
    { billed: 'provider', list: 'region' },
  );
});

describe('bigquery-utc.csv: Google Cloud FOCUS rows with "… UTC", +00, +00:00, fractional and zone-less times', () => {
  const path = fixture('bigquery-utc.csv');
  const rows = focusRows(path);
  const AUG_TO_OCT = { from: '2024-08-01', to: '2024-10-31' };

  it('is what it claims: rows either side of the month boundary in every spelling', () => {
    const starts = rows.map((r) => r.ChargePeriodStart ?? '');
    for (const spelling of [/ UTC$/, /\+00$/, /\+00:00$/, /\.\d+/, /^\S+ \d\d:\d\d:\d\d$/])
      expect(starts.some((s) => spelling.test(s))).toBe(true);
    expect(starts.some((s) => s.startsWith('2024-08-31'))).toBe(true);
    expect(starts.some((s) => s.startsWith('2024-10-01'))).toBe(true);
  });

  describeExport(
    () => path,
    () => rows,
    { billed: 'account', list: 'region' },
  );

  it('over August to October the totals hold every row of the file', async () => {
    const days = rows.map((r) => focusUtcDay(r.ChargePeriodStart ?? ''));
    expect(days.every((d) => d >= AUG_TO_OCT.from && d <= AUG_TO_OCT.to)).toBe(true);
    await expectBreakdown(path, rows, { by: 'service', period: AUG_TO_OCT });
  });

  it('the last day of September holds exactly its UTC hours', async () => {
    await expectBreakdown(path, rows, { by: 'service', period: { from: '2024-09-30', to: '2024-09-30' } });
  });

  it.each(['Asia/Kolkata', 'America/Los_Angeles'])(
    'the machine time zone (TZ=%s) moves no row to another day',
    async (tz) => {
      await expectBreakdown(path, rows, { by: 'service', env: { TZ: tz } });
      await expectBreakdown(path, rows, {
        by: 'service',
        period: { from: '2024-10-01', to: '2024-10-01' },
        env: { TZ: tz },
      });
    },
  );
});

describe('focus13-empty-provider.csv: FOCUS 1.3 with ProviderName empty on some rows', () => {
  const path = fixture('focus13-empty-provider.csv');
  const rows = focusRows(path);

  it('is what it claims: ServiceProviderName and HostProviderName, ProviderName filled on some rows only', () => {
    expect(rows.every((r) => r.ServiceProviderName !== null && r.HostProviderName !== null)).toBe(true);
    expect(rows.some((r) => r.ProviderName === null)).toBe(true);
    expect(rows.some((r) => r.ProviderName !== null)).toBe(true);
    expect(rows.some((r) => r.ProviderName === null && r.ServiceProviderName !== r.HostProviderName)).toBe(true);
  });

  describeExport(
    () => path,
    () => rows,
    { billed: 'provider', list: 'account' },
  );
});

describe('focus14-no-provider.csv: FOCUS 1.4 without ProviderName and PublisherName', () => {
  const path = fixture('focus14-no-provider.csv');
  const rows = focusRows(path);

  it('is what it claims: ServiceProviderName, HostProviderName and InvoiceIssuerName, no ProviderName/PublisherName', () => {
    const { header } = readFocusCsv(path);
    expect(header).toEqual(expect.arrayContaining(['ServiceProviderName', 'HostProviderName', 'InvoiceIssuerName']));
    expect(header).not.toContain('ProviderName');
    expect(header).not.toContain('PublisherName');
  });

  describeExport(
    () => path,
    () => rows,
    { billed: 'provider', list: 'region' },
  );
});

describe('mixed-datasets/: cost-and-usage files beside Contract Commitment, Invoice Detail and Billing Period files', () => {
  const dir = fixture('mixed-datasets');
  const COST_FILES = ['aws-focus-1-2-2024-09.csv', 'azure-focuscost-1-0-2024-09.csv'];
  const OTHER_FILES = ['billing-period-2024-09.csv', 'contract-commitment-2024-09.csv', 'invoice-detail-2024-09.csv'];
  const rows = COST_FILES.flatMap((f) => focusRows(join(dir, f)));

  it('is what it claims: only the cost files have ChargePeriodStart; the others are the FOCUS datasets they say', () => {
    for (const f of COST_FILES) expect(readFocusCsv(join(dir, f)).header).toContain('ChargePeriodStart');
    for (const f of OTHER_FILES) expect(readFocusCsv(join(dir, f)).header).not.toContain('ChargePeriodStart');
    expect(readFocusCsv(join(dir, 'contract-commitment-2024-09.csv')).header).toEqual(
      expect.arrayContaining(['ContractId', 'ContractCommitmentId', 'ContractCommitmentCategory']),
    );
  });

  it('tally import imports the cost files, lists the other files as skipped and refuses nothing', async () => {
    const r = await tally(['import', dir]);
    expect(r.code, r.stderr).toBe(0);
    const out = `${r.stdout}\n${r.stderr}`;
    expect(countIn(out, 'imported')).toBe(rows.length);
    expect(countIn(out, 'rejected')).toBe(0);
    for (const f of OTHER_FILES) {
      const mention = out.split('\n').find((l) => l.includes(f));
      expect(mention, `${f} is listed as skipped`).toMatch(/skip/i);
    }
    for (const f of COST_FILES) {
      const skipped = out.split('\n').find((l) => l.includes(f) && /skip/i.test(l));
      expect(skipped, `${f} is not skipped`).toBeUndefined();
    }
  });

  it.each(DIMENSIONS)('cost by %s over the folder sums the two cost files only', async (by) => {
    await expectBreakdown(dir, rows, { by });
  });

  it('billed cost by service over the folder does not count the Invoice Detail lines again', async () => {
    await expectBreakdown(dir, rows, { by: 'service', metric: 'billed' });
  });
});

describe('big-amount-idr.csv: IDR amounts in the billions and with up to 18 decimals, plus a USD row', () => {
  const path = fixture('big-amount-idr.csv');
  const rows = focusRows(path);

  it('is what it claims: two currencies, amounts past 10^10 and past 12 decimals, scientific notation', () => {
    expect(new Set(rows.map((r) => r.BillingCurrency))).toEqual(new Set(['IDR', 'USD']));
    expect(rows.some((r) => Math.abs(Number(r.BilledCost)) > 1e10)).toBe(true);
    expect(rows.some((r) => /\.\d{13,}$/.test(r.BilledCost ?? ''))).toBe(true);
    expect(rows.some((r) => /E-\d+$/i.test(r.BilledCost ?? ''))).toBe(true);
  });

  describeExport(
    () => path,
    () => rows,
    { billed: 'account', list: 'service' },
  );
});

describe('bad-rows.csv: an impossible date and short records are rejected with file, line and column', () => {
  const path = fixture('bad-rows.csv');
  const { header, records } = readFocusCsv(path);
  const physical = readFileSync(path, 'utf8').split('\n');
  // Each physical line of this file is one record (no quoted line breaks), so a record's line is its index + 1.
  const lines = physical
    .map((text, i) => ({ line: i + 1, fields: (parse(text) as string[][])[0] ?? [] }))
    .filter((l) => l.line > 1 && l.fields.length > 0);
  const startIndex = header.indexOf('ChargePeriodStart');
  const badDate = lines.filter((l) => l.fields.length === header.length && !isFocusDateTime(l.fields[startIndex]!));
  const short = lines.filter((l) => l.fields.length < header.length);
  const good = focusRows(path).filter((r) => isFocusDateTime(r.ChargePeriodStart ?? ''));

  it('is what it claims: one record per line, 2024-09-31 on one, two records with too few fields', () => {
    expect(lines).toHaveLength(records.length);
    expect(badDate.map((l) => l.fields[startIndex])).toEqual(['2024-09-31T00:00:00Z']);
    expect(short).toHaveLength(2);
    expect(good).toHaveLength(records.length - 3);
  });

  it('tally import counts every rejected row and names file, line and column of each; the good rows import', async () => {
    const r = await tally(['import', path]);
    expect(r.code, r.stderr).toBe(0);
    const out = `${r.stdout}\n${r.stderr}`;
    expect({
      read: countIn(out, 'read'),
      imported: countIn(out, 'imported'),
      rejected: countIn(out, 'rejected'),
    }).toEqual({ read: records.length, imported: good.length, rejected: badDate.length + short.length });
    const reportOf = (line: number) =>
      out.split('\n').find((l) => new RegExp(`\\bline ${line}\\b`).test(l) && l.includes(basename(path)));
    for (const l of badDate) expect(reportOf(l.line), `line ${l.line}`).toContain('ChargePeriodStart');
    for (const l of short) {
      // A short record is marked by the first column it lacks (or, for the whole record, "(CSV record)").
      const marks = [header[l.fields.length]!, '(CSV record)'];
      const report = reportOf(l.line);
      expect(report, `line ${l.line}`).toBeDefined();
      expect(
        marks.some((m) => report?.includes(m)),
        `line ${l.line} names one of ${marks.join(', ')}: ${report}`,
      ).toBe(true);
    }
  });

  it.each(DIMENSIONS)('cost by %s holds the good rows only, to the cent', async (by) => {
    await expectBreakdown(path, good, { by }, { rejectionsAllowed: true });
  });

  it('the impossible 2024-09-31 is not moved to 1 October', async () => {
    const { json } = await askJson(path, 'cost from 2024-10-01 to 2024-10-01 by service');
    expect(figuresOf(json)).toEqual(new Map());
  });
});

/**
 * Writes a FOCUS CSV as Parquet with DuckDB, each column typed by `typeOf` (a SQL expression over the text column;
 * `NULL` and empty cells are SQL NULLs).
 */
async function csvToParquet(csv: string, out: string, typeOf: (column: string) => string) {
  const { header } = readFocusCsv(csv);
  const select = header.map((c) => `${typeOf(c)} AS "${c}"`).join(', ');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  try {
    await con.run(
      `COPY (SELECT ${select} FROM read_csv('${csv}', header = true, all_varchar = true, nullstr = ['NULL', ''])) ` +
        `TO '${out}' (FORMAT parquet)`,
    );
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

const TIME_COLUMNS = new Set(['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd']);
const COST_COLUMNS = new Set(['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost']);
const QUANTITY_COLUMNS = new Set([
  'ConsumedQuantity',
  'PricingQuantity',
  'ListUnitPrice',
  'ContractedUnitPrice',
  'CommitmentDiscountQuantity',
]);

describe('Parquet typed like AWS Data Exports (DOUBLE amounts, TIMESTAMP(ms), Tags as a MAP), from nulls-null-token.csv', () => {
  const source = fixture('nulls-null-token.csv');
  const rows = focusRows(source);
  let parquet = '';

  beforeAll(async () => {
    parquet = join(tempDir('tally-parquet-'), 'focus-00001.parquet');
    await csvToParquet(source, parquet, (c) => {
      if (COST_COLUMNS.has(c) || QUANTITY_COLUMNS.has(c)) return `CAST("${c}" AS DOUBLE)`;
      if (TIME_COLUMNS.has(c)) return `CAST("${c}" AS TIMESTAMP_MS)`;
      if (c === 'Tags') return `CAST(CAST("Tags" AS JSON) AS MAP(VARCHAR, VARCHAR))`;
      return `"${c}"`;
    });
  });

  describeExport(
    () => parquet,
    () => rows,
    { billed: 'service', list: 'account' },
  );
});

describe('Parquet with DECIMAL(38,18) amounts and TIMESTAMP columns, from big-amount-idr.csv', () => {
  const source = fixture('big-amount-idr.csv');
  const rows = focusRows(source);
  let parquet = '';

  beforeAll(async () => {
    parquet = join(tempDir('tally-parquet-'), 'part-0.parquet');
    await csvToParquet(source, parquet, (c) => {
      if (COST_COLUMNS.has(c)) return `CAST("${c}" AS DECIMAL(38, 18))`;
      if (QUANTITY_COLUMNS.has(c)) return `CAST("${c}" AS DOUBLE)`;
      if (TIME_COLUMNS.has(c)) return `CAST("${c}" AS TIMESTAMP)`;
      return `"${c}"`;
    });
  });

  describeExport(
    () => parquet,
    () => rows,
    { billed: 'service', list: 'provider' },
  );
});
