import type { Clock } from '../shared/clock.js';
import { TallyError } from '../shared/errors.js';
import type { AccountInventory, Inventory, InventoryAccounts } from './inventory.port.js';
import { MIN_CPU_DAYS, type RegionInventory, recommendRegion } from './recommendation.rules.js';
import type { AccountFailure, Recommendation, RecommendationList } from './recommendation.types.js';

export interface RecommendationServiceConfig {
  /** One account's inventory; or `accounts`, several (one of the two). */
  inventory?: Inventory;
  /** The covered accounts, each with its inventory (README "Every account"). */
  accounts?: InventoryAccounts;
  /** The regions scanned when no region is asked for; at least one. */
  regions: string[];
  clock: Clock;
  /**
   * Days of CPU history the instance rules look at, from {@link MIN_CPU_DAYS} to 455 (CloudWatch keeps hourly
   * data points for 455 days).
   * @defaultValue 14
   */
  cpuDays?: number;
  /**
   * How long a scan is reused for the same set of regions, in milliseconds; 0 scans on every call.
   * @defaultValue 600000 (10 minutes)
   */
  cacheTtlMs?: number;
}

export interface ListRecommendationsOptions {
  /** Scan only this region instead of the configured ones. */
  region?: string;
  /** Scan again even when a cached scan is still fresh. */
  refresh?: boolean;
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const MAX_CPU_DAYS = 455;

/**
 * Finds savings in the covered cloud accounts: reads the inventory and CPU statistics of each account and region
 * through the {@link Inventory} port, applies the rules, and sorts the findings by monthly savings, highest first. An
 * account that fails is named in `failures` and the others are listed. Read only. Scans are cached per set of regions
 * for `cacheTtlMs`; concurrent calls for the same set share one scan.
 */
export class RecommendationService {
  private readonly accounts: InventoryAccounts;
  private readonly regions: string[];
  private readonly clock: Clock;
  private readonly cpuDays: number;
  private readonly cacheTtlMs: number;
  private readonly cache = new Map<string, { at: number; result: Promise<RecommendationList> }>();

  constructor(config: RecommendationServiceConfig) {
    const { cpuDays = 14, cacheTtlMs = 600_000, inventory, accounts } = config;
    if ((inventory === undefined) === (accounts === undefined)) {
      throw new TallyError('CONFIG_INVALID', 'Recommendations need one inventory or a list of accounts, not both.');
    }
    if (config.regions.length === 0) {
      throw new TallyError('CONFIG_INVALID', 'Recommendations need at least one AWS region, such as us-east-1.');
    }
    const badRegion = config.regions.find((r) => !REGION_RE.test(r));
    if (badRegion !== undefined) {
      throw new TallyError('CONFIG_INVALID', `"${badRegion}" is not an AWS region name such as us-east-1.`);
    }
    if (!Number.isInteger(cpuDays) || cpuDays < MIN_CPU_DAYS || cpuDays > MAX_CPU_DAYS) {
      throw new TallyError('CONFIG_INVALID', `cpuDays must be a whole number from ${MIN_CPU_DAYS} to ${MAX_CPU_DAYS}.`);
    }
    if (!Number.isFinite(cacheTtlMs) || cacheTtlMs < 0) {
      throw new TallyError('CONFIG_INVALID', 'cacheTtlMs must be a number of milliseconds, 0 or more.');
    }
    this.accounts = accounts ?? singleAccount(inventory!);
    this.regions = [...new Set(config.regions)];
    this.clock = config.clock;
    this.cpuDays = cpuDays;
    this.cacheTtlMs = cacheTtlMs;
  }

  /**
   * The recommendations for the configured regions, or for `options.region` alone. Throws `USAGE` for a malformed
   * region name; inventory failures arrive as the adapter's `TallyError`s (`CLOUD_*`) and are not cached.
   */
  async list(options: ListRecommendationsOptions = {}): Promise<RecommendationList> {
    if (options.region !== undefined && !REGION_RE.test(options.region)) {
      throw new TallyError('USAGE', `"${options.region}" is not an AWS region name such as us-east-1.`);
    }
    const regions = options.region === undefined ? this.regions : [options.region];
    const key = [...regions].sort().join(',');
    const now = this.clock.now().getTime();
    const cached = this.cache.get(key);
    if (!options.refresh && cached && now - cached.at < this.cacheTtlMs) return cached.result;
    const result = this.scan(regions);
    if (this.cacheTtlMs > 0) {
      const entry = { at: now, result };
      this.cache.set(key, entry);
      // A failed scan must not be served from the cache; drop it unless a newer scan replaced it already.
      result.catch(() => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      });
    }
    return result;
  }

  /**
   * Drops the cached scans that cover `region`, so that the next call reads the region again: an executed action
   * changed a resource there (a stopped instance is no longer idle; docs/architecture.md#after-the-action).
   */
  invalidate(region: string): void {
    for (const key of [...this.cache.keys()]) if (key.split(',').includes(region)) this.cache.delete(key);
  }

  private async scan(regions: string[]): Promise<RecommendationList> {
    const generatedAt = this.clock.now();
    const accounts = await this.accounts.list();
    const scans = await Promise.allSettled(accounts.map((a) => this.scanAccount(a, regions, generatedAt)));
    const failures: AccountFailure[] = [];
    const recommendations: Recommendation[] = [];
    scans.forEach((scan, i) => {
      if (scan.status === 'fulfilled') recommendations.push(...scan.value);
      else failures.push({ accountId: accounts[i]!.accountId, message: messageOf(scan.reason) });
    });
    // Every account failed: the first failure is the answer, as the adapter's TallyError.
    const [first] = scans;
    if (first?.status === 'rejected' && failures.length === accounts.length) throw first.reason;
    return {
      accountIds: accounts.map((a) => a.accountId),
      failures,
      regions: [...regions],
      generatedAt: generatedAt.toISOString(),
      recommendations: recommendations.sort(bySavings),
    };
  }

  private async scanAccount(account: AccountInventory, regions: string[], at: Date): Promise<Recommendation[]> {
    const perRegion = await Promise.all(regions.map((region) => this.region(account, region)));
    return perRegion.flatMap((input) => recommendRegion(input, at));
  }

  private async region({ accountId, inventory }: AccountInventory, region: string): Promise<RegionInventory> {
    const [instances, volumes, addresses] = await Promise.all([
      inventory.instances(region),
      inventory.volumes(region),
      inventory.addresses(region),
    ]);
    // CPU matters only to the idle and oversized rules, which look at running instances alone.
    const running = instances.filter((i) => i.state === 'running').map((i) => i.id);
    const cpu = running.length ? await inventory.cpu(region, running, this.cpuDays) : new Map();
    return { accountId, region, instances, volumes, addresses, cpu };
  }
}

/** One inventory as the only covered account. */
function singleAccount(inventory: Inventory): InventoryAccounts {
  return { list: async () => [{ accountId: await inventory.accountId(), inventory }] };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Highest savings first; ties by account, region, then resource id, so that the order is stable. */
function bySavings(a: Recommendation, b: Recommendation): number {
  return (
    b.action.monthlySavings - a.action.monthlySavings ||
    a.action.target.accountId.localeCompare(b.action.target.accountId) ||
    a.action.target.region.localeCompare(b.action.target.region) ||
    a.action.target.resourceId.localeCompare(b.action.target.resourceId)
  );
}
