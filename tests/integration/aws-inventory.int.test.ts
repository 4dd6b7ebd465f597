// AwsEc2Inventory against moto. moto is shared with other test files and never reset here: this
// file seeds its own resources in its own region and asserts only on the ids it created.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../adapters/aws/aws-clients.js';
import { AwsEc2Inventory } from '../../adapters/aws/aws-ec2.inventory.js';
import { fixedClock } from '../../src/shared/clock.js';
import { type AwsProxy, startAwsProxy } from '../support/aws-proxy.js';
import {
  allocateAddress,
  associateAddress,
  attachVolume,
  awsTestConfig,
  createVolume,
  MOTO_ACCOUNT_ID,
  putCpu,
  runInstance,
  stopInstanceNow,
  terminateInstance,
} from '../support/moto.js';
import { awsEndpoint } from '../support/services.js';

const REGION = 'eu-west-3';
const HOUR = 3_600_000;
const DAY = 86_400_000;
const endpoint = awsEndpoint();
/** "Now" for the CPU window: on an hour boundary plus 20 minutes, so points at whole hours are clearly inside. */
const now = new Date(Math.floor(Date.now() / HOUR) * HOUR + 20 * 60_000);
const topOfHour = Math.floor(now.getTime() / HOUR) * HOUR;
const hoursAgo = (h: number) => new Date(topOfHour - h * HOUR);

let inventory: AwsEc2Inventory;
const ids = { web: '', batch: '', gone: '', quiet: '', data: '', attached: '', freeIp: '', usedIp: '' };
/** CPU seeded for `web`: 48 hourly points (1 h … 48 h ago), plus one 10 days ago, outside a 7-day window. */
const webCpu = Array.from({ length: 48 }, (_, k) => ({ at: hoursAgo(k + 1), value: ((k * 37) % 90) + 0.5 }));
/** CPU seeded for `batch`: three points spread over about four days. */
const batchCpu = [
  { at: hoursAgo(100), value: 80 },
  { at: hoursAgo(60), value: 12.25 },
  { at: hoursAgo(5), value: 3 },
];

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  inventory = new AwsEc2Inventory(createAwsClients(awsTestConfig(endpoint)), { clock: fixedClock(now) });
  ids.web = await runInstance(endpoint, REGION, { instanceType: 't3.large', tags: { Name: 'web-1', env: 'prod' } });
  ids.batch = await runInstance(endpoint, REGION, { instanceType: 'm5.xlarge', tags: { team: 'data' } });
  ids.gone = await runInstance(endpoint, REGION, { instanceType: 't3.micro' });
  ids.quiet = await runInstance(endpoint, REGION, { instanceType: 't3.nano' });
  await stopInstanceNow(endpoint, REGION, ids.batch);
  await terminateInstance(endpoint, REGION, ids.gone);
  ids.data = await createVolume(endpoint, REGION, { sizeGiB: 100, volumeType: 'st1', tags: { Name: 'data-1' } });
  ids.attached = await createVolume(endpoint, REGION, { sizeGiB: 20, volumeType: 'gp3', tags: { env: 'prod' } });
  await attachVolume(endpoint, REGION, ids.attached, ids.web);
  ids.freeIp = await allocateAddress(endpoint, REGION, { tags: { Name: 'spare-ip' } });
  ids.usedIp = await allocateAddress(endpoint, REGION);
  await associateAddress(endpoint, REGION, ids.usedIp, ids.web);
  await putCpu(endpoint, REGION, ids.web, [...webCpu, { at: hoursAgo(240), value: 99 }]);
  await putCpu(endpoint, REGION, ids.batch, batchCpu);
});

afterAll(() => {
  vi.unstubAllEnvs();
});

/** Expected statistics computed from the seeded values, independently of the adapter. */
function expectedStats(points: { at: Date; value: number }[]) {
  const values = points.map((p) => p.value);
  const times = points.map((p) => p.at.getTime());
  return {
    average: values.reduce((a, b) => a + b, 0) / values.length,
    peak: Math.max(...values),
    points: values.length,
    days: Math.max(1, Math.ceil((Math.max(...times) - Math.min(...times)) / DAY)),
  };
}

describe('AwsEc2Inventory on moto', () => {
  it("reads the account id from STS (moto's fixed account)", async () => {
    expect(await inventory.accountId()).toBe(MOTO_ACCOUNT_ID);
    expect(await inventory.accountId()).toBe(MOTO_ACCOUNT_ID);
  });

  it('lists instances that are not terminated, with type, state, tags and name', async () => {
    const instances = await inventory.instances(REGION);
    const mine = new Map(instances.map((i) => [i.id, i]));
    expect(mine.get(ids.web)).toMatchObject({
      resourceType: 'instance',
      instanceType: 't3.large',
      state: 'running',
      name: 'web-1',
    });
    expect(mine.get(ids.web)?.tags).toEqual(
      expect.arrayContaining([
        { key: 'Name', value: 'web-1' },
        { key: 'env', value: 'prod' },
      ]),
    );
    expect(mine.get(ids.web)?.launchTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(mine.get(ids.batch)).toMatchObject({
      instanceType: 'm5.xlarge',
      state: 'stopped',
      tags: [{ key: 'team', value: 'data' }],
    });
    expect(mine.get(ids.batch)?.name).toBeUndefined();
    expect(mine.has(ids.quiet)).toBe(true);
    expect(mine.has(ids.gone)).toBe(false);
    expect(instances.every((i) => i.state !== 'terminated')).toBe(true);
  });

  it('lists volumes with size, type, state, attachment and tags', async () => {
    const volumes = new Map((await inventory.volumes(REGION)).map((v) => [v.id, v]));
    expect(volumes.get(ids.data)).toMatchObject({
      resourceType: 'volume',
      sizeGiB: 100,
      volumeType: 'st1',
      state: 'available',
      attachedTo: [],
      tags: [{ key: 'Name', value: 'data-1' }],
      name: 'data-1',
    });
    expect(volumes.get(ids.attached)).toMatchObject({
      sizeGiB: 20,
      volumeType: 'gp3',
      state: 'in-use',
      attachedTo: [ids.web],
      tags: [{ key: 'env', value: 'prod' }],
    });
    expect(volumes.get(ids.attached)?.name).toBeUndefined();
  });

  it('lists Elastic IPs with their association', async () => {
    const addresses = new Map((await inventory.addresses(REGION)).map((a) => [a.id, a]));
    const free = addresses.get(ids.freeIp);
    expect(free).toMatchObject({
      resourceType: 'address',
      name: 'spare-ip',
      tags: [{ key: 'Name', value: 'spare-ip' }],
    });
    expect(free?.publicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(free?.associationId).toBeUndefined();
    expect(free?.instanceId).toBeUndefined();
    const used = addresses.get(ids.usedIp);
    expect(used?.associationId).toMatch(/^eipassoc-/);
    expect(used?.instanceId).toBe(ids.web);
    expect(used?.tags).toEqual([]);
  });

  it('computes CPU average, peak, points and days from the hourly values in the window', async () => {
    const cpu = await inventory.cpu(REGION, [ids.web, ids.batch, ids.quiet], 7);
    const web = expectedStats(webCpu);
    expect(web.days).toBe(2); // 47 hours between the first and the last point
    expect(cpu.get(ids.web)?.average).toBeCloseTo(web.average, 9);
    expect(cpu.get(ids.web)).toMatchObject({ peak: web.peak, points: web.points, days: web.days });
    const batch = expectedStats(batchCpu);
    expect(cpu.get(ids.batch)?.average).toBeCloseTo(batch.average, 9);
    expect(cpu.get(ids.batch)).toMatchObject({ peak: 80, points: 3, days: 4 });
    expect(cpu.has(ids.quiet)).toBe(false);
    expect(cpu.size).toBe(2);
  });

  it('splits more than 500 instances over several GetMetricData calls', async () => {
    let proxy: AwsProxy | undefined;
    try {
      proxy = await startAwsProxy(endpoint);
      const viaProxy = new AwsEc2Inventory(createAwsClients(awsTestConfig(proxy.url)), { clock: fixedClock(now) });
      const unknown = Array.from({ length: 500 }, (_, k) => `i-${k.toString(16).padStart(17, '0')}`);
      const cpu = await viaProxy.cpu(REGION, [...unknown, ids.web], 1);
      // A 1-day window starting on the hour 24 h before `now`'s hour: the points 1 h … 24 h ago.
      const inWindow = webCpu.filter((p) => p.at.getTime() >= topOfHour - 24 * HOUR);
      expect(inWindow).toHaveLength(24);
      const expected = expectedStats(inWindow);
      expect(cpu.get(ids.web)?.average).toBeCloseTo(expected.average, 9);
      expect(cpu.get(ids.web)).toMatchObject({ peak: expected.peak, points: 24, days: 1 });
      expect(cpu.size).toBe(1);
      expect(proxy.counts('GetMetricData')).toBe(2);
    } finally {
      await proxy?.close();
    }
  });

  it('returns an empty map without asking CloudWatch when there is nothing to ask', async () => {
    expect((await inventory.cpu(REGION, [], 7)).size).toBe(0);
  });
});
