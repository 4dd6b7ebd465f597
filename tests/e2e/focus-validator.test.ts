import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { FOCUS_MANDATORY_COLUMNS } from '../../adapters/focus-file/focus-write-columns.js';
import { runCli } from '../support/run-cli.js';

/**
 * `tally sample` checked by the FinOps Foundation's FOCUS validator (PyPI focus-validator, run offline by
 * scripts/focus-validate.sh against FOCUS 1.2 with every applicability criterion, so that conditional columns are
 * checked too). The first run installs the validator into a cached virtualenv, which takes a minute.
 */

const SCRIPT = fileURLToPath(new URL('../../scripts/focus-validate.sh', import.meta.url));
const MINUTES = 60_000;

/**
 * Checks of focus-validator 2.2.1's FOCUS 1.2 rules (its model-1.2.0.1.json) that fail whatever the data, because
 * the rule itself is wrong; FOCUS 1.2's text is met by the sample on each (tests/unit/costs/sample-data.test.ts
 * checks these columns' rules itself). None is on a mandatory column.
 */
const VALIDATOR_DEFECTS: Record<string, string> = {
  'CapacityReservationStatus-C-004-C':
    'its condition (CapacityReservationId not null and Usage) is malformed and dropped: "MUST NOT be null" on every ' +
    'row, while C-003-C wants it null where CapacityReservationId is null',
  'CapacityReservationStatus-C-002-C': 'the composite of C-003-C and C-004-C',
  'CapacityReservationStatus-C-000-C': 'the column composite over C-002-C',
  'CommitmentDiscountStatus-C-004-C':
    'its condition is inverted (CommitmentDiscountId IS null): wants a status exactly where C-003-C wants none',
  'CommitmentDiscountStatus-C-002-C': 'the composite of C-003-C and C-004-C',
  'CommitmentDiscountStatus-C-000-C': 'the column composite over C-002-C',
  'InvoiceId-C-004-C':
    'has no condition: "MUST be null" on every row; it is one side of InvoiceId-C-003-C, an OR that passes',
  'CostAndUsage-D-002-M': 'the composite of every column composite (fails through the ones above)',
  'CostAndUsage-D-000-M': 'the dataset composite over CostAndUsage-D-002-M',
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface FailedCheck {
  rule: string;
  /** The FOCUS column the check is on; `*` for an attribute (every column); null for a dataset composite. */
  column: string | null;
  message: string;
}

/** The failed checks of the validator's console report (`❌ RULE-ID: FAIL  (violations=…, msg=…)`). */
function failedChecks(report: string): FailedCheck[] {
  const out: FailedCheck[] = [];
  for (const line of report.split('\n')) {
    const m = /^\S+\s+([A-Za-z]+)-([A-Z])-(\d{3})-([A-Z]): FAIL\b\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, prefix = '', kind, number, level, message = ''] = m;
    const rule = `${prefix}-${kind}-${number}-${level}`;
    let column: string | null = prefix;
    if (kind === 'A') column = '*';
    if (kind === 'D') column = /Column '(\w+)'/.exec(message)?.[1] ?? null;
    out.push({ rule, column, message });
  }
  return out;
}

const onMandatoryColumn = (f: FailedCheck) =>
  f.column === '*' || (f.column !== null && (FOCUS_MANDATORY_COLUMNS as readonly string[]).includes(f.column));
const shown = (f: FailedCheck) => `${f.rule} [${f.column ?? 'dataset'}] ${f.message}`;

function totals(report: string) {
  const m = /Total: (\d+) \| Pass: (\d+) \| Fail: (\d+) \| Skipped: (\d+)/.exec(report);
  return m ? { total: Number(m[1]), pass: Number(m[2]), fail: Number(m[3]), skipped: Number(m[4]) } : null;
}

describe('tally sample against the FinOps Foundation FOCUS validator (FOCUS 1.2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-focus-validator-'));
  const csv = join(dir, 's.csv');

  beforeAll(async () => {
    const sample = await runCli(['sample', '--out', csv, '--end', '2026-05-31']);
    expect(sample.code, sample.stderr).toBe(0);
  }, 2 * MINUTES);

  it(
    'fails no check on a mandatory column, and no other check but the validator’s own defects',
    async () => {
      const result = await run('bash', [SCRIPT, csv]);
      expect(result.code === 0 || result.code === 1, `focus-validate.sh did not finish:\n${result.stderr}`).toBe(true);
      const counts = totals(result.stdout);
      expect(counts, result.stdout.slice(0, 2000)).not.toBeNull();
      // Every applicability criterion is on: most checks run, rather than being skipped as not applicable.
      expect(counts?.pass).toBeGreaterThanOrEqual(300);

      const failed = failedChecks(result.stdout);
      expect(failed.filter(onMandatoryColumn).map(shown)).toEqual([]);
      expect(result.code, result.stdout.split('=== FOCUS 1.2 mandatory columns ===')[1]).toBe(0);
      expect(failed.filter((f) => !(f.rule in VALIDATOR_DEFECTS)).map(shown)).toEqual([]);
      expect(counts?.fail).toBe(failed.length);
    },
    10 * MINUTES,
  );

  it(
    'exits 1 and names the column when a mandatory column is missing',
    async () => {
      // The first 2,000 rows of the same sample, without its ContractedCost column.
      const rows = parse(readFileSync(csv, 'utf8'), { columns: true, to: 2000 }) as Record<string, string>[];
      const broken = join(dir, 'no-contracted-cost.csv');
      writeFileSync(
        broken,
        stringify(
          rows.map(({ ContractedCost: _, ...rest }) => rest),
          { header: true },
        ),
      );

      const result = await run('bash', [SCRIPT, broken]);
      expect(result.code, result.stderr).toBe(1);
      const mandatory = failedChecks(result.stdout).filter(onMandatoryColumn);
      expect(mandatory.map((f) => f.column)).toContain('ContractedCost');
      expect(mandatory.some((f) => f.rule === 'CostAndUsage-D-030-M')).toBe(true);
    },
    5 * MINUTES,
  );
});
