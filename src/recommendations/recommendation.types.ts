import type { ProposedAction } from '../actions/action.types.js';

/** The rules that produce recommendations (see `recommendation.rules.ts` for their thresholds). */
const RECOMMENDATION_RULES = [
  'idle-instance',
  'oversized-instance',
  'unattached-volume',
  'unassociated-address',
  'previous-generation',
] as const;
export type RecommendationRule = (typeof RECOMMENDATION_RULES)[number];

/** How sure a rule is that acting is safe and saves what it says: mostly a matter of how much data it saw. */
export type Confidence = 'high' | 'medium' | 'low';

/** A cost-saving action Tally suggests, with why, and the command that asks for its approval. */
export interface Recommendation {
  /** `rec_` and a short hash of the rule and the resource id: the same finding keeps its id across scans. */
  id: string;
  rule: RecommendationRule;
  /** The action as it would be proposed, with its savings estimate and risk. */
  action: ProposedAction;
  confidence: Confidence;
  /** The facts behind it, e.g. "CPU averaged 1.2% (peak 3.4%) over 14 days". */
  evidence: string;
  /** The `propose …` command that requests approval for the action (the value of the "Request approval" button). */
  proposeCommand: string;
}

/** An account that could not be scanned, and why (e.g. a role that cannot be assumed). */
export interface AccountFailure {
  accountId: string;
  message: string;
}

/** The recommendations for the covered accounts over a set of regions, as of `generatedAt`. */
export interface RecommendationList {
  /** The accounts scanned, the credentials' own first; each recommendation's target names its account. */
  accountIds: string[];
  /** Accounts that could not be scanned; the others are listed all the same. */
  failures: AccountFailure[];
  /** The regions scanned. */
  regions: string[];
  /** ISO instant of the scan (an answer from the cache keeps the instant of the scan it came from). */
  generatedAt: string;
  /** Highest monthly savings first. */
  recommendations: Recommendation[];
}
