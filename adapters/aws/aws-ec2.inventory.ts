import { type MetricDataQuery, paginateGetMetricData } from '@aws-sdk/client-cloudwatch';
import { DescribeAddressesCommand, paginateDescribeInstances, paginateDescribeVolumes } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type {
  AddressFacts,
  CpuStats,
  InstanceFacts,
  Inventory,
  VolumeFacts,
} from '../../src/recommendations/inventory.port.js';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import type { AwsClients } from './aws-clients.js';
import { toAddressFacts, toInstanceFacts, toVolumeFacts } from './aws-ec2.mapper.js';
import { handleAwsError } from './aws-errors.js';

/** Every state but `terminated`. */
const LIVE_STATES = ['pending', 'running', 'shutting-down', 'stopping', 'stopped'];
/** GetMetricData accepts at most 500 queries per call. */
const MAX_QUERIES = 500;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface AwsEc2InventoryOptions {
  /** The source of "now" for CPU windows. @defaultValue the system clock */
  clock?: Clock;
  /** The account the clients read, when known (a member account's); unset, STS GetCallerIdentity says. */
  accountId?: string;
}

/**
 * Tally's {@link Inventory} of one account on EC2 (instances, volumes, Elastic IPs), CloudWatch (CPU) and STS
 * (account id). The clients may come from a function (a member account's, whose role is assumed on first use).
 */
export class AwsEc2Inventory implements Inventory {
  private readonly clock: Clock;
  private account: Promise<string> | undefined;

  constructor(
    private readonly clients: AwsClients | (() => Promise<AwsClients>),
    options: AwsEc2InventoryOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    if (options.accountId !== undefined) this.account = Promise.resolve(options.accountId);
  }

  private async sdk(): Promise<AwsClients> {
    return typeof this.clients === 'function' ? this.clients() : this.clients;
  }

  /** The account given, else from STS GetCallerIdentity, asked once (a failed call is asked again next time). */
  accountId(): Promise<string> {
    this.account ??= this.fetchAccountId().catch((err: unknown) => {
      this.account = undefined;
      throw err;
    });
    return this.account;
  }

  private async fetchAccountId(): Promise<string> {
    try {
      const out = await (await this.sdk()).sts.send(new GetCallerIdentityCommand({}));
      if (!out.Account) throw new TallyError('CLOUD_FAILED', 'STS GetCallerIdentity returned no account');
      return out.Account;
    } catch (err) {
      return handleAwsError(err, 'GetCallerIdentity');
    }
  }

  async instances(region: string): Promise<InstanceFacts[]> {
    const found: InstanceFacts[] = [];
    try {
      const pages = paginateDescribeInstances(
        { client: (await this.sdk()).ec2(region) },
        { Filters: [{ Name: 'instance-state-name', Values: LIVE_STATES }] },
      );
      for await (const page of pages) {
        for (const reservation of page.Reservations ?? []) {
          for (const instance of reservation.Instances ?? []) {
            // The filter already excludes them; checked again because the SDK types allow anything.
            if (instance.InstanceId && instance.State?.Name !== 'terminated') found.push(toInstanceFacts(instance));
          }
        }
      }
    } catch (err) {
      handleAwsError(err, 'DescribeInstances');
    }
    return found;
  }

  async volumes(region: string): Promise<VolumeFacts[]> {
    const found: VolumeFacts[] = [];
    try {
      for await (const page of paginateDescribeVolumes({ client: (await this.sdk()).ec2(region) }, {})) {
        for (const volume of page.Volumes ?? []) if (volume.VolumeId) found.push(toVolumeFacts(volume));
      }
    } catch (err) {
      handleAwsError(err, 'DescribeVolumes');
    }
    return found;
  }

  /** DescribeAddresses has no paginator: it returns every address at once. */
  async addresses(region: string): Promise<AddressFacts[]> {
    try {
      const out = await (await this.sdk()).ec2(region).send(new DescribeAddressesCommand({}));
      return (out.Addresses ?? []).filter((a) => a.AllocationId).map(toAddressFacts);
    } catch (err) {
      return handleAwsError(err, 'DescribeAddresses');
    }
  }

  /**
   * Hourly `AWS/EC2 CPUUtilization` averages over the last `days` days, one GetMetricData query per instance, 500
   * per call. The window starts on an hour boundary so that each hourly point falls in one period.
   */
  async cpu(region: string, instanceIds: string[], days: number): Promise<Map<string, CpuStats>> {
    const stats = new Map<string, CpuStats>();
    if (instanceIds.length === 0 || !(days > 0)) return stats;
    const end = this.clock.now();
    const start = new Date(Math.floor((end.getTime() - days * DAY_MS) / HOUR_MS) * HOUR_MS);
    const ids = [...new Set(instanceIds)];
    for (let i = 0; i < ids.length; i += MAX_QUERIES) {
      const points = await this.cpuPoints(region, ids.slice(i, i + MAX_QUERIES), start, end);
      for (const [id, series] of points) {
        const summary = summarise(series);
        if (summary) stats.set(id, summary);
      }
    }
    return stats;
  }

  /** Raw points per instance id for up to 500 instances, following NextToken. */
  private async cpuPoints(region: string, ids: string[], start: Date, end: Date) {
    const byQuery = new Map(ids.map((id, index) => [`q${index}`, id]));
    const queries: MetricDataQuery[] = ids.map((id, index) => ({
      Id: `q${index}`,
      MetricStat: {
        Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] },
        Period: 3600,
        Stat: 'Average',
      },
      ReturnData: true,
    }));
    const series = new Map<string, { at: number; value: number }[]>();
    try {
      const pages = paginateGetMetricData(
        { client: (await this.sdk()).cloudwatch(region) },
        { StartTime: start, EndTime: end, MetricDataQueries: queries, ScanBy: 'TimestampAscending' },
      );
      for await (const page of pages) {
        for (const result of page.MetricDataResults ?? []) {
          const id = byQuery.get(result.Id ?? '');
          if (id === undefined) continue;
          const list = series.get(id) ?? [];
          const timestamps = result.Timestamps ?? [];
          (result.Values ?? []).forEach((value, k) => {
            const at = timestamps[k];
            if (at !== undefined && Number.isFinite(value)) list.push({ at: at.getTime(), value });
          });
          series.set(id, list);
        }
      }
    } catch (err) {
      handleAwsError(err, 'GetMetricData');
    }
    return series;
  }
}

/** Mean and peak of hourly averages, and the days the points span (rounded up, at least 1); null without points. */
function summarise(points: { at: number; value: number }[]): CpuStats | null {
  if (points.length === 0) return null;
  let sum = 0;
  let peak = Number.NEGATIVE_INFINITY;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { at, value } of points) {
    sum += value;
    peak = Math.max(peak, value);
    first = Math.min(first, at);
    last = Math.max(last, at);
  }
  return {
    average: sum / points.length,
    peak,
    points: points.length,
    days: Math.max(1, Math.ceil((last - first) / DAY_MS)),
  };
}
