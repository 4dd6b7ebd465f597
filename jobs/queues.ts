import { z } from 'zod';
import type { Reply } from '../src/shared/reply.types.js';

/** The BullMQ queues of Tally (docs/architecture.md#job-queues). Names never contain `:` (BullMQ uses it in keys). */
export const QUEUES = {
  approvalTimer: 'approval-timer',
  execute: 'execute',
  /** Finds executions left half-done and resumes them (docs/architecture.md#execution). */
  reconcile: 'execution-reconcile',
  sync: 'sync',
  anomalyScan: 'anomaly-scan',
  /** Checks every budget's thresholds and alerts new crossings (docs/budgets.md#alerts). */
  budgetCheck: 'budget-check',
  notify: 'notify',
  digest: 'digest',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Payload of an approval timer job: `remind`, `escalate` or `expire` for one tier of one approval. */
export const approvalTimerPayload = z.object({
  approvalId: z.string().min(1),
  kind: z.enum(['remind', 'escalate', 'expire']),
  tier: z.number().int().min(0),
});
export type ApprovalTimerPayload = z.infer<typeof approvalTimerPayload>;

/** Payload of a sync job: one account of one cost source (`sync-all` fans out into these). */
export const syncPayload = z.object({ source: z.string().min(1), account: z.string().min(1) });

/** Payload of a digest job, fired by the subscription's job scheduler: the subscription (the rest is re-read). */
export const digestPayload = z.object({ subscriptionId: z.string().min(1) });
export type DigestPayload = z.infer<typeof digestPayload>;

/** Payload of an execution job: the approval to carry out (everything else is re-read from the store). */
export const executePayload = z.object({ approvalId: z.string().min(1) });
export type ExecutePayload = z.infer<typeof executePayload>;

/**
 * Payload of a notify job: one `Delivery` (src/notifications/notification.types.ts). The reply is checked only for
 * the fields every channel reads (`title`, `kind`, `visibility`); Tally built it and BullMQ stored it as JSON.
 */
export const deliveryPayload = z.object({
  id: z.string().min(1),
  event: z.string().min(1),
  channel: z.enum(['chat', 'email', 'sms']),
  to: z.string().min(1),
  subject: z.string().optional(),
  reply: z.custom<Reply>(
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as Reply).title === 'string' &&
      typeof (v as Reply).kind === 'string' &&
      typeof (v as Reply).visibility === 'string',
    { message: 'a reply needs a title, kind and visibility' },
  ),
});
export type DeliveryPayload = z.infer<typeof deliveryPayload>;

/**
 * Job ids derived from the approval: adding the same id twice adds one job. BullMQ refuses
 * ids with `:`; approval ids are `apr_<hex>`.
 */
export const jobIds = {
  timer: (approvalId: string, kind: string, tier: number) => `${kind}-${approvalId}-t${tier}`,
  execute: (approvalId: string) => `execute-${approvalId}`,
  /** A delivery's id (see `deliveryId()`, which never makes a `:`; any left over would be refused, so it becomes `_`). */
  delivery: (deliveryId: string) => deliveryId.replaceAll(':', '_'),
};

/** Highest tier index whose timers `cancelAll` looks for. Policies with more tiers than this are refused. */
export const MAX_TIERS = 10;

/** How long finished jobs are kept (so a late duplicate with the same id is still recognised). */
export const KEEP_FINISHED_SECONDS = 30 * 24 * 3600;

/** How a queue's failed jobs are retried: how many attempts, and the first delay, doubled at every attempt. */
export interface RetryPolicy {
  attempts: number;
  backoff: { type: 'exponential'; delay: number; jitter?: number };
}

/**
 * Retries and back-off of every queue, in one place (docs/architecture.md#job-queues). Permanent failures stop
 * earlier: processors throw `UnrecoverableError`. Jitter takes up to that share of a delay off, so that many failed
 * jobs do not retry at the same instant.
 */
export const RETRIES = {
  /** A cloud sync: providers throttle for minutes. */
  sync: { attempts: 6, backoff: { type: 'exponential', delay: 30_000, jitter: 0.5 } },
  /** The fan-out jobs of the fixed schedules (sync-all, the daily scan). */
  schedule: { attempts: 3, backoff: { type: 'exponential', delay: 30_000 } },
  anomalyScan: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  budgetCheck: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  digest: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  /** A delivery: retries after at most 5 s, 10 s, 20 s, 40 s. */
  notify: { attempts: 5, backoff: { type: 'exponential', delay: 5000, jitter: 0.5 } },
  approvalTimer: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  /** An execution: only throttling is retried. */
  execute: { attempts: 6, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 } },
  /** A reconcile pass: the next scheduled pass comes soon anyway. */
  reconcile: { attempts: 2, backoff: { type: 'exponential', delay: 5000 } },
} as const satisfies Record<string, RetryPolicy>;
