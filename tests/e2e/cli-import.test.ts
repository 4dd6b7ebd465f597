import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectedSums, readFixture } from '../support/focus-oracle.js';
import { runCli } from '../support/run-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/focus/${name}`, import.meta.url));
const EXPORT = fixture('export-2026-05.csv');
const CORRUPT = fixture('export-corrupt.csv');

/** 1-based physical line numbers of the lines containing each marker, found in the raw file text. */
function linesOf(path: string, markers: string[]): number[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  return markers.map((m) => lines.findIndex((l) => l.includes(m)) + 1);
}

describe('tally import', () => {
  it('prints rows read, imported, rejected and the total per currency', async () => {
    const rows = readFixture(EXPORT);
    const r = await runCli(['import', EXPORT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${rows.length} rows read, ${rows.length} imported, 0 rejected`);
    const billed = expectedSums(rows, { from: '0000-01-01', to: '9999-12-31', amount: 'BilledCost', key: () => 'all' });
    for (const [currency, m] of billed) {
      const cents = m.get('all')!;
      const shown = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(cents);
      expect(r.stdout).toContain(`Total ${currency}: billed ${shown} ${currency}`);
    }
  });

  it('a file with three corrupt rows imports the others and names the three lines and columns', async () => {
    const rows = readFixture(CORRUPT);
    const r = await runCli(['import', CORRUPT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${rows.length} rows read, ${rows.length - 3} imported, 3 rejected`);
    const [billed, start, tags] = linesOf(CORRUPT, ['12,34x', 'sometime in May', '""payments""",ignored']);
    expect(r.stdout).toMatch(new RegExp(`line ${billed}, column BilledCost`));
    expect(r.stdout).toMatch(new RegExp(`line ${start}, column ChargePeriodStart`));
    expect(r.stdout).toMatch(new RegExp(`line ${tags}, column Tags`));
  });

  it('a file without BilledCost exits 2 naming BilledCost, with one line on stderr', async () => {
    const r = await runCli(['import', fixture('export-no-billed.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BilledCost');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('reads .csv.gz files and folders of them; `ask` over a folder sums all files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-focus-'));
    writeFileSync(join(dir, 'part-1.csv.gz'), gzipSync(readFileSync(EXPORT)));
    copyFileSync(EXPORT, join(dir, 'part-2.csv'));
    const r = await runCli(['ask', '--focus', dir, '--json', 'cost by provider from 2026-05-01 to 2026-05-31']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { totals: { currency: string; total: number }[] };
    const twice = [...readFixture(EXPORT), ...readFixture(EXPORT)];
    const expected = expectedSums(twice, {
      from: '2026-05-01',
      to: '2026-05-31',
      amount: 'EffectiveCost',
      key: () => 'all',
    });
    expect(new Map(json.totals.map((t) => [t.currency, t.total]))).toEqual(
      new Map([...expected].map(([c, m]) => [c, m.get('all')])),
    );
  });

  it('a missing path exits 2 with a one-line message', async () => {
    const r = await runCli(['import', '/nonexistent/focus.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
});

describe('tally usage errors', () => {
  it('an unknown subcommand exits 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
  });

  it('a bad configuration exits 2 listing every bad variable', async () => {
    const r = await runCli(['ask', 'cost'], { PORT: 'abc', REDIS_URL: 'http://nope', LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    for (const v of ['PORT', 'REDIS_URL', 'LOG_LEVEL']) expect(r.stderr).toContain(v);
  });

  it('an unparseable command prints usage help and exits 2', async () => {
    const r = await runCli(['ask', '--focus', EXPORT, 'cost by flavour']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('cost last month by service');
    expect(r.stderr).toContain('flavour');
  });

  it('an unreachable MongoDB exits 1 with one line naming MONGODB_URI, the details in the log file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tally-home-'));
    const r = await runCli(['ask', 'cost'], { MONGODB_URI: 'mongodb://127.0.0.1:1/tally', HOME: home });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('MONGODB_URI');
    expect(readFileSync(join(home, '.tally', 'tally.log'), 'utf8')).toContain('"stack"');
  });
});
