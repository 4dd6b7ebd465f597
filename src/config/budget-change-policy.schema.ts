import { z } from 'zod';
import type { RiskRule } from '../approvals/approval-policy.types.js';
import { APPROVAL_LIMITS, approverEntry, approverEntryProblems, duration } from './approval-policy.schema.js';

const HOUR = 3_600_000;

/**
 * The defaults of `budgets.changes` (docs/budgets.md#budget-changes), for every key it leaves out: one approval,
 * reminded after 4 h, escalated after 24 h, expired (rejected) after 72 h.
 */
const DEFAULTS = { quorum: 1, remindAfterMs: 4 * HOUR, escalateAfterMs: 24 * HOUR, expireAfterMs: 72 * HOUR } as const;

const quorum = z.number().int().min(1).max(APPROVAL_LIMITS.quorum);
const approvers = z.array(approverEntry).min(1).max(APPROVAL_LIMITS.approvers);

/**
 * `budgets.changes`: who approves budget changes requested in chat, shaped like a risk level of `approvals.risk`
 * (`approvers` + `quorum`, or `tiers`, and the three durations). The requester never votes on their own request, and
 * an expired request is rejected: both are fixed, as a budget change is money moved between owners.
 *
 * @example
 * budgets:
 *   changes: { approvers: ['@finance'], quorum: 2, expireAfter: 3d }
 */
export const budgetChangesSchema = z
  .object({
    approvers: approvers.optional(),
    quorum: quorum.optional(),
    tiers: z
      .array(z.object({ approvers, quorum: quorum.optional() }).strict())
      .min(1)
      .max(APPROVAL_LIMITS.tiers)
      .optional(),
    remindAfter: duration.optional(),
    escalateAfter: duration.optional(),
    expireAfter: duration.optional(),
  })
  .strict()
  .refine((r) => !(r.approvers && r.tiers), 'give approvers (one tier) or tiers, not both')
  .transform(
    (r): RiskRule => ({
      tiers: (r.tiers ?? (r.approvers ? [{ approvers: r.approvers }] : [])).map((t) => ({
        approvers: t.approvers,
        quorum: t.quorum ?? r.quorum ?? DEFAULTS.quorum,
      })),
      requesterMayVote: false,
      remindAfterMs: r.remindAfter ?? DEFAULTS.remindAfterMs,
      escalateAfterMs: r.escalateAfter ?? DEFAULTS.escalateAfterMs,
      expireAfterMs: r.expireAfter ?? DEFAULTS.expireAfterMs,
      onExpiry: 'reject',
    }),
  );

/** The approver entries of `budgets.changes` that name nobody (as `approvals.risk` entries are checked). */
export function budgetChangeApproverProblems(approvals: unknown, changes: unknown) {
  const c = (changes ?? {}) as { approvers?: unknown; tiers?: unknown };
  const tiers = Array.isArray(c.tiers) ? c.tiers : [];
  return [
    ...approverEntryProblems(approvals, c.approvers, ['budgets', 'changes', 'approvers']),
    ...tiers.flatMap((t, i) =>
      approverEntryProblems(approvals, (t as { approvers?: unknown } | null)?.approvers, [
        'budgets',
        'changes',
        'tiers',
        i,
        'approvers',
      ]),
    ),
  ];
}
