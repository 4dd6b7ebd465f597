import type { Reply } from '../../src/shared/reply.types.js';
import type { FocusRow } from '../support/focus-oracle.js';
import { judgeReply } from './eval-judge.js';
import { expectedFigures } from './eval-oracle.js';
import type { QuestionGroup } from './questions/question-group.types.js';

/** The outcome of one question of the people's-questions eval. */
interface PeopleResult {
  group: string;
  holdout: boolean;
  text: string;
  passed: boolean;
  failures: string[];
  /** The fast path's "Understood as" line, or the reply's kind and title. */
  understoodAs: string;
}

interface Score {
  passed: number;
  total: number;
}

export interface PeopleReport {
  results: PeopleResult[];
  tuning: Score;
  holdout: Score;
}

const score = (results: PeopleResult[]): Score => ({
  passed: results.filter((r) => r.passed).length,
  total: results.length,
});

/**
 * Asks every question of `groups` through `handle` and judges each reply against the figures computed from `rows`.
 * Prints each tuning question (with why it fails), and only the aggregate score of the holdout groups (their failures
 * are kept out of sight, so that nobody tunes to them).
 */
export async function runPeopleEval(
  handle: (text: string) => Promise<Reply>,
  groups: readonly QuestionGroup[],
  holdout: readonly string[],
  rows: FocusRow[],
  print: (line: string) => void = console.log,
): Promise<PeopleReport> {
  const results: PeopleResult[] = [];
  for (const group of groups) {
    const want = expectedFigures(rows, group.expect);
    for (const text of group.questions) {
      const reply = await handle(text);
      const failures = judgeReply(reply, group, want);
      const understood = reply.context?.find((c) => c.startsWith('Understood as: '))?.slice('Understood as: '.length);
      results.push({
        group: group.id,
        holdout: holdout.includes(group.id),
        text,
        passed: failures.length === 0,
        failures,
        understoodAs: understood ?? `${reply.kind}: ${reply.title}`,
      });
    }
  }
  const report = {
    results,
    tuning: score(results.filter((r) => !r.holdout)),
    holdout: score(results.filter((r) => r.holdout)),
  };
  print(formatPeopleReport(report));
  return report;
}

const pct = (s: Score): string => `${s.passed}/${s.total} (${((s.passed / Math.max(s.total, 1)) * 100).toFixed(1)}%)`;

function formatPeopleReport(report: PeopleReport): string {
  const lines = ['People’s questions — the tuning part, question by question:'];
  let group = '';
  for (const r of report.results.filter((x) => !x.holdout)) {
    if (r.group !== group) lines.push(`[${r.group}]`);
    group = r.group;
    lines.push(`  ${r.passed ? 'pass' : 'FAIL'}  ${r.text}  →  ${r.understoodAs}`);
    for (const f of r.failures) lines.push(`        ↳ ${f}`);
  }
  lines.push(`tuning accuracy: ${pct(report.tuning)}`);
  lines.push(`holdout accuracy: ${pct(report.holdout)} (failures not shown)`);
  return lines.join('\n');
}
