import {
  CreateSnapshotCommand,
  DeleteVolumeCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  ModifyInstanceAttributeCommand,
  paginateDescribeSnapshots,
  ReleaseAddressCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilSnapshotCompleted,
} from '@aws-sdk/client-ec2';
import type { ActionKind, ResourceFacts, Tag, TargetRef } from '../../src/actions/action.types.js';
import type { CloudActions, DryRunOutcome } from '../../src/approvals/execution/cloud-actions.port.js';
import type { PostCheckCloud } from '../../src/approvals/execution/post-check.port.js';
import { TallyError } from '../../src/shared/errors.js';
import type { AwsAccountClients } from './aws-accounts.js';
import type { AwsClients } from './aws-clients.js';
import { toAddressFacts, toInstanceFacts, toVolumeFacts } from './aws-ec2.mapper.js';
import { classifyAwsError, dryRunOutcomeOf, handleAwsError } from './aws-errors.js';

export interface AwsEc2ActionsOptions {
  /** Longest wait, in seconds, for an instance to reach `stopped` or `running`. @defaultValue 600 */
  instanceWaitSeconds?: number;
  /** Longest wait, in seconds, for a snapshot to complete. @defaultValue 3600 */
  snapshotWaitSeconds?: number;
}

/**
 * Tally's {@link CloudActions} on EC2: one primitive per method, each mapped to `TallyError`s by `handleAwsError`.
 * The executor orders them (stop → modify → start, snapshot → delete; docs/architecture.md#execution). Each call goes
 * to the target's account: with {@link AwsAccountClients}, through that account's clients (an assumed role for a
 * member account); with plain clients, to the credentials' own account whatever the target names.
 */
export class AwsEc2Actions implements CloudActions, PostCheckCloud {
  private readonly instanceWait: number;
  private readonly snapshotWait: number;

  constructor(
    private readonly clients: AwsClients | AwsAccountClients,
    options: AwsEc2ActionsOptions = {},
  ) {
    this.instanceWait = options.instanceWaitSeconds ?? 600;
    this.snapshotWait = options.snapshotWaitSeconds ?? 3600;
  }

  /** The EC2 client of the target's account and region. */
  private async ec2(ref: TargetRef): Promise<EC2Client> {
    const clients = 'clients' in this.clients ? await this.clients.clients(ref.accountId) : this.clients;
    return clients.ec2(ref.region);
  }

  async describe(ref: TargetRef): Promise<ResourceFacts | null> {
    const ec2 = await this.ec2(ref);
    const id = ref.resourceId;
    try {
      if (ref.resourceType === 'instance') {
        const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
        const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === id);
        return instance && instance.State?.Name !== 'terminated' ? toInstanceFacts(instance) : null;
      }
      if (ref.resourceType === 'volume') {
        const out = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
        const volume = out.Volumes?.find((v) => v.VolumeId === id);
        return volume ? toVolumeFacts(volume) : null;
      }
      const out = await ec2.send(new DescribeAddressesCommand({ AllocationIds: [id] }));
      const address = out.Addresses?.find((a) => a.AllocationId === id);
      return address ? toAddressFacts(address) : null;
    } catch (err) {
      if (classifyAwsError(err) === 'CLOUD_NOT_FOUND') return null;
      return handleAwsError(err, `Describe ${ref.resourceType}`);
    }
  }

  /**
   * Sends the action's first real call with `DryRun: true`. moto 5.2 checks `DryRun` before it
   * touches anything for all four calls used here (StopInstances, ModifyInstanceAttribute, CreateSnapshot,
   * ReleaseAddress) and answers `DryRunOperation`, without checking the resource's state; the integration test proves
   * that nothing changes. A call that *succeeds* under `DryRun` means the endpoint ignored the flag and may have acted,
   * so it is reported as a failure rather than as permission.
   */
  async dryRun(kind: ActionKind, ref: TargetRef, params: { instanceType?: string }): Promise<DryRunOutcome> {
    const ec2 = await this.ec2(ref);
    const id = ref.resourceId;
    const stop = () => ec2.send(new StopInstancesCommand({ InstanceIds: [id], DryRun: true }));
    switch (kind) {
      case 'stop_instance':
        return this.tryDryRun(stop, 'StopInstances');
      case 'resize_instance': {
        if (!params.instanceType) return { ok: false, reason: 'INVALID', message: 'No target instance type given' };
        const facts = await this.describe(ref);
        if (facts === null) return { ok: false, reason: 'INVALID', message: `Instance ${id} does not exist` };
        if (facts.resourceType === 'instance' && facts.state === 'running') {
          return this.tryDryRun(stop, 'StopInstances');
        }
        const modify = new ModifyInstanceAttributeCommand({
          InstanceId: id,
          InstanceType: { Value: params.instanceType },
          DryRun: true,
        });
        return this.tryDryRun(() => ec2.send(modify), 'ModifyInstanceAttribute');
      }
      case 'delete_volume':
        return this.tryDryRun(
          () => ec2.send(new CreateSnapshotCommand({ VolumeId: id, DryRun: true })),
          'CreateSnapshot',
        );
      case 'release_address':
        return this.tryDryRun(
          () => ec2.send(new ReleaseAddressCommand({ AllocationId: id, DryRun: true })),
          'ReleaseAddress',
        );
    }
  }

  private async tryDryRun(send: () => Promise<unknown>, operation: string): Promise<DryRunOutcome> {
    try {
      await send();
    } catch (err) {
      return dryRunOutcomeOf(err, operation);
    }
    throw new TallyError('CLOUD_FAILED', `AWS ${operation} ignored DryRun`, {
      metadata: { operation, awsCode: 'DryRunIgnored' },
    });
  }

  async stopInstance(ref: TargetRef): Promise<void> {
    const ec2 = await this.ec2(ref);
    const input = { InstanceIds: [ref.resourceId] };
    await this.call(() => ec2.send(new StopInstancesCommand(input)), 'StopInstances');
    // moto jumps straight to `stopped`; the waiter's first check is immediate.
    await this.wait(() => waitUntilInstanceStopped({ client: ec2, maxWaitTime: this.instanceWait }, input), 'Stop');
  }

  async startInstance(ref: TargetRef): Promise<void> {
    const ec2 = await this.ec2(ref);
    const input = { InstanceIds: [ref.resourceId] };
    await this.call(() => ec2.send(new StartInstancesCommand(input)), 'StartInstances');
    await this.wait(() => waitUntilInstanceRunning({ client: ec2, maxWaitTime: this.instanceWait }, input), 'Start');
  }

  /**
   * Refuses, without calling ModifyInstanceAttribute, unless the instance is `stopped`: AWS answers
   * `IncorrectInstanceState` but moto ignores the rule, so Tally checks it itself.
   */
  async modifyInstanceType(ref: TargetRef, instanceType: string): Promise<void> {
    const operation = 'ModifyInstanceAttribute';
    const facts = await this.describe(ref);
    if (facts === null) {
      throw new TallyError('CLOUD_NOT_FOUND', `Instance ${ref.resourceId} does not exist`, {
        metadata: { operation, awsCode: 'InvalidInstanceID.NotFound' },
      });
    }
    if (facts.resourceType !== 'instance' || facts.state !== 'stopped') {
      throw new TallyError('CLOUD_FAILED', `Instance ${ref.resourceId} must be stopped to change its type`, {
        metadata: {
          operation,
          awsCode: 'IncorrectInstanceState',
          state: facts.resourceType === 'instance' ? facts.state : undefined,
        },
      });
    }
    const modify = new ModifyInstanceAttributeCommand({
      InstanceId: ref.resourceId,
      InstanceType: { Value: instanceType },
    });
    const ec2 = await this.ec2(ref);
    await this.call(() => ec2.send(modify), operation);
  }

  async createSnapshot(ref: TargetRef, options: { description: string; tags: Tag[] }): Promise<string> {
    const ec2 = await this.ec2(ref);
    const tags = options.tags.map((t) => ({ Key: t.key, Value: t.value }));
    const create = new CreateSnapshotCommand({
      VolumeId: ref.resourceId,
      Description: options.description,
      // EC2 rejects a tag specification without tags.
      ...(tags.length > 0 ? { TagSpecifications: [{ ResourceType: 'snapshot' as const, Tags: tags }] } : {}),
    });
    const out = await this.call(() => ec2.send(create), 'CreateSnapshot');
    const snapshotId = out.SnapshotId;
    if (!snapshotId) {
      throw new TallyError('CLOUD_FAILED', 'AWS CreateSnapshot returned no snapshot id', {
        metadata: { operation: 'CreateSnapshot', awsCode: 'NoSnapshotId' },
      });
    }
    const input = { SnapshotIds: [snapshotId] };
    await this.wait(
      () => waitUntilSnapshotCompleted({ client: ec2, maxWaitTime: this.snapshotWait }, input),
      'Snapshot',
    );
    return snapshotId;
  }

  /** The newest snapshot of the volume carrying the tag, ignoring failed ones. */
  async findSnapshot(ref: TargetRef, tag: Tag): Promise<string | null> {
    const filters = [
      { Name: 'volume-id', Values: [ref.resourceId] },
      { Name: `tag:${tag.key}`, Values: [tag.value] },
    ];
    let best: { id: string; at: number } | null = null;
    try {
      const pages = paginateDescribeSnapshots(
        { client: await this.ec2(ref) },
        { OwnerIds: ['self'], Filters: filters },
      );
      for await (const page of pages) {
        for (const s of page.Snapshots ?? []) {
          const at = s.StartTime?.getTime() ?? 0;
          if (s.SnapshotId && s.State !== 'error' && (best === null || at > best.at)) best = { id: s.SnapshotId, at };
        }
      }
    } catch (err) {
      handleAwsError(err, 'DescribeSnapshots');
    }
    return best?.id ?? null;
  }

  /** The snapshot's state (`pending`, `completed`, `error`, …); `null` when EC2 does not know it. */
  async snapshotState(ref: TargetRef, snapshotId: string): Promise<string | null> {
    const ec2 = await this.ec2(ref);
    try {
      const out = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
      return out.Snapshots?.find((s) => s.SnapshotId === snapshotId)?.State ?? null;
    } catch (err) {
      if (classifyAwsError(err) === 'CLOUD_NOT_FOUND') return null;
      return handleAwsError(err, 'DescribeSnapshots');
    }
  }

  async deleteVolume(ref: TargetRef): Promise<void> {
    const del = new DeleteVolumeCommand({ VolumeId: ref.resourceId });
    const ec2 = await this.ec2(ref);
    await this.call(() => ec2.send(del), 'DeleteVolume');
  }

  /** Releases an Elastic IP, passing its network border group when EC2 reports one. */
  async releaseAddress(ref: TargetRef): Promise<void> {
    const ec2 = await this.ec2(ref);
    const out = await this.call(
      () => ec2.send(new DescribeAddressesCommand({ AllocationIds: [ref.resourceId] })),
      'DescribeAddresses',
    );
    const group = out.Addresses?.find((a) => a.AllocationId === ref.resourceId)?.NetworkBorderGroup;
    const release = new ReleaseAddressCommand({
      AllocationId: ref.resourceId,
      ...(group ? { NetworkBorderGroup: group } : {}),
    });
    await this.call(() => ec2.send(release), 'ReleaseAddress');
  }

  private async call<T>(send: () => Promise<T>, operation: string): Promise<T> {
    try {
      return await send();
    } catch (err) {
      return handleAwsError(err, operation);
    }
  }

  /** Runs an SDK waiter; a time-out or a failure state (e.g. `terminated` while stopping) is `CLOUD_FAILED`. */
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
