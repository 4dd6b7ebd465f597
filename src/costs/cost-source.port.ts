import type { Day } from '../shared/day.js';
import type { CostRecord } from './cost-record.types.js';

/** The accounts of a source, with what people should know about them. */
export interface AccountListing {
  readonly accounts: string[];
  /**
   * One sentence each, shown by `status` until the next listing: accounts the vendor's own list does not have, a lookup
   * that failed while the listing went on. None: `[]`.
   */
  readonly notes: string[];
}

/**
 * A cloud billing API Tally syncs from (docs/cost-data.md, docs/architecture.md#job-queues): AWS Cost Explorer, Azure Cost Management, Google's BigQuery
 * billing export. Each maps its rows into the same FOCUS `CostRecord`. Implemented in `adapters/aws`,
 * `adapters/azure`, `adapters/gcp`. Failures are `TallyError`s: `CLOUD_THROTTLED` is retried with backoff by the
 * sync job; `CLOUD_DENIED`, `CLOUD_NOT_FOUND`, `CLOUD_FAILED` are not.
 */
export interface CostSource {
  /** Stable name, used in rollup source keys and `/cost status`: `aws-ce`, `azure`, `gcp-bigquery`. */
  readonly name: string;
  /** The accounts synced one job each: AWS linked accounts, Azure subscription ids, Google projects. */
  accounts(): Promise<string[]>;
  /**
   * `accounts()` with notes on them. Optional: the sync prefers it when a source has it, and records the notes of every
   * listing under `<name>:*` for `status` (docs/architecture.md#job-queues).
   */
  listAccounts?(): Promise<AccountListing>;
  /**
   * Cost records of one account for the inclusive day range, one per day × service × region (× whatever the API
   * groups by). Paging (`NextPageToken`, `nextLink`, page tokens) is handled inside.
   */
  fetch(account: string, range: { from: Day; to: Day }): AsyncIterable<CostRecord>;
}
