/** A weekly (or daily) digest subscription of a channel (`digest subscribe weekly mon 09:00 Europe/Berlin`). */
export interface DigestSubscription {
  id: string;
  platform: 'slack' | 'teams' | 'shell' | 'cli';
  /** The chat channel the digest is posted to. */
  channel: string;
  /** Cron pattern (5 fields) in `tz`, e.g. `0 9 * * 1`. */
  cron: string;
  /** IANA time zone. */
  tz: string;
  /** As the user wrote it, e.g. `weekly mon 09:00 Europe/Berlin`. */
  schedule: string;
  /** Also sent as an HTML email to these addresses. */
  emails: string[];
  createdBy: string;
  /** ISO instant. */
  createdAt: string;
}

/** Digest subscriptions; one contract suite runs against memory and MongoDB. */
export interface DigestSubscriptionRepository {
  save(subscription: DigestSubscription): Promise<void>;
  get(id: string): Promise<DigestSubscription | null>;
  remove(id: string): Promise<boolean>;
  /** All, or those of one channel; oldest first. */
  list(query?: { channel?: string }): Promise<DigestSubscription[]>;
}

/** Schedules a subscription's digest (a BullMQ job scheduler with cron and time zone in production). */
export interface DigestScheduler {
  upsert(subscription: DigestSubscription): Promise<void>;
  remove(subscriptionId: string): Promise<void>;
}
