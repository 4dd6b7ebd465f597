import type { CostRecord } from '../../src/costs/cost-record.types.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { type Check, type EvalQuestion, sampleRecords } from './eval-set.js';

/** The outcome of one question. */
interface EvalResult {
  text: string;
  intent: EvalQuestion['intent'];
  passed: boolean;
  /** The checks that failed, with what the reply carried instead. */
  failures: string[];
  /** How the reply was understood ("Understood as: …" of the fast path), or its title. */
  understoodAs: string;
}

export interface EvalReport {
  results: EvalResult[];
  passed: number;
  total: number;
  accuracy: number;
}

type Data = Record<string, unknown>;

/** Equal to the cent: the reply's figure is the expected sum rounded to cents. */
const CENT_TOLERANCE = 0.005 + 1e-9;
const sameCents = (actual: unknown, expected: number): boolean =>
  typeof actual === 'number' && Math.abs(actual - expected) <= CENT_TOLERANCE;

const isData = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Data[] => (Array.isArray(v) ? v.filter(isData) : []);

/** The data objects a reply carries: its own, and for agent replies the data of each tool result. */
function dataOf(reply: Reply): Data[] {
  const data = reply.data;
  if (!isData(data)) return [];
  return [data, ...list(data.results)];
}

/** The figure the data carries for a check, as text for the report, and whether it matches. */
function evaluate(check: Check, data: Data): { ok: boolean; got: string } {
  switch (check.kind) {
    case 'total': {
      if (!Array.isArray(data.totals)) return { ok: false, got: 'no totals' };
      const t = list(data.totals).find((x) => x.currency === check.currency);
      const total = t ? t.total : 0;
      return { ok: sameCents(total, check.amount), got: String(total) };
    }
    case 'row': {
      if (!Array.isArray(data.rows) || data.groupBy === null) return { ok: false, got: 'no rows' };
      const row = list(data.rows).find(
        (r) => r.key === check.key && (r.currency ?? data.currency ?? check.currency) === check.currency,
      );
      return { ok: !!row && sameCents(row.cost, check.amount), got: row ? String(row.cost) : 'no such row' };
    }
    case 'top-mover': {
      const c = list(data.currencies).find((x) => x.currency === check.currency && Array.isArray(x.rows));
      const top = c ? list(c.rows)[0] : undefined;
      if (!top) return { ok: false, got: 'no comparison rows' };
      return {
        ok: top.key === check.key && sameCents(top.change, check.change),
        got: `${String(top.key)} ${String(top.change)}`,
      };
    }
    case 'forecast-actual': {
      const c = list(data.currencies).find((x) => x.currency === check.currency && 'actual' in x);
      return { ok: !!c && sameCents(c.actual, check.amount), got: c ? String(c.actual) : 'no forecast' };
    }
  }
}

function describe(check: Check): string {
  switch (check.kind) {
    case 'total':
      return `total ${check.currency} ${check.amount.toFixed(2)}`;
    case 'row':
      return `row ${check.key} ${check.currency} ${check.amount.toFixed(2)}`;
    case 'top-mover':
      return `top mover ${check.key} ${check.currency} ${check.change.toFixed(2)}`;
    case 'forecast-actual':
      return `month-to-date ${check.currency} ${check.amount.toFixed(2)}`;
  }
}

/** A check passes when any data object of the reply carries its figure. */
function checkReply(reply: Reply, checks: Check[]): string[] {
  const candidates = dataOf(reply);
  const failures: string[] = [];
  for (const check of checks) {
    const outcomes = candidates.map((d) => evaluate(check, d));
    if (outcomes.some((o) => o.ok)) continue;
    const got = outcomes.map((o) => o.got).join(' | ') || `no data (${reply.kind}: ${reply.title})`;
    failures.push(`expected ${describe(check)}, got ${got}`);
  }
  return failures;
}

/**
 * Asks every question of `set` through `handle` and checks the figures of each reply. Prints one line per question
 * and `accuracy: N/M (x%)`.
 */
export async function runEval(
  handle: (text: string) => Promise<Reply>,
  set: readonly EvalQuestion[],
  records: readonly CostRecord[] = sampleRecords(),
  print: (line: string) => void = console.log,
): Promise<EvalReport> {
  const results: EvalResult[] = [];
  for (const q of set) {
    const reply = await handle(q.text);
    const failures = checkReply(reply, q.expected(records));
    const understood = reply.context?.find((c) => c.startsWith('Understood as: '))?.slice('Understood as: '.length);
    results.push({
      text: q.text,
      intent: q.intent,
      passed: failures.length === 0,
      failures,
      understoodAs: understood ?? `${reply.kind}: ${reply.title}`,
    });
  }
  const passed = results.filter((r) => r.passed).length;
  const report = { results, passed, total: results.length, accuracy: results.length ? passed / results.length : 0 };
  print(formatReport(report));
  return report;
}

function formatReport(report: EvalReport): string {
  const width = Math.max(...report.results.map((r) => r.text.length), 8);
  const lines = [`${'question'.padEnd(width)}  result  understood as`];
  for (const r of report.results) {
    lines.push(`${r.text.padEnd(width)}  ${r.passed ? 'pass' : 'FAIL'}    ${r.understoodAs}`);
    for (const f of r.failures) lines.push(`${''.padEnd(width)}          ↳ ${f}`);
  }
  const pct = (report.accuracy * 100).toFixed(1);
  lines.push(`accuracy: ${report.passed}/${report.total} (${pct}%)`);
  return lines.join('\n');
}
