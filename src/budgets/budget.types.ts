import type { CostFilter } from '../costs/cost-query.types.js';
import type { Metric } from '../costs/cost-record.types.js';

/**
 * Budgets (docs/budgets.md): a named amount for the cost of a scope over a period, with owners, a channel and the
 * thresholds its alerts fire at.
 */

/** The periods a budget runs over; fiscal ones follow `TALLY_FISCAL_YEAR_START`. */
export const BUDGET_PERIODS = ['monthly', 'quarterly', 'yearly', 'fiscal-quarter', 'fiscal-year'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/**
 * Percentages of the budget at which an alert fires: of the spend so far (`actual`) and of the forecast to the end of
 * the period (`forecast`). Each is above 0 and at most {@link MAX_THRESHOLD_PERCENT}, sorted, without repeats.
 */
export interface BudgetThresholds {
  /** @defaultValue [50, 80, 100] */
  actual: number[];
  /** @defaultValue [100] */
  forecast: number[];
}

/** The thresholds of a budget that names none. */
export const DEFAULT_THRESHOLDS: Readonly<BudgetThresholds> = Object.freeze({
  actual: [50, 80, 100],
  forecast: [100],
});

/** The highest threshold accepted, in percent: 1,000% is ten times the budget. */
export const MAX_THRESHOLD_PERCENT = 1000;

/**
 * A one-off amount for one period only (`… for this month only`): it replaces `amount` while `period` is the
 * budget's current period, and is ignored afterwards.
 */
interface BudgetException {
  /** The period's key ({@link BudgetPeriodRange.key}), e.g. `2026-06`, `2026-Q2`, `FY2027`. */
  period: string;
  amount: number;
  /** Why, as the requester wrote it. */
  reason?: string;
  /** The approval that granted it, when one did. */
  approvalId?: string;
}

/** Where a budget is defined: the policy file (read-only from chat) or chat (`budget set`). */
type BudgetOrigin = 'policy' | 'chat';

/** A budget as stored and as the status is computed for it. */
export interface Budget {
  /** Unique, lower-case letters, digits, `-`, `_` and `.`; up to 64 characters (`payments-team`). */
  name: string;
  /** What counts: a filter of the cost query (providers, accounts, services, categories, tags, exclusions). */
  filter: CostFilter;
  /** @defaultValue 'effective' */
  metric: Metric;
  period: BudgetPeriod;
  /** The amount per period, in `currency`; an approved budget change updates it. */
  amount: number;
  /** ISO 4217 code, upper case; only costs billed in this currency count. */
  currency: string;
  /**
   * Who owns it: people keys of the policy file (`alice`), Slack user ids (`U0ALICE`) or Teams ids (`29:…`, an AAD
   * object id). Alerts go to them.
   */
  owners: string[];
  /** The chat channel its alerts go to (a Slack channel id or a Teams conversation id); absent for none. */
  channel?: string;
  thresholds: BudgetThresholds;
  /** A one-off amount for one period; see {@link BudgetException}. */
  exception?: BudgetException;
  origin: BudgetOrigin;
  /** Who set it last (a person of the policy or `platform:id`), and when (ISO instant). */
  updatedBy: string;
  updatedAt: string;
}

/** A day range a budget covers, with the key that names it and a label for people. */
export interface BudgetPeriodRange {
  from: string;
  to: string;
  /** `2026-06`, `2026-Q2`, `2026`, `FY2027-Q1`, `FY2027`. */
  key: string;
  /** `June 2026`, `Q2 2026`, `fiscal Q1 FY2027`. */
  label: string;
}

/**
 * A threshold crossing that was alerted, once per budget, period, kind and percent. Inserting it is the claim that
 * makes the alert go out once, whichever process found the crossing first.
 */
export interface BudgetCrossing {
  budget: string;
  /** The period's key. */
  period: string;
  kind: 'actual' | 'forecast';
  percent: number;
  /** ISO instant it was claimed. */
  at: string;
  /**
   * The last day of data the crossing was found on: the next alert's drivers are the cost after it (absent on
   * crossings recorded before alerts kept it; then the day of `at` counts).
   */
  through?: string;
}

/** Budgets made in chat, and the crossings alerted; one contract suite runs against memory and MongoDB. */
export interface BudgetRepository {
  /** Stores the budget, replacing one with the same name. */
  save(budget: Budget): Promise<void>;
  get(name: string): Promise<Budget | null>;
  /** Removes the budget (its alerted crossings stay, as history); false when there was none. */
  remove(name: string): Promise<boolean>;
  /** All of them, by name. */
  list(): Promise<Budget[]>;
  /** Records a crossing; false when it was recorded before (then nobody alerts it again). */
  claimCrossing(crossing: BudgetCrossing): Promise<boolean>;
  /** The crossings alerted for a budget in one period, lowest percent first. */
  crossings(budget: string, period: string): Promise<BudgetCrossing[]>;
}
