import type { ActionKind } from '../actions/action.types.js';
import type { BudgetDraft } from '../budgets/budget-validation.js';
import type { CostFilter, Dimension } from '../costs/cost-query.types.js';
import type { Metric } from '../costs/cost-record.types.js';
import type { PeriodSpec } from '../costs/period.js';

/** Features that later parts of Tally provide; until configured they answer so. */
const LATER_FEATURES = ['anomalies', 'digest'] as const;

/** `digest …`: subscribe a channel to a scheduled digest, list or remove its subscriptions. */
export type DigestCommand =
  | {
      kind: 'digest';
      action: 'subscribe';
      cadence: 'weekly' | 'daily';
      /** `mon`…`sun` for weekly. */
      weekday?: string;
      /** `HH:MM`, local time in `tz`. */
      time: string;
      tz: string;
      /** Also email the digest to these addresses. */
      emails: string[];
    }
  | { kind: 'digest'; action: 'list' }
  | { kind: 'digest'; action: 'unsubscribe'; id?: string }
  | { kind: 'digest'; action: 'show' };
export type LaterFeature = (typeof LATER_FEATURES)[number];

/**
 * `budget …` (docs/budgets.md#commands): list, show, set or remove a budget, or request a change of its amount that
 * approvers decide on (`oneOff`: for the current period only).
 */
export type BudgetCommand =
  | { kind: 'budget'; action: 'list' }
  | { kind: 'budget'; action: 'show'; name: string }
  | { kind: 'budget'; action: 'remove'; name: string }
  | { kind: 'budget'; action: 'set'; draft: BudgetDraft }
  | {
      kind: 'budget';
      action: 'request';
      name: string;
      amount: number;
      currency?: string;
      oneOff: boolean;
      reason: string;
    };

/** The second period of a comparison: explicit, or "the one before". */
export type ComparePeriod = PeriodSpec | { kind: 'previous' };

/** A parsed command of the command language (README.md#the-command-language). */
export type Command =
  | {
      kind: 'cost';
      metric: Metric;
      period: PeriodSpec;
      groupBy?: Dimension;
      /** A second dimension: rows by `groupBy` and `thenBy` (`by service and region`). */
      thenBy?: Dimension;
      filter: CostFilter;
      top?: number;
      /** `bottom N`: the N smallest rows instead of the largest. */
      order?: 'bottom';
      /** `run rate`: the cost per day over the period's days with data. */
      runRate?: boolean;
    }
  | {
      kind: 'compare';
      metric: Metric;
      current: PeriodSpec;
      previous: ComparePeriod;
      groupBy?: Dimension;
      filter: CostFilter;
      top?: number;
    }
  | { kind: 'forecast'; metric: Metric; filter: CostFilter; groupBy?: Dimension }
  | { kind: 'status' }
  /** `access`: what the asker may see here; `access all`: who sees what (admins only). */
  | { kind: 'access'; all: boolean }
  | { kind: 'help'; topic?: string }
  | { kind: 'later'; feature: LaterFeature; text: string }
  | { kind: 'anomalies'; period: PeriodSpec; filter: CostFilter }
  | DigestCommand
  | BudgetCommand
  | ApprovalCommand;

/** Commands about recommendations and approvals; they need to know who asks (the turn's user). */
export type ApprovalCommand =
  | {
      kind: 'recommendations';
      region?: string;
      refresh: boolean /** `recommendations all`: hidden ones too. */;
      all?: boolean;
    }
  /** `dismiss` / `snooze`: hide a recommendation (or every one on a resource) in this conversation for `days`. */
  | { kind: 'dismiss'; hide: 'dismissed' | 'snoozed'; target: string; days: number; reason?: string }
  | { kind: 'undismiss'; target: string }
  | {
      kind: 'propose';
      action: ActionKind;
      resourceId: string;
      region: string;
      /** `account <12 digits>`: the AWS account of the resource; absent, the covered account holding it. */
      accountId?: string;
      instanceType?: string;
      reason: string;
      /** Proposed by the agent's `propose_action` tool on the user's behalf (noted in the audit log). */
      viaAgent?: boolean;
    }
  /** `propose stop all idle instances in account … because …`: one approval for a set (docs/architecture.md#batches). */
  | {
      kind: 'propose_batch';
      action: ActionKind;
      accountId: string;
      region?: string;
      reason: string;
      viaAgent?: boolean;
    }
  | { kind: 'approvals' }
  | { kind: 'approval'; id: string }
  | { kind: 'vote'; id: string; decision: 'approve' | 'reject'; reason?: string }
  | { kind: 'cancel'; id: string }
  /** `undo <approval id> [<resource id>]`: reverse an executed action, or one item of a batch (docs/architecture.md#undo). */
  | { kind: 'undo'; id: string; resourceId?: string }
  | { kind: 'savings' };

export const APPROVAL_COMMAND_KINDS: ReadonlySet<Command['kind']> = new Set([
  'recommendations',
  'propose',
  'propose_batch',
  'approvals',
  'approval',
  'vote',
  'cancel',
  'undo',
  'savings',
  'dismiss',
  'undismiss',
]);

/** Why a text is not a command. `NOT_A_COMMAND` is free text (for the agent); `INVALID` deserves usage help. */
type ParseFailure =
  | { reason: 'EMPTY' }
  | { reason: 'NOT_A_COMMAND' }
  | { reason: 'INVALID'; message: string; topic: string };

export type ParseResult = { ok: true; command: Command } | ({ ok: false } & ParseFailure);
