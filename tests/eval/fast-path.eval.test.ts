import { describe, expect, it } from 'vitest';
import { evalTally } from './eval-deps.js';
import { EVAL_SET } from './eval-set.js';
import { runEval } from './run-eval.js';

/**
 * The evaluation set against the deterministic fast path (no model configured). The threshold is the accuracy the
 * fast path reaches today; questions it misreads stay in the set so the figure measures it honestly.
 */
const MIN_ACCURACY = 0.9;

describe('evaluation set on the fast path', () => {
  it(`answers at least ${MIN_ACCURACY * 100}% of the questions with the right figures`, async () => {
    const tally = await evalTally();
    try {
      const report = await runEval(tally.ask, EVAL_SET);
      expect(report.total).toBeGreaterThanOrEqual(40);
      expect(report.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
    } finally {
      await tally.close();
    }
  });
});
