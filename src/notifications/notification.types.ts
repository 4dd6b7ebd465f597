import type { Reply } from '../shared/reply.types.js';

export type DeliveryChannel = 'chat' | 'email' | 'sms';

/**
 * One message to one recipient on one channel, delivered by the `notify` queue with retries
 * (docs/architecture.md#job-queues). Its id is derived from the event, the recipient and the channel, so the same event
 * never reaches the same recipient twice.
 */
export interface Delivery {
  /** `<event>-<channel>-<recipient hash>`: the BullMQ job id (no `:`). */
  id: string;
  /** What it is about, e.g. `anomaly-<id>`, `digest-<subscription>-<week>`. */
  event: string;
  channel: DeliveryChannel;
  /** chat: `slack/C0123` or `teams/<conversation>`; email: an address; sms: an E.164 number. */
  to: string;
  /** The content: chat renders it per platform, email as HTML (and text), SMS as title and text. */
  reply: Reply;
  /** Email subject; defaults to the reply's title. */
  subject?: string;
}

/** The notify queue (BullMQ in production). Enqueueing a delivery id twice delivers once. */
export interface NotifyQueue {
  enqueue(delivery: Delivery): Promise<void>;
}

/** Sends email (nodemailer on SMTP_URL). */
export interface EmailSender {
  send(message: { to: string; subject: string; html: string; text: string }): Promise<void>;
}

/** Sends SMS (Twilio). */
export interface SmsSender {
  send(message: { to: string; body: string }): Promise<void>;
}

/** The outcome of one delivery attempt, kept so that failures are visible (`/cost status`). */
export interface DeliveryRecord {
  deliveryId: string;
  event: string;
  channel: DeliveryChannel;
  to: string;
  status: 'sent' | 'failed';
  attempt: number;
  error?: string;
  /** ISO instant. */
  at: string;
}

/** Append-only log of delivery attempts. */
export interface DeliveryLog {
  record(entry: DeliveryRecord): Promise<void>;
  /** Newest first. */
  latest(query: { limit: number; status?: 'sent' | 'failed' }): Promise<DeliveryRecord[]>;
}
