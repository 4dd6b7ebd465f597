import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { ViewScope } from '../../src/costs/view-scope.js';
import { isEmptyScope } from '../../src/costs/view-scope.js';
import type { DigestService } from '../../src/reports/digest.service.js';
import type {
  DigestScheduler,
  DigestSubscription,
  DigestSubscriptionRepository,
} from '../../src/reports/digest.types.js';
import { cadenceOf } from '../../src/reports/digest-cron.js';
import { digestReply } from '../../src/reports/digest-reply.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { digestPayload } from '../queues.js';

/** What a digest run is about, for idempotent deliveries: `digest-<subscription>-<first day of the period>`. */
export interface DigestRun {
  event: string;
}

export interface DigestProcessorDeps {
  subscriptions: DigestSubscriptionRepository;
  digests: DigestService;
  /**
   * Sends the digest to the subscription's channel and email addresses (enqueues deliveries on the notify queue).
   * A retried run calls it again with the same `run.event`, so deliveries keyed on it go out once.
   */
  deliver: (subscription: DigestSubscription, reply: Reply, run: DigestRun) => Promise<void>;
  /**
   * What the digest may show: the channel's scope and its subscriber's (docs/architecture.md#who-sees-what). A
   * subscriber who may see nothing any more gets no digest.
   */
  scopeOf?: (subscription: DigestSubscription) => Promise<ViewScope | undefined>;
  /** When given, the scheduler of a subscription that no longer exists is removed. */
  scheduler?: DigestScheduler;
}

/** The outcome of one digest job (kept as the job's return value). */
export type DigestJobResult =
  | { delivered: true; subscriptionId: string; event: string }
  | { delivered: false; subscriptionId: string; reason: 'SUBSCRIPTION_GONE' | 'NO_ACCESS' };

/**
 * Builds and delivers one subscription's digest. A subscription removed since its run was scheduled is a no-op; a
 * malformed payload fails without retry; anything else (store, delivery) is retried with the job's backoff.
 */
export function digestProcessor(deps: DigestProcessorDeps) {
  return async (job: Job): Promise<DigestJobResult> => {
    const payload = digestPayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad digest payload: ${payload.error.message}`);
    const { subscriptionId } = payload.data;
    const subscription = await deps.subscriptions.get(subscriptionId);
    if (!subscription) {
      await deps.scheduler?.remove(subscriptionId);
      return { delivered: false, subscriptionId, reason: 'SUBSCRIPTION_GONE' };
    }
    const scope = await deps.scopeOf?.(subscription);
    if (scope && isEmptyScope(scope)) return { delivered: false, subscriptionId, reason: 'NO_ACCESS' };
    const figures = await deps.digests.figures({ cadence: cadenceOf(subscription.cron), ...(scope ? { scope } : {}) });
    const event = `digest-${subscription.id}-${figures.period.from}`;
    await deps.deliver(subscription, digestReply(figures), { event });
    return { delivered: true, subscriptionId, event };
  };
}
