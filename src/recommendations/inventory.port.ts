import type { ResourceFacts } from '../actions/action.types.js';

export type InstanceFacts = Extract<ResourceFacts, { resourceType: 'instance' }>;
export type VolumeFacts = Extract<ResourceFacts, { resourceType: 'volume' }>;
export type AddressFacts = Extract<ResourceFacts, { resourceType: 'address' }>;

/** CPU utilisation of one instance over a window, from hourly averages. */
export interface CpuStats {
  /** Mean of the hourly averages, in percent. */
  average: number;
  /** Highest hourly average, in percent. */
  peak: number;
  /** Number of hourly data points. */
  points: number;
  /** Days between the first and the last data point, rounded up. */
  days: number;
}

/**
 * What runs in one cloud account, per region, with CPU utilisation: the input of the recommendation rules.
 * Implemented on EC2 and CloudWatch in `adapters/aws`.
 */
export interface Inventory {
  /** The account this inventory reads. */
  accountId(): Promise<string>;
  /** Every instance that is not terminated. */
  instances(region: string): Promise<InstanceFacts[]>;
  volumes(region: string): Promise<VolumeFacts[]>;
  addresses(region: string): Promise<AddressFacts[]>;
  /** CPU statistics of the given instances over the last `days` days; instances without data are absent. */
  cpu(region: string, instanceIds: string[], days: number): Promise<Map<string, CpuStats>>;
}

/** One covered account and its inventory. */
export interface AccountInventory {
  accountId: string;
  inventory: Inventory;
}

/**
 * The cloud accounts recommendations cover (README "Every account"), each with its {@link Inventory}: on AWS the
 * credentials' own account first, then member accounts reached through an assumed role. An account that cannot be
 * reached is still listed; its inventory's calls fail with the reason.
 */
export interface InventoryAccounts {
  list(): Promise<AccountInventory[]>;
}
