import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmtpEmailSender } from '../../adapters/email/smtp-email.sender.js';
import { createTwilioSmsSender } from '../../adapters/sms/twilio-sms.sender.js';
import { TallyError } from '../../src/shared/errors.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { startTwilioFake, type TwilioFake } from '../support/twilio-fake.js';

// The email and SMS senders against the loopback SMTP server and Twilio fake: what each failure maps to.
let sink: SmtpSink;
let twilio: TwilioFake;

beforeAll(async () => {
  [sink, twilio] = await Promise.all([startSmtpSink(), startTwilioFake()]);
});
afterAll(async () => {
  await Promise.all([sink?.close(), twilio?.close()]);
});
beforeEach(() => {
  sink.reset();
  twilio.reset();
});

async function failure(p: Promise<unknown>): Promise<TallyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TallyError);
    return e as TallyError;
  }
  return expect.unreachable('it did not fail');
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const sms = (authToken?: string) =>
  createTwilioSmsSender({
    accountSid: twilio.accountSid,
    authToken: authToken ?? twilio.authToken,
    from: '+15550199',
    apiBaseUrl: twilio.url,
  });

describe('TwilioSmsSender', () => {
  it('sends through the Messages API with basic auth', async () => {
    await sms().send({ to: '+15550100', body: 'héllo ✓' });
    expect(twilio.messages).toMatchObject([{ to: '+15550100', from: '+15550199', body: 'héllo ✓' }]);
  });

  it('maps 429 to CLOUD_THROTTLED (retryable) and does not retry by itself', async () => {
    twilio.failNext(429, 20429, 'Too Many Requests');
    const e = await failure(sms().send({ to: '+15550100', body: 'x' }));
    expect(e.code).toBe('CLOUD_THROTTLED');
    expect(e.metadata).toMatchObject({
      operation: 'twilio.messages.create',
      status: 429,
      twilioCode: 20429,
      retryable: true,
    });
    expect(twilio.requests).toHaveLength(1);
  });

  it('maps 5xx to a retryable CHAT_FAILED and other 4xx to a permanent one', async () => {
    twilio.failNext(500, 20500);
    expect((await failure(sms().send({ to: '+15550100', body: 'x' }))).metadata).toMatchObject({
      status: 500,
      retryable: true,
    });
    const invalid = await failure(sms().send({ to: '12345', body: 'x' }));
    expect(invalid.code).toBe('CHAT_FAILED');
    expect(invalid.metadata).toMatchObject({ status: 400, twilioCode: 21211, retryable: false });
    const denied = await failure(sms('wrong-token').send({ to: '+15550100', body: 'x' }));
    expect(denied.metadata).toMatchObject({ status: 401, twilioCode: 20003, retryable: false });
    expect(JSON.stringify(denied.metadata)).not.toContain('wrong-token');
  });

  it('maps a connection failure to a retryable CHAT_FAILED', async () => {
    const down = createTwilioSmsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15550199',
      apiBaseUrl: `http://127.0.0.1:${await closedPort()}`,
    });
    const e = await failure(down.send({ to: '+15550100', body: 'x' }));
    expect(e.code).toBe('CHAT_FAILED');
    expect(e.metadata).toMatchObject({ status: undefined, retryable: true });
  });
});

describe('SmtpEmailSender', () => {
  const message = { to: 'alice@example.com', subject: 'Grüße <b>', html: '<p>hi</p>', text: 'hi' };

  it('sends HTML with a text alternative from the configured sender', async () => {
    const email = createSmtpEmailSender({ smtpUrl: sink.url, from: 'Tally <tally@example.com>' });
    await email.send(message);
    email.close();
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]).toMatchObject({
      mailFrom: 'tally@example.com',
      rcptTo: ['alice@example.com'],
      subject: 'Grüße <b>',
      html: '<p>hi</p>',
      text: 'hi',
    });
  });

  it('maps a 5xx reply to a permanent CHAT_FAILED and a 4xx reply to a retryable one', async () => {
    const email = createSmtpEmailSender({ smtpUrl: sink.url, from: 'tally@example.com' });
    sink.rejectNext(554, 'Transaction failed');
    const permanent = await failure(email.send(message));
    expect(permanent.code).toBe('CHAT_FAILED');
    expect(permanent.metadata).toMatchObject({ operation: 'smtp.send', responseCode: 554, retryable: false });
    sink.rejectNext(452, 'Insufficient storage');
    const transient = await failure(email.send(message));
    expect(transient.metadata).toMatchObject({ responseCode: 452, retryable: true });
    email.close();
  });

  it('maps an unreachable server to a retryable CHAT_FAILED without the URL’s credentials', async () => {
    const email = createSmtpEmailSender({
      smtpUrl: `smtp://user:s3cret@127.0.0.1:${await closedPort()}`,
      from: 'tally@example.com',
    });
    const e = await failure(email.send(message));
    expect(e.code).toBe('CHAT_FAILED');
    expect(e.metadata).toMatchObject({ responseCode: undefined, retryable: true });
    expect(`${e.message} ${JSON.stringify(e.metadata)}`).not.toContain('s3cret');
    email.close();
  });
});
