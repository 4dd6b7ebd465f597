import { ASK_BACK_GROUPS } from './ask-back.questions.js';
import { BREAKDOWN_GROUPS } from './breakdown.questions.js';
import { CHANGE_GROUPS } from './change.questions.js';
import type { QuestionGroup } from './question-group.types.js';
import { SCOPE_GROUPS } from './scope.questions.js';
import { SPEND_GROUPS } from './spend.questions.js';

/**
 * The people's-questions eval (docs/evaluation.md): questions as analysts ask them, in groups of paraphrases. The
 * holdout groups are kept out of tuning: nobody reads which of their questions fail, only their aggregate score.
 */
export const QUESTION_GROUPS: QuestionGroup[] = [
  ...SPEND_GROUPS,
  ...SCOPE_GROUPS,
  ...BREAKDOWN_GROUPS,
  ...CHANGE_GROUPS,
  ...ASK_BACK_GROUPS,
];

/** The seed of the holdout draw (tests/eval/questions/holdout-draw.ts), fixed before any scoring. */
export const HOLDOUT_SEED = 20260610;

/** The holdout groups, as drawn with {@link HOLDOUT_SEED} when the set was written (2026-12-06), before any run. */
export const HOLDOUT_GROUPS: readonly string[] = [
  'account-grew-most-last-month',
  'aws-october',
  'billed-last-month',
  'databases-january',
  'erp-eu-prod-last-quarter',
  'lambda-year-to-date',
  'october-vs-november-by-provider',
  'service-grew-most-this-week',
  'shop-prod-october',
  'storage-prod-month-to-date',
];
