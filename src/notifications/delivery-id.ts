import { createHash } from 'node:crypto';
import type { DeliveryChannel } from './notification.types.js';

/** Characters kept in the event part of an id; anything else (`:` above all, which BullMQ refuses) becomes `_`. */
const UNSAFE = /[^A-Za-z0-9_.-]/g;

/**
 * The id of one delivery: `<event>-<channel>-<first 12 hex of sha1(to)>`. The same event, channel and recipient always
 * give the same id, which is the notify job's id, so enqueueing it twice delivers once (BullMQ adds no job whose id
 * exists). The recipient is hashed so that no address or phone number appears in Redis keys or logs. The id never holds
 * a `:` and is never all digits.
 *
 * @example
 * deliveryId('anomaly-2026-03-02-service-ec2', 'email', 'alice@example.com')
 * // → 'anomaly-2026-03-02-service-ec2-email-<12 hex>'
 */
export function deliveryId(event: string, channel: DeliveryChannel, to: string): string {
  const hash = createHash('sha1').update(to, 'utf8').digest('hex').slice(0, 12);
  return `${event.replace(UNSAFE, '_')}-${channel}-${hash}`;
}
