import type { RiskLevel } from '../actions/action.types.js';
import type { Guardrails } from '../actions/guardrails.js';
import type { UndoPolicy } from './undo/undo.types.js';

/**
 * The approval policy (the `approvals:` and `guardrails:` parts of `TALLY_POLICY_FILE`), parsed by
 * `src/config/policy.ts`. A copy of the rule for the action's risk level is stored on every approval when it is
 * created, so a later change of the file never changes a running approval.
 */

/** One step of the approval ladder: who may vote and how many approvals it takes. */
export interface ApprovalTier {
  /**
   * Approver entries as written in the policy: a person's key (`alice`), a group of the policy (`@finops`), a Slack
   * user group (`slack-group:S0123ABC`), or a platform user id (`U0123ABC`, a Teams AAD object id).
   */
  approvers: string[];
  /** Approve votes needed while this tier is the current one. */
  quorum: number;
}

type ExpiryOutcome = 'reject' | 'approve';

export interface RiskRule {
  /** Tier 0 is asked first; escalation moves to the next tier, whose approvers join those asked before. */
  tiers: ApprovalTier[];
  /** @defaultValue false */
  requesterMayVote: boolean;
  /** Reminder DMs to approvers who have not voted, this long after the request (and after each escalation). */
  remindAfterMs: number;
  /** Escalation to the next tier this long after the request (and after each escalation). */
  escalateAfterMs: number;
  /** Expiry this long after the request. */
  expireAfterMs: number;
  /** @defaultValue 'reject' ('approve' is accepted for risk `low` only) */
  onExpiry: ExpiryOutcome;
}

/** A person known under several identities; votes are counted per person. */
export interface Person {
  key: string;
  name?: string;
  slack?: string;
  teams?: string;
  email?: string;
  phone?: string;
  /** IANA time zone in which times (a scheduled execution) are shown to this person. */
  tz?: string;
}

export interface ApprovalPolicy {
  risk: Record<RiskLevel, RiskRule>;
  people: Person[];
  /** `@name` groups: their members are approver entries too. */
  groups: Record<string, string[]>;
  /** Where approval requests are posted besides the conversation they came from. */
  channels: { slack?: string; teams?: string };
  /**
   * `approvals.quorumAfterEscalation`: `true` lets a later tier's lower quorum apply as written. Otherwise escalation
   * adds approvers but never lowers the quorum below tier 0's (docs/architecture.md#votes-and-compare-and-set).
   *
   * @defaultValue false
   */
  quorumAfterEscalation?: boolean;
  /** `approvals.undo`: who may undo an executed action (docs/architecture.md#undo). @defaultValue DEFAULT_UNDO_POLICY */
  undo?: UndoPolicy;
  guardrails: Guardrails;
}
