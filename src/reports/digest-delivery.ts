import { deliveryId } from '../notifications/delivery-id.js';
import type { Delivery, NotifyQueue } from '../notifications/notification.types.js';
import type { DigestSubscription } from './digest.types.js';

/** A digest goes to its channel and to its email addresses, as notify jobs keyed on the run (sent once). */
export function digestDelivery(notify: NotifyQueue) {
  return async (s: DigestSubscription, reply: Delivery['reply'], run: { event: string }) => {
    const targets: Pick<Delivery, 'channel' | 'to'>[] = [
      ...(s.channel ? [{ channel: 'chat' as const, to: `${s.platform}/${s.channel}` }] : []),
      ...s.emails.map((to) => ({ channel: 'email' as const, to })),
    ];
    for (const t of targets)
      await notify.enqueue({
        id: deliveryId(run.event, t.channel, t.to),
        event: run.event,
        ...t,
        reply,
        ...(t.channel === 'email' ? { subject: reply.title } : {}),
      });
  };
}
