import type { ChatMessenger } from '../approvals/chat-messenger.port.js';
import type { Clock } from '../shared/clock.js';
import { asTallyError, TallyError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.port.js';
import type { Reply } from '../shared/reply.types.js';
import type { Delivery, DeliveryLog, DeliveryRecord, EmailSender, SmsSender } from './notification.types.js';

/** Renders a reply as an email body: HTML and its plain-text alternative (injected, so `src/` imports no adapter). */
type EmailRenderer = (reply: Reply) => { html: string; text: string };

/** Longest SMS body sent: two concatenated segments' worth of text. Longer bodies are cut with `…`. */
const SMS_MAX_CHARS = 320;

/** Longest error text kept in a delivery record. */
const MAX_ERROR_CHARS = 500;

export interface DeliveryServiceDeps {
  /** One per chat platform; a chat delivery to `slack/…` goes through the messenger whose platform is `slack`. */
  messengers: ChatMessenger[];
  /** null when email is not configured (`SMTP_URL`): email deliveries then fail without retry. */
  email: EmailSender | null;
  /** null when SMS is not configured (`TWILIO_*`): SMS deliveries then fail without retry. */
  sms: SmsSender | null;
  renderEmail: EmailRenderer;
  log: DeliveryLog;
  clock: Clock;
  logger: Logger;
}

/**
 * Whether a failed delivery is worth another attempt. Permanent: a channel that is not configured
 * (`CONFIG_INVALID`), and anything an adapter marked `metadata.retryable: false` (an SMTP 5xx, a Twilio 4xx such as
 * an invalid number). Everything else (network errors, 5xx, throttling) is retried with the queue's backoff.
 */
export function isRetryableDeliveryError(err: unknown): boolean {
  if (!(err instanceof TallyError)) return true;
  return err.code !== 'CONFIG_INVALID' && err.metadata.retryable !== false;
}

/**
 * Sends one delivery of the notify queue (docs/architecture.md#job-queues) on its channel and records the outcome in
 * the delivery log.
 *
 * The log gets one record per delivery outcome: `sent` on success, `failed` when the failure is final (the last
 * attempt, or a permanent failure). A failure that will be retried is only logged as a warning, so that
 * `latest({ status: 'failed' })` lists deliveries that really did not arrive.
 */
export class DeliveryService {
  constructor(private readonly deps: DeliveryServiceDeps) {}

  /**
   * Delivers once. `attempt` counts from 1; `finalAttempt` says the queue will not try again after a failure.
   *
   * @throws TallyError when sending failed: `CONFIG_INVALID` when the channel is not configured (or no messenger
   *   serves the chat platform), else the sender's error (`CHAT_FAILED`, `CLOUD_THROTTLED`, …). Use
   *   {@link isRetryableDeliveryError} to decide whether to retry.
   */
  async deliver(delivery: Delivery, attempt: number, finalAttempt: boolean): Promise<void> {
    try {
      await this.send(delivery);
    } catch (err) {
      const error = asTallyError(err, 'INTERNAL');
      const retryable = isRetryableDeliveryError(error);
      const meta = { deliveryId: delivery.id, channel: delivery.channel, attempt, code: error.code, retryable };
      if (finalAttempt || !retryable) {
        this.deps.logger.error(meta, 'delivery failed for good');
        await this.record(delivery, attempt, 'failed', `${error.code}: ${error.message}`.slice(0, MAX_ERROR_CHARS));
      } else {
        this.deps.logger.warn(meta, 'delivery failed; it will be retried');
      }
      throw error;
    }
    await this.record(delivery, attempt, 'sent');
  }

  private async send(d: Delivery): Promise<void> {
    switch (d.channel) {
      case 'chat':
        return this.sendChat(d.to, d.reply);
      case 'email': {
        if (!this.deps.email) throw notConfigured('email', 'set SMTP_URL and TALLY_EMAIL_FROM');
        const { html, text } = this.deps.renderEmail(d.reply);
        return this.deps.email.send({ to: d.to, subject: d.subject ?? d.reply.title, html, text });
      }
      case 'sms':
        if (!this.deps.sms) throw notConfigured('sms', 'set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
        return this.deps.sms.send({ to: d.to, body: smsBody(d.reply) });
    }
  }

  /**
   * `to` is `<platform>/<channel>`, e.g. `slack/C0ALERTS` or `teams/19:abc@thread.tacv2`, or `<platform>/@<user id>`
   * for a direct message (`slack/@U0ALICE`, `teams/@<AAD object id>`).
   */
  private async sendChat(to: string, reply: Reply): Promise<void> {
    const slash = to.indexOf('/');
    const platform = slash > 0 ? to.slice(0, slash) : '';
    const channel = to.slice(slash + 1);
    const messenger = this.deps.messengers.find((m) => m.platform === platform);
    if (!messenger || channel === '' || channel === '@')
      throw notConfigured('chat', `no chat messenger serves "${platform || to}"`);
    if (channel.startsWith('@')) await messenger.direct(channel.slice(1), reply);
    else await messenger.post(channel, reply);
  }

  /** Best effort: a log that is down must not turn a delivery that went out into a retry (a second message). */
  private async record(d: Delivery, attempt: number, status: DeliveryRecord['status'], error?: string) {
    const entry: DeliveryRecord = {
      deliveryId: d.id,
      event: d.event,
      channel: d.channel,
      to: d.to,
      status,
      attempt,
      ...(error !== undefined ? { error } : {}),
      at: this.deps.clock.now().toISOString(),
    };
    try {
      await this.deps.log.record(entry);
    } catch (err) {
      this.deps.logger.error({ deliveryId: d.id, status, err }, 'could not record a delivery outcome');
    }
  }
}

function notConfigured(channel: string, hint: string): TallyError {
  return new TallyError('CONFIG_INVALID', `${channel} deliveries are not configured: ${hint}`, {
    metadata: { channel, retryable: false },
  });
}

/** `Title: text` on one line, at most {@link SMS_MAX_CHARS} characters (counted as code points), cut with `…`. */
export function smsBody(reply: Reply): string {
  const text = reply.text?.replace(/\s+/g, ' ').trim();
  const full = text ? `${reply.title}: ${text}` : reply.title;
  const chars = [...full];
  return chars.length <= SMS_MAX_CHARS ? full : `${chars.slice(0, SMS_MAX_CHARS - 1).join('')}…`;
}
