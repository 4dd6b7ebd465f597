import type { ActionKind, RiskLevel } from '../actions/action.types.js';
import { baseRisk, riskOf } from '../actions/action-catalog.js';
import { type Guardrails, protectedBy } from '../actions/guardrails.js';
import type { Approval } from '../approvals/approval.types.js';
import type { Recommendation } from './recommendation.types.js';
import { dismissalCovers, type RecommendationDismissal } from './recommendation-dismissal.types.js';

/** An action executed this many days ago or less is shown on its resource's recommendations instead of a button. */
export const RECENT_ACTION_DAYS = 7;

/**
 * Why a recommendation cannot be approved, by the same checks a proposal and the executor make
 * (`protectedBy` of the guardrails; a risk level without approvers): `protected` by a tag of
 * `guardrails.protectedTags`, or `no-approvers` for the action's risk.
 */
interface Refusal {
  kind: 'protected' | 'no-approvers';
  /** e.g. `carries the protected tag tally:protected`. */
  text: string;
  /** The protected-tag rule as written in the policy (`tally:protected`, `env=prod`), for `protected`. */
  tag?: string;
}

/** An action on the recommendation's resource that is under way, or that ran in the last {@link RECENT_ACTION_DAYS}. */
interface ResourceActivity {
  approvalId: string;
  /** e.g. `pending approval apr_1a2b3c, requested by Rita 2 hours ago`, `stopped 2 days ago (apr_…), approved by Alice`. */
  text: string;
}

/** A recommendation as one conversation should see it: can it be approved, is something already happening, is it hidden here. */
export interface ReviewedRecommendation {
  recommendation: Recommendation;
  refusal?: Refusal;
  activity?: ResourceActivity;
  /** The dismissal or snooze in force in this conversation. */
  dismissal?: RecommendationDismissal;
}

export interface ReviewContext {
  guardrails: Guardrails;
  /** Whether actions of a risk level have approvers in the policy (a proposal is refused without). */
  hasApprovers: (risk: RiskLevel) => boolean;
  /** Approvals under way (PENDING, APPROVED, EXECUTING) and those SUCCEEDED lately, newest first. */
  approvals: readonly Approval[];
  /** The dismissals in force in the conversation. */
  dismissals: readonly RecommendationDismissal[];
  /** A person's display name. */
  nameOf: (person: string) => string;
  now: Date;
}

/**
 * Each recommendation with what stands in the way of approving it: a protected tag or a risk level nobody approves
 * (the refusal `propose` would give), an approval on the same resource that is pending, approved, executing or
 * succeeded within {@link RECENT_ACTION_DAYS} days, and a dismissal in force. Pure; the order is kept.
 */
export function reviewRecommendations(recs: readonly Recommendation[], ctx: ReviewContext): ReviewedRecommendation[] {
  return recs.map((recommendation) => {
    const refusal = refusalOf(recommendation, ctx);
    const activity = activityOf(recommendation, ctx);
    const dismissal = ctx.dismissals.find((d) => dismissalCovers(d, recommendation));
    return {
      recommendation,
      ...(refusal ? { refusal } : {}),
      ...(activity ? { activity } : {}),
      ...(dismissal ? { dismissal } : {}),
    };
  });
}

function refusalOf(rec: Recommendation, ctx: ReviewContext): Refusal | null {
  const { action } = rec;
  const tag = protectedBy(ctx.guardrails, action.facts.tags);
  if (tag) return { kind: 'protected', tag, text: `carries the protected tag ${tag}` };
  if (ctx.hasApprovers(action.risk)) return null;
  const raised =
    riskOf(action.kind, action.facts) !== baseRisk(action.kind) ? ' (tagged as production: one level higher)' : '';
  return {
    kind: 'no-approvers',
    text: `no approvers for ${action.risk}-risk actions${raised}; add them under approvals.risk.${action.risk} in the policy file`,
  };
}

const IN_PROGRESS = new Set(['PENDING', 'APPROVED', 'EXECUTING']);
const DAY_MS = 86_400_000;

const DONE: Readonly<Record<ActionKind, string>> = {
  stop_instance: 'stopped',
  resize_instance: 'resized',
  delete_volume: 'snapshotted and deleted',
  release_address: 'released',
};

function activityOf(rec: Recommendation, ctx: ReviewContext): ResourceActivity | null {
  const { target } = rec.action;
  const same = ctx.approvals.filter(
    (a) =>
      a.action.target.accountId === target.accountId &&
      a.action.target.region === target.region &&
      a.action.target.resourceId === target.resourceId,
  );
  const running = same.find((a) => IN_PROGRESS.has(a.state));
  if (running) return { approvalId: running.id, text: inProgressText(running, ctx) };
  const since = ctx.now.getTime() - RECENT_ACTION_DAYS * DAY_MS;
  const done = same.find((a) => a.state === 'SUCCEEDED' && Date.parse(doneAt(a)) >= since);
  if (!done) return null;
  const approvers = done.votes.filter((v) => v.decision === 'approve').map((v) => ctx.nameOf(v.voter.person));
  const by = approvers.length ? `, approved by ${approvers.join(' and ')}` : '';
  return {
    approvalId: done.id,
    text: `${DONE[done.action.kind]} ${ago(Date.parse(doneAt(done)), ctx.now)} (${done.id}), requested by ${ctx.nameOf(done.requester.person)}${by}`,
  };
}

function inProgressText(a: Approval, ctx: ReviewContext): string {
  const requested = `requested by ${ctx.nameOf(a.requester.person)} ${ago(Date.parse(a.createdAt), ctx.now)}`;
  if (a.state === 'PENDING') return `pending approval ${a.id}, ${requested}`;
  if (a.state === 'EXECUTING') return `being carried out (${a.id}), ${requested}`;
  const when = a.scheduledFor ? `runs at ${a.scheduledFor.slice(0, 16).replace('T', ' ')} UTC` : 'about to run';
  return `approved (${a.id}), ${when}`;
}

function doneAt(a: Approval): string {
  return a.execution?.finishedAt ?? a.execution?.startedAt ?? a.decidedAt ?? a.updatedAt;
}

/** `just now`, `5 minutes ago`, `3 hours ago`, `2 days ago`. */
export function ago(at: number, now: Date): string {
  const minutes = Math.floor((now.getTime() - at) / 60_000);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (minutes < 1) return 'just now';
  if (minutes < 60) return unit(minutes, 'minute');
  if (minutes < 48 * 60) return unit(Math.floor(minutes / 60), 'hour');
  return unit(Math.floor(minutes / (24 * 60)), 'day');
}
