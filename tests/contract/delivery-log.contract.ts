import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryLog, DeliveryRecord } from '../../src/notifications/notification.types.js';

const at = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`;

/** A delivery record with overridable fields; `n` makes the delivery id and event distinct. */
function testDeliveryRecord(n: number, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    deliveryId: `anomaly-a${n}-email-0123456789ab`,
    event: `anomaly-a${n}`,
    channel: 'email',
    to: 'alice@example.com',
    status: 'sent',
    attempt: 1,
    at: at(n),
    ...overrides,
  };
}

/**
 * The contract every `DeliveryLog` must pass. `make` returns an empty log and a cleanup for it; it is called before
 * each test.
 */
export function deliveryLogContract(
  name: string,
  make: () => Promise<{ log: DeliveryLog; cleanup: () => Promise<void> }>,
): void {
  describe(`DeliveryLog contract: ${name}`, () => {
    let log: DeliveryLog;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ log, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('has no records when empty', async () => {
      expect(await log.latest({ limit: 10 })).toEqual([]);
      expect(await log.latest({ limit: 10, status: 'failed' })).toEqual([]);
    });

    it('lists newest first by time, whatever the recording order', async () => {
      for (const n of [3, 1, 7, 2]) await log.record(testDeliveryRecord(n));
      expect((await log.latest({ limit: 10 })).map((r) => r.event)).toEqual([
        'anomaly-a7',
        'anomaly-a3',
        'anomaly-a2',
        'anomaly-a1',
      ]);
    });

    it('lists records of the same instant newest-recorded first', async () => {
      for (const attempt of [1, 2, 3]) {
        await log.record(testDeliveryRecord(5, { attempt, status: attempt < 3 ? 'failed' : 'sent' }));
      }
      expect((await log.latest({ limit: 10 })).map((r) => r.attempt)).toEqual([3, 2, 1]);
    });

    it('filters by status and honours the limit', async () => {
      const statuses = ['sent', 'failed', 'sent', 'failed', 'failed', 'sent'] as const;
      for (const [i, status] of statuses.entries()) {
        await log.record(testDeliveryRecord(i, { status, ...(status === 'failed' ? { error: `e${i}` } : {}) }));
      }
      const failed = await log.latest({ limit: 10, status: 'failed' });
      expect(failed.map((r) => r.error)).toEqual(['e4', 'e3', 'e1']);
      expect((await log.latest({ limit: 2, status: 'failed' })).map((r) => r.error)).toEqual(['e4', 'e3']);
      expect((await log.latest({ limit: 10, status: 'sent' })).map((r) => r.at)).toEqual([at(5), at(2), at(0)]);
      expect((await log.latest({ limit: 4 })).map((r) => r.at)).toEqual([at(5), at(4), at(3), at(2)]);
      expect(await log.latest({ limit: 0 })).toEqual([]);
    });

    it('returns records as plain objects equal to those recorded, optional fields absent when absent', async () => {
      const failed = testDeliveryRecord(1, {
        channel: 'sms',
        to: '+15550100',
        status: 'failed',
        attempt: 5,
        error: 'CHAT_FAILED: SMS could not be sent: HTTP 400 (Twilio 21211) <&> "quoted" $where a.b',
      });
      const chat = testDeliveryRecord(2, { channel: 'chat', to: 'teams/19:abc@thread.tacv2', error: '' });
      const sent = testDeliveryRecord(3);
      for (const r of [failed, chat, sent]) await log.record(structuredClone(r));
      const listed = await log.latest({ limit: 10 });
      expect(listed).toStrictEqual([sent, chat, failed]);
      for (const r of listed) expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
      expect(Object.keys(listed[0]!)).toEqual(expect.not.arrayContaining(['_id', 'error', 'id']));
    });

    it('keeps stored records apart from what was recorded or returned', async () => {
      const original = testDeliveryRecord(1);
      const recorded = structuredClone(original);
      await log.record(recorded);
      recorded.status = 'failed';
      const [first] = await log.latest({ limit: 1 });
      first!.attempt = 9;
      expect(await log.latest({ limit: 1 })).toStrictEqual([original]);
    });
  });
}
