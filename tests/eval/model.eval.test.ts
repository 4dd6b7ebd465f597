import { describe, expect, it } from 'vitest';
import { evalTally } from './eval-deps.js';
import { EVAL_SET } from './eval-set.js';
import { runEval } from './run-eval.js';

/**
 * `npm run eval`: the evaluation set against a real model (the LangGraph agent), when `EVAL_MODEL=1` and
 * `OPENAI_API_KEY` are set (`OPENAI_BASE_URL` and `TALLY_MODEL` are passed on when given). It prints the accuracy
 * and asserts nothing about it: a model's accuracy is measured, not gated. Without a model (CI), it checks the set.
 */
const apiKey = process.env.OPENAI_API_KEY;
const useModel = process.env.EVAL_MODEL === '1' && !!apiKey;

describe('evaluation set', () => {
  it('has at least 40 distinct questions, each with expected figures', () => {
    expect(EVAL_SET.length).toBeGreaterThanOrEqual(40);
    expect(new Set(EVAL_SET.map((q) => q.text.toLowerCase())).size).toBe(EVAL_SET.length);
  });

  if (useModel) {
    it('is answered by the model, and its accuracy is printed', { timeout: 30 * 60_000 }, async () => {
      const llm: Record<string, string> = { OPENAI_API_KEY: apiKey ?? '' };
      if (process.env.OPENAI_BASE_URL) llm.OPENAI_BASE_URL = process.env.OPENAI_BASE_URL;
      if (process.env.TALLY_MODEL) llm.TALLY_MODEL = process.env.TALLY_MODEL;
      const tally = await evalTally(llm);
      try {
        const report = await runEval(tally.ask, EVAL_SET);
        expect(report.results).toHaveLength(EVAL_SET.length);
      } finally {
        await tally.close();
      }
    });
  }
});
