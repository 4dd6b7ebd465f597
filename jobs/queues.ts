import { z } from 'zod';

/** The BullMQ queues of Tally (DESIGN §7). Names never contain `:` (BullMQ uses it in keys). */
export const QUEUES = {
  approvalTimer: 'approval-timer',
  execute: 'execute',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Payload of an approval timer job: `remind`, `escalate` or `expire` for one tier of one approval. */
export const approvalTimerPayload = z.object({
  approvalId: z.string().min(1),
  kind: z.enum(['remind', 'escalate', 'expire']),
  tier: z.number().int().min(0),
});
export type ApprovalTimerPayload = z.infer<typeof approvalTimerPayload>;

/** Payload of an execution job: the approval to carry out (everything else is re-read from the store). */
export const executePayload = z.object({ approvalId: z.string().min(1) });
export type ExecutePayload = z.infer<typeof executePayload>;

/**
 * Job ids derived from the approval (REFERENCE.md §4.4–4.5): adding the same id twice adds one job. BullMQ refuses
 * ids with `:`; approval ids are `apr_<hex>`.
 */
export const jobIds = {
  timer: (approvalId: string, kind: string, tier: number) => `${kind}-${approvalId}-t${tier}`,
  execute: (approvalId: string) => `execute-${approvalId}`,
};

/** Highest tier index whose timers `cancelAll` looks for. Policies with more tiers than this are refused. */
export const MAX_TIERS = 10;

/** How long finished jobs are kept (so a late duplicate with the same id is still recognised). */
export const KEEP_FINISHED_SECONDS = 30 * 24 * 3600;
