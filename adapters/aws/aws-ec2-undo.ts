import {
  AllocateAddressCommand,
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type VolumeType,
  waitUntilVolumeAvailable,
  waitUntilVolumeInUse,
} from '@aws-sdk/client-ec2';
import type { Tag, TargetRef } from '../../src/actions/action.types.js';
import type { VolumeAttachment } from '../../src/approvals/undo/undo.types.js';
import type { RestoreVolumeInput, UndoCloud, VolumeDetails } from '../../src/approvals/undo/undo-cloud.port.js';
import { TallyError } from '../../src/shared/errors.js';
import type { AwsAccountClients } from './aws-accounts.js';
import type { AwsClients } from './aws-clients.js';
import { classifyAwsError, handleAwsError } from './aws-errors.js';

export interface AwsEc2UndoOptions {
  /** Longest wait, in seconds, for a restored volume to become available or attached. @defaultValue 600 */
  volumeWaitSeconds?: number;
}

const sdkTags = (tags: Tag[]) => tags.map((t) => ({ Key: t.key, Value: t.value }));

/**
 * Tally's {@link UndoCloud} on EC2 (docs/architecture.md#undo): the calls that reverse a deleted volume and a released
 * address. Each goes to the target's account, as `AwsEc2Actions` does.
 */
export class AwsEc2Undo implements UndoCloud {
  private readonly volumeWait: number;

  constructor(
    private readonly clients: AwsClients | AwsAccountClients,
    options: AwsEc2UndoOptions = {},
  ) {
    this.volumeWait = options.volumeWaitSeconds ?? 600;
  }

  private async ec2(ref: TargetRef): Promise<EC2Client> {
    const clients = 'clients' in this.clients ? await this.clients.clients(ref.accountId) : this.clients;
    return clients.ec2(ref.region);
  }

  async volumeDetails(ref: TargetRef): Promise<VolumeDetails | null> {
    const ec2 = await this.ec2(ref);
    try {
      const out = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [ref.resourceId] }));
      const v = out.Volumes?.find((x) => x.VolumeId === ref.resourceId);
      if (!v) return null;
      const attached = v.Attachments?.find((a) => a.InstanceId && a.Device);
      return {
        availabilityZone: v.AvailabilityZone ?? '',
        volumeType: v.VolumeType ?? 'gp3',
        sizeGiB: v.Size ?? 0,
        ...(v.Iops !== undefined && (v.VolumeType === 'io1' || v.VolumeType === 'io2' || v.VolumeType === 'gp3')
          ? { iops: v.Iops }
          : {}),
        ...(v.Throughput !== undefined && v.VolumeType === 'gp3' ? { throughput: v.Throughput } : {}),
        tags: (v.Tags ?? []).filter((t) => t.Key).map((t) => ({ key: t.Key!, value: t.Value ?? '' })),
        ...(attached ? { attachment: { instanceId: attached.InstanceId!, device: attached.Device! } } : {}),
      };
    } catch (err) {
      if (classifyAwsError(err) === 'CLOUD_NOT_FOUND') return null;
      return handleAwsError(err, 'DescribeVolumes');
    }
  }

  async createVolume(ref: TargetRef, input: RestoreVolumeInput): Promise<string> {
    const ec2 = await this.ec2(ref);
    const out = await this.call(
      () =>
        ec2.send(
          new CreateVolumeCommand({
            SnapshotId: input.snapshotId,
            AvailabilityZone: input.availabilityZone,
            VolumeType: input.volumeType as VolumeType,
            ...(input.iops !== undefined ? { Iops: input.iops } : {}),
            ...(input.throughput !== undefined ? { Throughput: input.throughput } : {}),
            ...(input.tags.length > 0
              ? { TagSpecifications: [{ ResourceType: 'volume' as const, Tags: sdkTags(input.tags) }] }
              : {}),
          }),
        ),
      'CreateVolume',
    );
    const volumeId = out.VolumeId;
    if (!volumeId)
      throw new TallyError('CLOUD_FAILED', 'AWS CreateVolume returned no volume id', {
        metadata: { operation: 'CreateVolume', awsCode: 'NoVolumeId' },
      });
    await this.wait(
      () => waitUntilVolumeAvailable({ client: ec2, maxWaitTime: this.volumeWait }, { VolumeIds: [volumeId] }),
      'CreateVolume',
    );
    return volumeId;
  }

  async findVolume(ref: TargetRef, tag: Tag): Promise<string | null> {
    const ec2 = await this.ec2(ref);
    const out = await this.call(
      () => ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: `tag:${tag.key}`, Values: [tag.value] }] })),
      'DescribeVolumes',
    );
    const found = out.Volumes?.find((v) => v.VolumeId && v.State !== 'deleting' && v.State !== 'deleted');
    return found?.VolumeId ?? null;
  }

  async attachVolume(ref: TargetRef, volumeId: string, attachment: VolumeAttachment): Promise<void> {
    const ec2 = await this.ec2(ref);
    const attach = new AttachVolumeCommand({
      VolumeId: volumeId,
      InstanceId: attachment.instanceId,
      Device: attachment.device,
    });
    await this.call(() => ec2.send(attach), 'AttachVolume');
    await this.wait(
      () => waitUntilVolumeInUse({ client: ec2, maxWaitTime: this.volumeWait }, { VolumeIds: [volumeId] }),
      'AttachVolume',
    );
  }

  async recoverAddress(
    ref: TargetRef,
    input: { publicIp: string; networkBorderGroup?: string; tags: Tag[] },
  ): Promise<string> {
    const ec2 = await this.ec2(ref);
    const out = await this.call(
      () =>
        ec2.send(
          new AllocateAddressCommand({
            Domain: 'vpc',
            Address: input.publicIp,
            ...(input.networkBorderGroup ? { NetworkBorderGroup: input.networkBorderGroup } : {}),
            ...(input.tags.length > 0
              ? { TagSpecifications: [{ ResourceType: 'elastic-ip' as const, Tags: sdkTags(input.tags) }] }
              : {}),
          }),
        ),
      'AllocateAddress',
    );
    if (!out.AllocationId || (out.PublicIp && out.PublicIp !== input.publicIp))
      throw new TallyError('CLOUD_FAILED', `AWS did not give ${input.publicIp} back`, {
        metadata: { operation: 'AllocateAddress', awsCode: 'AddressNotRecovered' },
      });
    return out.AllocationId;
  }

  private async call<T>(send: () => Promise<T>, operation: string): Promise<T> {
    try {
      return await send();
    } catch (err) {
      return handleAwsError(err, operation);
    }
  }

  private async wait(waiter: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await waiter();
    } catch (err) {
      const awsCode = err instanceof Error && err.name === 'TimeoutError' ? 'WaiterTimeout' : 'WaiterFailed';
      throw new TallyError('CLOUD_FAILED', `${what} did not reach the expected state`, {
        cause: err,
        metadata: { operation: `wait ${what}`, awsCode },
      });
    }
  }
}
