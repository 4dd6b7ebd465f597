// AwsEc2Actions against moto, through the recording proxy. moto is shared with other test
// files and never reset here: this file creates its own resources in its own region and asserts only on them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../adapters/aws/aws-clients.js';
import { AwsEc2Actions } from '../../adapters/aws/aws-ec2.actions.js';
import type { TargetRef } from '../../src/actions/action.types.js';
import { TallyError } from '../../src/shared/errors.js';
import { type AwsProxy, startAwsProxy } from '../support/aws-proxy.js';
import {
  addressExists,
  allocateAddress,
  awsTestConfig,
  createVolume,
  instanceState,
  instanceType,
  MOTO_ACCOUNT_ID,
  runInstance,
  snapshotsOf,
  stopInstanceNow,
  terminateInstance,
  volumeExists,
} from '../support/moto.js';
import { awsEndpoint } from '../support/services.js';

const REGION = 'eu-north-1';
const endpoint = awsEndpoint();
let proxy: AwsProxy;
let actions: AwsEc2Actions;

const ref = (resourceType: TargetRef['resourceType'], resourceId: string): TargetRef => ({
  provider: 'AWS',
  accountId: MOTO_ACCOUNT_ID,
  region: REGION,
  resourceType,
  resourceId,
});

/** The TallyError a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<TallyError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TallyError);
  return err as TallyError;
}

/** Requests for `action` the proxy saw that carried `DryRun=true`, and those that did not. */
function sent(action: string) {
  const all = proxy.requests.filter((r) => r.action === action);
  return {
    dry: all.filter((r) => /DryRun=true/.test(r.body)).length,
    real: all.filter((r) => !/DryRun=true/.test(r.body)).length,
  };
}

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  proxy = await startAwsProxy(endpoint);
  actions = new AwsEc2Actions(createAwsClients(awsTestConfig(proxy.url)), {
    instanceWaitSeconds: 30,
    snapshotWaitSeconds: 30,
  });
});

afterAll(async () => {
  await proxy?.close();
  vi.unstubAllEnvs();
});

describe('AwsEc2Actions.describe', () => {
  it('describes an instance, a volume and an address as they are now', async () => {
    const id = await runInstance(endpoint, REGION, { instanceType: 't3.large', tags: { Name: 'api-1' } });
    const vol = await createVolume(endpoint, REGION, { sizeGiB: 50, volumeType: 'gp2' });
    const eip = await allocateAddress(endpoint, REGION, { tags: { owner: 'ops' } });
    expect(await actions.describe(ref('instance', id))).toMatchObject({
      resourceType: 'instance',
      id,
      instanceType: 't3.large',
      state: 'running',
      name: 'api-1',
    });
    expect(await actions.describe(ref('volume', vol))).toMatchObject({
      id: vol,
      sizeGiB: 50,
      state: 'available',
      attachedTo: [],
    });
    expect(await actions.describe(ref('address', eip))).toMatchObject({
      id: eip,
      tags: [{ key: 'owner', value: 'ops' }],
    });
  });

  it('returns null for resources that do not exist or are terminated', async () => {
    const id = await runInstance(endpoint, REGION);
    await terminateInstance(endpoint, REGION, id);
    expect(await actions.describe(ref('instance', id))).toBeNull();
    expect(await actions.describe(ref('instance', 'i-0000000000000dead'))).toBeNull();
    expect(await actions.describe(ref('volume', 'vol-0000000000000dead'))).toBeNull();
    expect(await actions.describe(ref('address', 'eipalloc-0000000000dead'))).toBeNull();
  });
});

describe('AwsEc2Actions.dryRun', () => {
  it('permits every kind of action without changing anything (moto honours DryRun on all four calls)', async () => {
    const running = await runInstance(endpoint, REGION, { instanceType: 't3.large' });
    const stopped = await runInstance(endpoint, REGION, { instanceType: 'm5.large' });
    await stopInstanceNow(endpoint, REGION, stopped);
    const vol = await createVolume(endpoint, REGION, { sizeGiB: 8 });
    const eip = await allocateAddress(endpoint, REGION);
    const before = { stop: sent('StopInstances'), modify: sent('ModifyInstanceAttribute') };

    expect(await actions.dryRun('stop_instance', ref('instance', running), {})).toEqual({ ok: true });
    expect(await actions.dryRun('resize_instance', ref('instance', running), { instanceType: 't3.small' })).toEqual({
      ok: true,
    });
    expect(await actions.dryRun('resize_instance', ref('instance', stopped), { instanceType: 'm5.xlarge' })).toEqual({
      ok: true,
    });
    expect(await actions.dryRun('delete_volume', ref('volume', vol), {})).toEqual({ ok: true });
    expect(await actions.dryRun('release_address', ref('address', eip), {})).toEqual({ ok: true });

    // A running instance is pre-checked with StopInstances, a stopped one with ModifyInstanceAttribute; all dry.
    expect(sent('StopInstances')).toEqual({ dry: before.stop.dry + 2, real: before.stop.real });
    expect(sent('ModifyInstanceAttribute')).toEqual({ dry: before.modify.dry + 1, real: before.modify.real });
    expect(await instanceState(endpoint, REGION, running)).toBe('running');
    expect(await instanceType(endpoint, REGION, running)).toBe('t3.large');
    expect(await instanceState(endpoint, REGION, stopped)).toBe('stopped');
    expect(await instanceType(endpoint, REGION, stopped)).toBe('m5.large');
    expect(await volumeExists(endpoint, REGION, vol)).toBe(true);
    expect(await snapshotsOf(endpoint, REGION, vol)).toEqual([]);
    expect(await addressExists(endpoint, REGION, eip)).toBe(true);
  });

  it('answers INVALID for a resize without a type or of a missing instance', async () => {
    const id = await runInstance(endpoint, REGION);
    expect(await actions.dryRun('resize_instance', ref('instance', id), {})).toMatchObject({
      ok: false,
      reason: 'INVALID',
    });
    expect(
      await actions.dryRun('resize_instance', ref('instance', 'i-0000000000000dead'), { instanceType: 't3.small' }),
    ).toMatchObject({ ok: false, reason: 'INVALID' });
  });
});

describe('AwsEc2Actions on instances', () => {
  it('stops an instance and waits until it is stopped, then starts it again', async () => {
    const id = await runInstance(endpoint, REGION);
    await actions.stopInstance(ref('instance', id));
    expect(await instanceState(endpoint, REGION, id)).toBe('stopped');
    await actions.startInstance(ref('instance', id));
    expect(await instanceState(endpoint, REGION, id)).toBe('running');
  });

  it('refuses to change the type of a running instance without calling ModifyInstanceAttribute', async () => {
    const id = await runInstance(endpoint, REGION, { instanceType: 't3.large' });
    const modifies = sent('ModifyInstanceAttribute').real;
    const err = await rejection(actions.modifyInstanceType(ref('instance', id), 't3.small'));
    expect(err.code).toBe('CLOUD_FAILED');
    expect(err.metadata.awsCode).toBe('IncorrectInstanceState');
    expect(sent('ModifyInstanceAttribute').real).toBe(modifies);
    expect(await instanceType(endpoint, REGION, id)).toBe('t3.large');
  });

  it('resizes: stop, change the type, start', async () => {
    const id = await runInstance(endpoint, REGION, { instanceType: 't3.large' });
    const target = ref('instance', id);
    await actions.stopInstance(target);
    await actions.modifyInstanceType(target, 't3.medium');
    await actions.startInstance(target);
    expect(await instanceType(endpoint, REGION, id)).toBe('t3.medium');
    expect(await instanceState(endpoint, REGION, id)).toBe('running');
    expect(await actions.describe(target)).toMatchObject({ instanceType: 't3.medium', state: 'running' });
  });

  it('reports a missing instance as CLOUD_NOT_FOUND', async () => {
    expect((await rejection(actions.stopInstance(ref('instance', 'i-0000000000000dead')))).code).toBe(
      'CLOUD_NOT_FOUND',
    );
    expect((await rejection(actions.modifyInstanceType(ref('instance', 'i-0000000000000dead'), 't3.small'))).code).toBe(
      'CLOUD_NOT_FOUND',
    );
  });
});

describe('AwsEc2Actions on volumes and addresses', () => {
  it('snapshots a volume with tags, finds the snapshot by tag, then deletes the volume', async () => {
    const vol = await createVolume(endpoint, REGION, { sizeGiB: 30, tags: { Name: 'old-data' } });
    const target = ref('volume', vol);
    const tag = { key: 'tally:approval', value: 'apr_123' };
    expect(await actions.findSnapshot(target, tag)).toBeNull();
    const snapshotId = await actions.createSnapshot(target, { description: 'before delete', tags: [tag] });
    expect(snapshotId).toMatch(/^snap-/);
    expect(await snapshotsOf(endpoint, REGION, vol)).toEqual([
      { id: snapshotId, state: 'completed', tags: { 'tally:approval': 'apr_123' } },
    ]);
    expect(await actions.findSnapshot(target, tag)).toBe(snapshotId);
    expect(await actions.findSnapshot(target, { key: 'tally:approval', value: 'apr_other' })).toBeNull();
    // What the check after the action reads: the snapshot's state; none for an id EC2 does not know.
    expect(await actions.snapshotState(target, snapshotId)).toBe('completed');
    expect(await actions.snapshotState(target, 'snap-0000000000000dead')).toBeNull();
    await actions.deleteVolume(target);
    expect(await volumeExists(endpoint, REGION, vol)).toBe(false);
    expect(await actions.describe(target)).toBeNull();
    expect((await rejection(actions.deleteVolume(target))).code).toBe('CLOUD_NOT_FOUND');
  });

  it('releases an Elastic IP', async () => {
    const eip = await allocateAddress(endpoint, REGION);
    await actions.releaseAddress(ref('address', eip));
    expect(await addressExists(endpoint, REGION, eip)).toBe(false);
    expect(await actions.describe(ref('address', eip))).toBeNull();
    expect((await rejection(actions.releaseAddress(ref('address', eip)))).code).toBe('CLOUD_NOT_FOUND');
  });
});

describe('the AWS proxy', () => {
  it('counts forwarded requests and holds an action until released', async () => {
    const id = await runInstance(endpoint, REGION);
    const stops = proxy.counts('StopInstances');
    const arrivals = proxy.requests.filter((r) => r.action === 'StopInstances').length;
    proxy.hold('StopInstances');
    const stopping = actions.stopInstance(ref('instance', id));
    await proxy.waitFor('StopInstances', arrivals + 1);
    expect(proxy.held('StopInstances')).toBe(1);
    expect(proxy.counts('StopInstances')).toBe(stops);
    expect(await instanceState(endpoint, REGION, id)).toBe('running');
    proxy.release('StopInstances');
    await stopping;
    expect(proxy.counts('StopInstances')).toBe(stops + 1);
    expect(await instanceState(endpoint, REGION, id)).toBe('stopped');
    expect(proxy.counts('DescribeInstances')).toBeGreaterThan(0);
  });

  it('drops a held request whose client went away', async () => {
    const id = await runInstance(endpoint, REGION);
    const stops = proxy.counts('StopInstances');
    proxy.hold('StopInstances');
    const aborted = new AbortController();
    const pending = fetch(proxy.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=StopInstances&Version=2016-11-15&InstanceId.1=${id}`,
      signal: aborted.signal,
    }).catch(() => 'aborted');
    await vi.waitFor(() => expect(proxy.held('StopInstances')).toBe(1));
    aborted.abort();
    expect(await pending).toBe('aborted');
    await vi.waitFor(() => expect(proxy.held('StopInstances')).toBe(0));
    proxy.release('StopInstances');
    expect(proxy.counts('StopInstances')).toBe(stops);
    expect(await instanceState(endpoint, REGION, id)).toBe('running');
  });
});
