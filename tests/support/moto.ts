// Seeding and inspection helpers for moto. They talk to moto with the SDK directly, not through
// Tally's adapters, so a test's setup and assertions do not depend on the code under test. moto is shared by test
// files running in parallel: never reset it from a test; use your own region and assert only on ids you created.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  type _InstanceType,
  AllocateAddressCommand,
  AssociateAddressCommand,
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
  type Tag as SdkTag,
  StopInstancesCommand,
  type TagSpecification,
  TerminateInstancesCommand,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import type { AwsClientsConfig } from '../../adapters/aws/aws-clients.js';

/** moto's fixed account. */
export const MOTO_ACCOUNT_ID = '123456789012';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Client config for Tally's AWS adapters against moto: fake keys, us-east-1, no retries. */
export function awsTestConfig(endpoint: string): AwsClientsConfig {
  return { region: 'us-east-1', endpointUrl: endpoint, ...CREDENTIALS, maxAttempts: 1 };
}

/** Clears all of moto's state. Only for a test run that owns the moto server; shared runs must not call it. */
export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(new URL('/moto-api/reset', endpoint), { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

const ec2Clients = new Map<string, EC2Client>();
function ec2(endpoint: string, region: string): EC2Client {
  const key = `${endpoint} ${region}`;
  let client = ec2Clients.get(key);
  if (!client) {
    client = new EC2Client({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
    ec2Clients.set(key, client);
  }
  return client;
}

function tagSpec(resourceType: TagSpecification['ResourceType'], tags?: Record<string, string>): TagSpecification[] {
  const list: SdkTag[] = Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  return list.length === 0 ? [] : [{ ResourceType: resourceType, Tags: list }];
}

/** Launches one instance (moto accepts any image id) and returns its id. */
export async function runInstance(
  endpoint: string,
  region: string,
  options: { instanceType?: string; tags?: Record<string, string> } = {},
): Promise<string> {
  const out = await ec2(endpoint, region).send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      MinCount: 1,
      MaxCount: 1,
      InstanceType: (options.instanceType ?? 't3.micro') as _InstanceType,
      TagSpecifications: tagSpec('instance', options.tags),
    }),
  );
  const id = out.Instances?.[0]?.InstanceId;
  if (!id) throw new Error('moto RunInstances returned no instance id');
  return id;
}

/** Stops an instance directly (moto stops at once). */
export async function stopInstanceNow(endpoint: string, region: string, id: string): Promise<void> {
  await ec2(endpoint, region).send(new StopInstancesCommand({ InstanceIds: [id] }));
}

/** Terminates an instance; moto keeps describing it as `terminated`. */
export async function terminateInstance(endpoint: string, region: string, id: string): Promise<void> {
  await ec2(endpoint, region).send(new TerminateInstancesCommand({ InstanceIds: [id] }));
}

/** Creates an EBS volume in `${region}a` and returns its id. */
export async function createVolume(
  endpoint: string,
  region: string,
  options: { sizeGiB: number; volumeType?: string; tags?: Record<string, string> },
): Promise<string> {
  const out = await ec2(endpoint, region).send(
    new CreateVolumeCommand({
      AvailabilityZone: `${region}a`,
      Size: options.sizeGiB,
      VolumeType: (options.volumeType ?? 'gp3') as VolumeType,
      TagSpecifications: tagSpec('volume', options.tags),
    }),
  );
  if (!out.VolumeId) throw new Error('moto CreateVolume returned no volume id');
  return out.VolumeId;
}

/** Attaches a volume to an instance. */
export async function attachVolume(endpoint: string, region: string, volumeId: string, instanceId: string) {
  await ec2(endpoint, region).send(
    new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: '/dev/sdf' }),
  );
}

/** Allocates an Elastic IP and returns its allocation id. */
export async function allocateAddress(
  endpoint: string,
  region: string,
  options: { tags?: Record<string, string> } = {},
): Promise<string> {
  const out = await ec2(endpoint, region).send(
    new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: tagSpec('elastic-ip', options.tags) }),
  );
  if (!out.AllocationId) throw new Error('moto AllocateAddress returned no allocation id');
  return out.AllocationId;
}

/** Associates an Elastic IP with an instance and returns the association id. */
export async function associateAddress(
  endpoint: string,
  region: string,
  allocationId: string,
  instanceId: string,
): Promise<string> {
  const out = await ec2(endpoint, region).send(
    new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: instanceId }),
  );
  if (!out.AssociationId) throw new Error('moto AssociateAddress returned no association id');
  return out.AssociationId;
}

/** Puts hourly `AWS/EC2 CPUUtilization` points for one instance (moto generates none itself). */
export async function putCpu(
  endpoint: string,
  region: string,
  instanceId: string,
  hourlyValues: { at: Date; value: number }[],
): Promise<void> {
  const client = new CloudWatchClient({
    region,
    endpoint,
    credentials: CREDENTIALS,
    maxAttempts: 1,
    // moto cannot read gzipped PutMetricData bodies (the SDK compresses those over ~10 KiB): HTTP 500.
    disableRequestCompression: true,
  });
  try {
    for (let i = 0; i < hourlyValues.length; i += 500) {
      const MetricData = hourlyValues.slice(i, i + 500).map(({ at, value }) => ({
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
        Timestamp: at,
        Value: value,
        Unit: 'Percent' as const,
      }));
      await client.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData }));
    }
  } finally {
    client.destroy();
  }
}

async function describeInstance(endpoint: string, region: string, id: string) {
  const out = await ec2(endpoint, region).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  const instance = out.Reservations?.[0]?.Instances?.[0];
  if (!instance) throw new Error(`moto has no instance ${id}`);
  return instance;
}

/** `running`, `stopped`, … */
export async function instanceState(endpoint: string, region: string, id: string): Promise<string | undefined> {
  return (await describeInstance(endpoint, region, id)).State?.Name;
}

export async function instanceType(endpoint: string, region: string, id: string): Promise<string | undefined> {
  return (await describeInstance(endpoint, region, id)).InstanceType;
}

/** True while the volume exists (found through a filter, so a missing id is `false`, not an error). */
export async function volumeExists(endpoint: string, region: string, id: string): Promise<boolean> {
  const out = await ec2(endpoint, region).send(
    new DescribeVolumesCommand({ Filters: [{ Name: 'volume-id', Values: [id] }] }),
  );
  return (out.Volumes ?? []).some((v) => v.VolumeId === id);
}

/** True while the Elastic IP is allocated. */
export async function addressExists(endpoint: string, region: string, allocationId: string): Promise<boolean> {
  const out = await ec2(endpoint, region).send(
    new DescribeAddressesCommand({ Filters: [{ Name: 'allocation-id', Values: [allocationId] }] }),
  );
  return (out.Addresses ?? []).some((a) => a.AllocationId === allocationId);
}

/** The snapshots of one volume: id and tags. */
export async function snapshotsOf(endpoint: string, region: string, volumeId: string) {
  const out = await ec2(endpoint, region).send(
    new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [volumeId] }] }),
  );
  return (out.Snapshots ?? []).map((s) => ({
    id: s.SnapshotId ?? '',
    state: s.State,
    tags: Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  }));
}
