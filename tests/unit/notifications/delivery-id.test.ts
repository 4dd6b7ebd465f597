import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deliveryId } from '../../../src/notifications/delivery-id.js';

describe('deliveryId', () => {
  it('is <event>-<channel>-<first 12 hex of sha1(to)>', () => {
    // sha1("alice@example.com"), computed independently of the code under test.
    const sha1 = createHash('sha1').update('alice@example.com').digest('hex');
    expect(deliveryId('anomaly-a1', 'email', 'alice@example.com')).toBe(`anomaly-a1-email-${sha1.slice(0, 12)}`);
    expect(deliveryId('anomaly-a1', 'email', 'alice@example.com')).toMatch(/^anomaly-a1-email-[0-9a-f]{12}$/);
  });

  it('is stable and differs per event, channel and recipient', () => {
    const ids = [
      deliveryId('digest-w10', 'sms', '+15550100'),
      deliveryId('digest-w10', 'sms', '+15550101'),
      deliveryId('digest-w11', 'sms', '+15550100'),
      deliveryId('digest-w10', 'email', '+15550100'),
    ];
    expect(new Set(ids).size).toBe(4);
    expect(deliveryId('digest-w10', 'sms', '+15550100')).toBe(ids[0]);
  });

  it('never contains a colon, whatever the event or recipient (BullMQ refuses them in job ids)', () => {
    const id = deliveryId('anomaly:2026-03-02:svc/EC2 spike', 'chat', 'teams/19:abc@thread.tacv2');
    expect(id).not.toContain(':');
    expect(id).toMatch(/^anomaly_2026-03-02_svc_EC2_spike-chat-[0-9a-f]{12}$/);
    expect(deliveryId('1', 'chat', 'slack/C1')).not.toMatch(/^\d+$/);
  });

  it('does not reveal the recipient', () => {
    expect(deliveryId('anomaly-a1', 'sms', '+15550100')).not.toContain('5550100');
  });
});
