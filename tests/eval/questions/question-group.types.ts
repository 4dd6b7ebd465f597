import type { DayRange } from './eval-calendar.js';

/**
 * A group of paraphrases: questions written the way people ask, which all mean one thing, and what a right answer
 * to that thing carries. Expected figures are computed from the eval's FOCUS file (tests/eval/eval-oracle.ts).
 */

/** A breakdown's rows: a FOCUS dimension, a tag key (`tag:team`), or a time bucket (week = its Monday). */
export type Dimension =
  | 'provider'
  | 'account'
  | 'service'
  | 'category'
  | 'region'
  | 'charge'
  | `tag:${string}`
  | 'day'
  | 'week'
  | 'month';

/** Which rows count, in FOCUS values; several values of one field are alternatives, fields combine. */
export interface Where {
  provider?: string[];
  service?: string[];
  category?: string[];
  /** SubAccountId values. */
  account?: string[];
  region?: string[];
  charge?: string[];
  /** ChargeCategory values left out ("excluding tax"). */
  notCharge?: string[];
  /** Tag key → accepted values. */
  tags?: Record<string, string[]>;
}

/** What is summed: EffectiveCost (Tally's "cost") unless the question asks for billed (invoiced) cost. */
interface Ask {
  metric?: 'effective' | 'billed';
  period: DayRange;
  where?: Where;
}

/** What a right answer to the group's questions carries. */
export type Expectation =
  /** The total per currency. */
  | ({ kind: 'total' } & Ask)
  /** The total per currency and the largest rows by `by` (all of the first `top`, with no more rows than that). */
  | ({ kind: 'breakdown'; by: Dimension; top?: number } & Ask)
  /** Two periods side by side per currency (either order), and the rows that changed most when `by` is set. */
  | { kind: 'compare'; current: DayRange; previous: DayRange; by?: Dimension; where?: Where }
  /** Two periods compared by `by`: the periods' totals and, per currency, the row that rose the most. */
  | { kind: 'grew-most'; current: DayRange; previous: DayRange; by: Dimension; where?: Where }
  /** A month-end forecast: its month-to-date actual per currency (the projection method is Tally's own). */
  | { kind: 'forecast'; where?: Where }
  /** A name the data does not hold: the answer says so (naming it) instead of giving figures. */
  | { kind: 'no-match' };

export interface QuestionGroup {
  /** Stable id, also the key of the holdout draw. */
  id: string;
  /** What every question of the group means, in plain words (for the report). */
  meaning: string;
  expect: Expectation;
  /** A clarifying question is a right answer only where the group is genuinely ambiguous. */
  mayAsk?: boolean;
  /** Words a right answer names (as not understood or not found) because it cannot use them. */
  mustName?: string[];
  questions: string[];
}
