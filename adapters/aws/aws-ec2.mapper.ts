import type { Address, Instance, Tag as SdkTag, Volume } from '@aws-sdk/client-ec2';
import type { Tag } from '../../src/actions/action.types.js';
import type { AddressFacts, InstanceFacts, VolumeFacts } from '../../src/recommendations/inventory.port.js';

/** EC2 tags as Tally tags (`{ key, value }`, never a map: keys may contain `.`, which no stored document key may). */
function toTags(tags: SdkTag[] | undefined): Tag[] {
  return (tags ?? []).filter((t) => t.Key !== undefined).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

/** `{ name }` from the `Name` tag, or nothing. */
function nameOf(tags: Tag[]): { name?: string } {
  const name = tags.find((t) => t.key === 'Name')?.value;
  return name ? { name } : {};
}

/** `{ [key]: value }` when `value` is a non-empty string (moto sends `""` for absent fields), else nothing. */
function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return value ? ({ [key]: value } as { [P in K]: string }) : {};
}

function isoOf(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

export function toInstanceFacts(instance: Instance): InstanceFacts {
  const tags = toTags(instance.Tags);
  return {
    resourceType: 'instance',
    id: instance.InstanceId ?? '',
    instanceType: instance.InstanceType ?? '',
    state: instance.State?.Name ?? 'unknown',
    ...optional('launchTime', isoOf(instance.LaunchTime)),
    tags,
    ...nameOf(tags),
  };
}

export function toVolumeFacts(volume: Volume): VolumeFacts {
  const tags = toTags(volume.Tags);
  const attachedTo = (volume.Attachments ?? []).map((a) => a.InstanceId).filter((id): id is string => Boolean(id));
  return {
    resourceType: 'volume',
    id: volume.VolumeId ?? '',
    sizeGiB: volume.Size ?? 0,
    volumeType: volume.VolumeType ?? '',
    state: volume.State ?? 'unknown',
    ...optional('createdAt', isoOf(volume.CreateTime)),
    attachedTo,
    tags,
    ...nameOf(tags),
  };
}

/** An Elastic IP; its id is the allocation id (addresses without one, EC2-Classic, are skipped by callers). */
export function toAddressFacts(address: Address): AddressFacts {
  const tags = toTags(address.Tags);
  return {
    resourceType: 'address',
    id: address.AllocationId ?? '',
    publicIp: address.PublicIp ?? '',
    ...optional('associationId', address.AssociationId),
    ...optional('instanceId', address.InstanceId),
    ...optional('networkBorderGroup', address.NetworkBorderGroup),
    tags,
    ...nameOf(tags),
  };
}
