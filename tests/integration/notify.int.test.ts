import { type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderEmail } from '../../adapters/email/render-html.js';
import { createSmtpEmailSender, type SmtpEmailSender } from '../../adapters/email/smtp-email.sender.js';
import { MemoryDeliveryLog } from '../../adapters/memory/memory-delivery.log.js';
import { BullmqNotifyQueue } from '../../adapters/queue/bullmq-notify.queue.js';
import { createTwilioSmsSender } from '../../adapters/sms/twilio-sms.sender.js';
import { notifyProcessor } from '../../jobs/processors/notify.processor.js';
import { QUEUES, RETRIES } from '../../jobs/queues.js';
import { startWorkers, type Workers } from '../../jobs/worker-registry.js';
import { DeliveryService } from '../../src/notifications/delivery.service.js';
import { deliveryId } from '../../src/notifications/delivery-id.js';
import type { Delivery, DeliveryChannel } from '../../src/notifications/notification.types.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { money, text } from '../../src/shared/reply.types.js';
import { drained } from '../support/queue-state.js';
import { RecordingMessenger } from '../support/recording-messenger.js';
import { redisUrl, uniqueName } from '../support/services.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { startTwilioFake, type TwilioFake } from '../support/twilio-fake.js';

// The notify queue end to end: real BullMQ on the test Redis, a real SMTP server on loopback, the Twilio fake, and a
// recording chat messenger. Backoff is 50 ms so that retries happen within the test.
const FROM_NUMBER = '+15550199';
const FROM_EMAIL = 'Tally <tally@example.com>';

let prefix: string;
let connection: Redis;
let sink: SmtpSink;
let twilio: TwilioFake;
let email: SmtpEmailSender;
let messenger: RecordingMessenger;
let log: MemoryDeliveryLog;
let notify: BullmqNotifyQueue;
let queue: Queue;
let workers: Workers;

beforeAll(async () => {
  prefix = uniqueName('notify');
  connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  [sink, twilio] = await Promise.all([startSmtpSink(), startTwilioFake()]);
  email = createSmtpEmailSender({ smtpUrl: sink.url, from: FROM_EMAIL });
  const sms = createTwilioSmsSender({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: FROM_NUMBER,
    apiBaseUrl: twilio.url,
  });
  messenger = new RecordingMessenger();
  log = new MemoryDeliveryLog();
  const service = new DeliveryService({
    messengers: [messenger],
    email,
    sms,
    renderEmail,
    log,
    clock: systemClock,
    logger: silentLogger,
  });
  notify = new BullmqNotifyQueue(connection, prefix, { backoffMs: 50 });
  queue = new Queue(QUEUES.notify, { connection, prefix });
  workers = startWorkers({
    connection,
    prefix,
    queues: [QUEUES.notify],
    processors: { [QUEUES.notify]: notifyProcessor(service) },
    logger: silentLogger,
  });
});

afterAll(async () => {
  await workers?.close();
  await queue?.obliterate({ force: true });
  await queue?.close();
  await notify?.close();
  email?.close();
  connection?.disconnect();
  await Promise.all([sink?.close(), twilio?.close()]);
});

beforeEach(() => {
  sink.reset();
  twilio.reset();
  messenger.sent.length = 0;
});

const alert = (title: string, body?: string): Reply => ({
  kind: 'notice',
  title,
  ...(body !== undefined ? { text: body } : {}),
  tables: [
    {
      columns: [
        { header: 'Service', align: 'left' },
        { header: 'Impact', align: 'right' },
      ],
      rows: [[text('Amazon <EC2>'), money(1520.4, 'USD')]],
    },
  ],
  context: ['Daily effective cost, 2026-03-02'],
  visibility: 'channel',
});

function delivery(event: string, channel: DeliveryChannel, to: string, reply: Reply, subject?: string): Delivery {
  return { id: deliveryId(event, channel, to), event, channel, to, reply, ...(subject ? { subject } : {}) };
}

/** Waits until the job has completed or failed for good, and returns it. */
async function settled(id: string, timeoutMs = 15_000): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    // Read the job again once it is final: the copy above may predate the move (attemptsMade still 0).
    if (job && (state === 'completed' || state === 'failed')) return (await queue.getJob(id)) ?? job;
    if (Date.now() > until) throw new Error(`job ${id} is ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const recordsOf = async (id: string) => (await log.latest({ limit: 1000 })).filter((r) => r.deliveryId === id);

describe('notify queue', () => {
  it('delivers email into a real SMTP server, with the HTML escaped', async () => {
    const title = 'Cost spike <script>alert(1)</script> on EC2';
    const d = delivery('anomaly-email1', 'email', 'alice@example.com', alert(title, 'Impact & cause below.'));
    await notify.enqueue(d);
    const job = await settled(d.id);

    expect(await job.getState()).toBe('completed');
    expect(sink.messages).toHaveLength(1);
    const [mail] = sink.messages;
    expect(mail!.rcptTo).toEqual(['alice@example.com']);
    expect(mail!.mailFrom).toBe('tally@example.com');
    expect(mail!.headers.get('from')).toBe(FROM_EMAIL);
    expect(mail!.subject).toBe(title);
    expect(mail!.html).toContain('Cost spike &lt;script&gt;alert(1)&lt;/script&gt; on EC2');
    expect(mail!.html).not.toContain('<script');
    expect(mail!.html).toContain('Amazon &lt;EC2&gt;');
    expect(mail!.html).toMatch(/text-align:right[^>]*>1,520\.40 USD</);
    expect(mail!.text).toContain('Impact & cause below.');
    expect(mail!.text).toMatch(/Amazon <EC2>\s+1,520\.40 USD/);

    const records = await recordsOf(d.id);
    expect(records).toMatchObject([{ status: 'sent', channel: 'email', to: 'alice@example.com', attempt: 1 }]);
  });

  it('uses the delivery subject when it has one', async () => {
    const d = delivery('digest-w10', 'email', 'bob@example.com', alert('Weekly digest'), 'Tally: weekly costs €');
    await notify.enqueue(d);
    await settled(d.id);
    expect(sink.to('bob@example.com').map((m) => m.subject)).toEqual(['Tally: weekly costs €']);
  });

  it('delivers SMS through the Twilio API, authenticated, as title and text', async () => {
    const d = delivery(
      'anomaly-sms1',
      'sms',
      '+15550100',
      alert('Critical: EC2 spike', 'Impact 1,520.40 USD\non 2026-03-02'),
    );
    await notify.enqueue(d);
    await settled(d.id);

    expect(twilio.messages).toMatchObject([
      { to: '+15550100', from: FROM_NUMBER, body: 'Critical: EC2 spike: Impact 1,520.40 USD on 2026-03-02' },
    ]);
    expect(twilio.requests.map((r) => [r.status, r.user, r.path])).toEqual([
      [201, twilio.accountSid, `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`],
    ]);
    expect((await recordsOf(d.id)).map((r) => [r.status, r.attempt])).toEqual([['sent', 1]]);
  });

  it('cuts long SMS bodies to 320 characters', async () => {
    const d = delivery('anomaly-sms-long', 'sms', '+15550100', alert('Spike', 'x'.repeat(400)));
    await notify.enqueue(d);
    await settled(d.id);
    const body = twilio.messages[0]!.body;
    expect([...body]).toHaveLength(320);
    expect(body).toBe(`Spike: ${'x'.repeat(320 - 'Spike: '.length - 1)}…`);
  });

  it('posts chat deliveries through the messenger of the platform', async () => {
    const reply = alert('EC2 spike in prod');
    const d = delivery('anomaly-chat1', 'chat', 'slack/C0ALERTS', reply);
    await notify.enqueue(d);
    await settled(d.id);
    expect(messenger.sent).toEqual([{ op: 'post', channel: 'C0ALERTS', messageId: expect.any(String), reply }]);
  });

  it('delivers a delivery enqueued several times once', async () => {
    const d = delivery('anomaly-dup', 'sms', '+15550101', alert('Spike', 'once'));
    await Promise.all([notify.enqueue(d), notify.enqueue(d), notify.enqueue(structuredClone(d))]);
    await settled(d.id);
    await notify.enqueue(d); // after completion too
    const e = delivery('anomaly-dup', 'email', 'carol@example.com', alert('Spike'));
    await notify.enqueue(e);
    await notify.enqueue(e);
    await settled(e.id);
    // Every job those enqueues added has run: a wrongly added second job would have delivered again.
    await drained(queue);

    expect(twilio.to('+15550101')).toHaveLength(1);
    expect(sink.to('carol@example.com')).toHaveLength(1);
    expect(await recordsOf(d.id)).toHaveLength(1);
    expect(await queue.getJobCounts('completed', 'waiting', 'delayed', 'active')).toMatchObject({
      waiting: 0,
      delayed: 0,
      active: 0,
    });
  });

  it('retries a Twilio 500 and delivers on the next attempt', async () => {
    twilio.failNext(500, 20500, 'Internal Server Error');
    const d = delivery('anomaly-retry', 'sms', '+15550102', alert('Spike', 'retried'));
    await notify.enqueue(d);
    const job = await settled(d.id);

    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(2);
    expect(twilio.requests.map((r) => r.status)).toEqual([500, 201]);
    expect(twilio.to('+15550102')).toHaveLength(1);
    // The outcome is recorded once: sent on attempt 2 (a failure that is retried is not a failed delivery).
    expect((await recordsOf(d.id)).map((r) => [r.status, r.attempt])).toEqual([['sent', 2]]);
  });

  it('retries a transient SMTP reply (451) and delivers', async () => {
    sink.rejectNext(451, 'Try again later');
    const d = delivery('anomaly-smtp451', 'email', 'dave@example.com', alert('Spike'));
    await notify.enqueue(d);
    const job = await settled(d.id);
    expect(await job.getState()).toBe('completed');
    expect(sink.attempts).toBe(2);
    expect(sink.to('dave@example.com')).toHaveLength(1);
  });

  it('fails a permanent Twilio error at once and records it as failed', async () => {
    const d = delivery('anomaly-badnumber', 'sms', '555-0100', alert('Spike'));
    await notify.enqueue(d);
    const job = await settled(d.id);

    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(twilio.requests.map((r) => r.status)).toEqual([400]);
    const failed = await log.latest({ limit: 50, status: 'failed' });
    const mine = failed.filter((r) => r.deliveryId === d.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ channel: 'sms', to: '555-0100', attempt: 1, status: 'failed' });
    expect(mine[0]!.error).toMatch(/^CHAT_FAILED: /);
    expect(mine[0]!.error).toContain('21211');
  });

  it('fails a permanent SMTP rejection (550) at once and records it', async () => {
    sink.rejectNext(550, 'Mailbox unavailable');
    const d = delivery('anomaly-smtp550', 'email', 'nobody@example.com', alert('Spike'));
    await notify.enqueue(d);
    const job = await settled(d.id);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    const [record] = (await log.latest({ limit: 50, status: 'failed' })).filter((r) => r.deliveryId === d.id);
    expect(record).toMatchObject({ channel: 'email', attempt: 1 });
    expect(record!.error).toMatch(/^CHAT_FAILED: .*550/);
  });

  it('fails a chat delivery to a platform without a messenger, without retrying', async () => {
    const d = delivery('anomaly-teams', 'chat', 'teams/19:abc@thread.tacv2', alert('Spike'));
    await notify.enqueue(d);
    const job = await settled(d.id);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^CONFIG_INVALID: /);
    expect(messenger.sent).toEqual([]);
    expect((await recordsOf(d.id)).map((r) => [r.status, r.error?.split(':')[0]])).toEqual([
      ['failed', 'CONFIG_INVALID'],
    ]);
  });

  it('gives up after the last attempt of a failure that persists, and records that attempt', async () => {
    for (let i = 0; i < RETRIES.notify.attempts; i++) twilio.failNext(503, 20503, 'Service Unavailable');
    const d = delivery('anomaly-down', 'sms', '+15550103', alert('Spike'));
    await notify.enqueue(d);
    const job = await settled(d.id);

    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(RETRIES.notify.attempts);
    expect(twilio.requests).toHaveLength(RETRIES.notify.attempts);
    expect(twilio.messages).toEqual([]);
    expect((await recordsOf(d.id)).map((r) => [r.status, r.attempt])).toEqual([['failed', RETRIES.notify.attempts]]);
  });
});
