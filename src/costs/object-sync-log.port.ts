/** What one sync of an object storage prefix tells the log (docs/cost-data.md, "Object storage"). */
export interface ObjectSyncOutcome {
  prefix: string;
  /** ISO instant the sync started. */
  at: string;
  /** Objects listed and data objects read; absent when the listing itself failed. */
  listing?: { listed: number; read: number };
  /** What failed: the listing (named by the prefix) or sub-sources, each with why. */
  failed: { source: string; error: string }[];
}

/** The last sync of a prefix, as `status` and `tally sources` show it. */
export interface PrefixSync {
  prefix: string;
  /** ISO instant of the last listing that worked, or null when none has. */
  listedAt: string | null;
  /** Objects listed and read by that listing. */
  listed: number;
  read: number;
  /** ISO instant of the last sync, whether it worked or not. */
  attemptedAt: string;
  /** What failed in the last sync (empty when everything was read). */
  failed: { source: string; error: string }[];
}

/**
 * Where the object storage sync notes each prefix's last listing, kept beside the cost data so that every Tally
 * process of an installation sees it (docs/cost-data.md, "Object storage").
 */
export interface ObjectSyncLog {
  /** Notes a sync; a failed listing keeps the previous listing's time and counts. */
  record(outcome: ObjectSyncOutcome): Promise<void>;
  /** The last sync of every prefix, by prefix. */
  latest(): Promise<PrefixSync[]>;
}
