// Seeding helpers for member accounts in moto (README "Every account"): moto accepts AssumeRole into any account id
// and keeps the resources created with the returned credentials in that account. They talk to moto with the SDK
// directly, not through Tally's adapters.

import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

/** A random 12-digit account id, so that runs sharing moto do not see each other's resources. */
export function randomAccountId(): string {
  return String(200_000_000_000 + Math.floor(Math.random() * 700_000_000_000));
}

/** Credentials of `roleName` in `accountId`, from moto's STS. */
async function memberCredentials(endpoint: string, accountId: string, roleName: string): Promise<Credentials> {
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'seed' }),
  );
  sts.destroy();
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('moto AssumeRole gave no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** One member account of moto, seen through an assumed role. */
export interface MemberAccount {
  accountId: string;
  /** Launches a running instance and returns its id. */
  runInstance(instanceType: string): Promise<string>;
  /** Hourly CPU averages of `value` percent for the last `days` days. */
  putFlatCpu(instanceId: string, value: number, days: number): Promise<void>;
  /** The instance's state in this account, or undefined when the account has no such instance. */
  instanceState(instanceId: string): Promise<string | undefined>;
}

export async function memberAccount(
  endpoint: string,
  region: string,
  accountId: string,
  roleName: string,
): Promise<MemberAccount> {
  const credentials = await memberCredentials(endpoint, accountId, roleName);
  const options = { region, endpoint, credentials, maxAttempts: 1 };
  const ec2 = new EC2Client(options);
  const cloudwatch = new CloudWatchClient({ ...options, disableRequestCompression: true });
  return {
    accountId,
    async runInstance(instanceType) {
      const out = await ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          MinCount: 1,
          MaxCount: 1,
          InstanceType: instanceType as never,
        }),
      );
      const id = out.Instances?.[0]?.InstanceId;
      if (!id) throw new Error('moto RunInstances returned no instance id');
      return id;
    },
    async putFlatCpu(instanceId, value, days) {
      const now = Date.now();
      const points = Array.from({ length: days * 24 }, (_, h) => new Date(now - (h + 1) * 3_600_000));
      for (let i = 0; i < points.length; i += 500) {
        const MetricData = points.slice(i, i + 500).map((at) => ({
          MetricName: 'CPUUtilization',
          Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
          Timestamp: at,
          Value: value,
          Unit: 'Percent' as const,
        }));
        await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData }));
      }
    },
    async instanceState(instanceId) {
      const out = await ec2.send(
        new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }),
      );
      return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    },
  };
}

/** A proxy in front of moto that refuses AssumeRole into the given accounts, as STS does without a trust policy. */
export interface StsDenyProxy {
  url: string;
  /** AssumeRole calls refused so far. */
  refused: number;
  close(): Promise<void>;
}

export async function startStsDenyProxy(targetEndpoint: string, deniedAccounts: string[]): Promise<StsDenyProxy> {
  const target = new URL(targetEndpoint);
  const state = { refused: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = new URLSearchParams(body.toString('utf8'));
      const role = params.get('RoleArn') ?? '';
      if (params.get('Action') === 'AssumeRole' && deniedAccounts.some((a) => role.includes(`::${a}:`))) {
        state.refused++;
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/test is not authorized to perform: sts:AssumeRole on resource: ${role}</Message></Error><RequestId>deny-${state.refused}</RequestId></ErrorResponse>`,
        );
        return;
      }
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`sts-deny-proxy: ${err.message}`);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get refused() {
      return state.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
