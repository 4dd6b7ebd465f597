import { describe, expect, it } from 'vitest';
import { MemoryDeliveryLog } from '../../../adapters/memory/memory-delivery.log.js';
import {
  DeliveryService,
  type DeliveryServiceDeps,
  isRetryableDeliveryError,
  smsBody,
} from '../../../src/notifications/delivery.service.js';
import type { Delivery, DeliveryLog, SmsSender } from '../../../src/notifications/notification.types.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { TallyError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { RecordingMessenger } from '../../support/recording-messenger.js';

const AT = new Date('2026-03-02T09:30:00.000Z');
const reply: Reply = { kind: 'notice', title: 'EC2 spike', text: 'Impact 1,520.40 USD', visibility: 'channel' };
const sms = (to: string): Delivery => ({ id: `e1-sms-${to.length}`, event: 'e1', channel: 'sms', to, reply });

/** An SMS sender that fails with the given errors, in order, then succeeds; it records what it sent. */
function smsSender(...failures: unknown[]): SmsSender & { sent: { to: string; body: string }[] } {
  const sent: { to: string; body: string }[] = [];
  return {
    sent,
    async send(message) {
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push(message);
    },
  };
}

function service(overrides: Partial<DeliveryServiceDeps> = {}) {
  const log = new MemoryDeliveryLog();
  const deps: DeliveryServiceDeps = {
    messengers: [],
    email: null,
    sms: null,
    renderEmail: () => ({ html: '<p>x</p>', text: 'x' }),
    log,
    clock: fixedClock(AT),
    logger: silentLogger,
    ...overrides,
  };
  return { service: new DeliveryService(deps), log };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TallyError);
    return (e as TallyError).code;
  }
  return expect.unreachable('it did not throw');
}

describe('DeliveryService', () => {
  it('records a sent delivery with its attempt and the clock’s time', async () => {
    const sender = smsSender();
    const { service: s, log } = service({ sms: sender });
    await s.deliver(sms('+15550100'), 3, false);
    expect(sender.sent).toEqual([{ to: '+15550100', body: 'EC2 spike: Impact 1,520.40 USD' }]);
    expect(await log.latest({ limit: 5 })).toStrictEqual([
      {
        deliveryId: 'e1-sms-9',
        event: 'e1',
        channel: 'sms',
        to: '+15550100',
        status: 'sent',
        attempt: 3,
        at: AT.toISOString(),
      },
    ]);
  });

  it('fails an unconfigured channel as CONFIG_INVALID, not retryable, and records it', async () => {
    const { service: s, log } = service();
    const email: Delivery = { id: 'e1-email-x', event: 'e1', channel: 'email', to: 'a@example.com', reply };
    await expect(codeOf(s.deliver(email, 1, false))).resolves.toBe('CONFIG_INVALID');
    await expect(codeOf(s.deliver(sms('+15550100'), 1, false))).resolves.toBe('CONFIG_INVALID');
    const chat: Delivery = { id: 'e1-chat-x', event: 'e1', channel: 'chat', to: 'C0ALERTS', reply };
    await expect(codeOf(s.deliver(chat, 1, false))).resolves.toBe('CONFIG_INVALID');
    const failed = await log.latest({ limit: 5, status: 'failed' });
    expect(failed.map((r) => [r.channel, r.attempt, r.error?.startsWith('CONFIG_INVALID: ')])).toEqual([
      ['chat', 1, true],
      ['sms', 1, true],
      ['email', 1, true],
    ]);
  });

  it('records a retryable failure only on the final attempt', async () => {
    const transient = new TallyError('CHAT_FAILED', 'HTTP 500', { metadata: { retryable: true } });
    const sender = smsSender(transient, transient);
    const { service: s, log } = service({ sms: sender });
    await expect(codeOf(s.deliver(sms('+15550100'), 1, false))).resolves.toBe('CHAT_FAILED');
    expect(await log.latest({ limit: 5 })).toEqual([]);
    await expect(codeOf(s.deliver(sms('+15550100'), 2, true))).resolves.toBe('CHAT_FAILED');
    expect((await log.latest({ limit: 5 })).map((r) => [r.status, r.attempt, r.error])).toEqual([
      ['failed', 2, 'CHAT_FAILED: HTTP 500'],
    ]);
  });

  it('wraps a non-Tally error as INTERNAL (retryable)', async () => {
    const { service: s } = service({ sms: smsSender(new Error('boom')) });
    await expect(codeOf(s.deliver(sms('+15550100'), 1, false))).resolves.toBe('INTERNAL');
  });

  it('does not fail a delivery that went out when the log cannot record it', async () => {
    const broken: DeliveryLog = {
      record: async () => {
        throw new TallyError('STORE_UNAVAILABLE', 'down');
      },
      latest: async () => [],
    };
    const sender = smsSender();
    const { service: s } = service({ sms: sender, log: broken });
    await expect(s.deliver(sms('+15550100'), 1, false)).resolves.toBeUndefined();
    expect(sender.sent).toHaveLength(1);
  });

  it('posts chat deliveries to the channel after the platform prefix', async () => {
    const messenger = new RecordingMessenger();
    const { service: s } = service({ messengers: [messenger] });
    await s.deliver({ id: 'e1-chat-y', event: 'e1', channel: 'chat', to: 'slack/C0ALERTS', reply }, 1, false);
    expect(messenger.sent.map((m) => [m.op, m.channel, m.reply])).toEqual([['post', 'C0ALERTS', reply]]);
  });
});

describe('delivery helpers', () => {
  it('tells retryable failures from permanent ones', () => {
    expect(isRetryableDeliveryError(new Error('socket hang up'))).toBe(true);
    expect(isRetryableDeliveryError(new TallyError('CLOUD_THROTTLED', '429'))).toBe(true);
    expect(isRetryableDeliveryError(new TallyError('CHAT_FAILED', '500', { metadata: { retryable: true } }))).toBe(
      true,
    );
    expect(isRetryableDeliveryError(new TallyError('CHAT_FAILED', '400', { metadata: { retryable: false } }))).toBe(
      false,
    );
    expect(isRetryableDeliveryError(new TallyError('CONFIG_INVALID', 'no SMTP_URL'))).toBe(false);
  });

  it('writes SMS as title and one-line text, at most 320 characters', () => {
    expect(smsBody({ ...reply, text: 'line one\n\nline  two' })).toBe('EC2 spike: line one line two');
    expect(smsBody({ kind: 'notice', title: 'Only a title', visibility: 'channel' })).toBe('Only a title');
    const long = smsBody({ ...reply, title: 'T', text: '€'.repeat(500) });
    expect([...long]).toHaveLength(320);
    expect(long).toBe(`T: ${'€'.repeat(320 - 3 - 1)}…`);
  });
});
