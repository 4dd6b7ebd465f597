import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { type DeliveryService, isRetryableDeliveryError } from '../../src/notifications/delivery.service.js';
import { TallyError } from '../../src/shared/errors.js';
import { deliveryPayload } from '../queues.js';

/**
 * Sends one delivery (chat, email or SMS). Failures the delivery service calls retryable (network, 5xx, throttling)
 * are thrown as they are, so BullMQ retries them with the queue's backoff; permanent ones (channel not configured,
 * invalid recipient, a 5xx SMTP reply) become `UnrecoverableError` and fail the job at once.
 */
export function notifyProcessor(service: Pick<DeliveryService, 'deliver'>) {
  return async (job: Job): Promise<void> => {
    const payload = deliveryPayload.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`bad notify payload: ${payload.error.message}`);
    const attempt = job.attemptsMade + 1;
    const finalAttempt = attempt >= (job.opts.attempts ?? 1);
    try {
      await service.deliver(payload.data, attempt, finalAttempt);
    } catch (err) {
      if (isRetryableDeliveryError(err)) throw err instanceof Error ? err : new Error(String(err));
      const code = err instanceof TallyError ? `${err.code}: ` : '';
      throw new UnrecoverableError(`${code}${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
