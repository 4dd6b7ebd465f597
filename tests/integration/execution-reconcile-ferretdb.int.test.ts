// The acceptance case of issue 13 with a real database: Tally's approval store and audit log on FerretDB (the MongoDB
// server of the tests, started here as a process of this file's own), BullMQ on Redis, EC2 in moto behind a proxy that
// holds StopInstances. FerretDB is killed while the stop is in flight and started again on the same port and data:
// the job fails with the store, the approval stays EXECUTING, and a reconcile pass resumes it once the database is
// back: SUCCEEDED, the instance stopped once, every step in the audit log, the requester told.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MongoApprovalRepository } from '../../adapters/mongo/mongo-approval.repository.js';
import { MongoAuditLog } from '../../adapters/mongo/mongo-audit.log.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import { jobIds, QUEUES } from '../../jobs/queues.js';
import type { Workers } from '../../jobs/worker-registry.js';
import { type ApprovalRuntime, createApprovalRuntime } from '../../src/bootstrap/approvals.js';
import type { ApprovalCommand } from '../../src/commands/command.types.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { loadConfig } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { dropPrefix, PEOPLE_YAML, SLACK_IDS, slackUser } from '../support/approval-runtime.js';
import { type AwsProxy, startAwsProxy } from '../support/aws-proxy.js';
import { testCostRepository } from '../support/cost-store.js';
import { instanceState, runInstance } from '../support/moto.js';
import { RecordingMessenger } from '../support/recording-messenger.js';
import { awsEndpoint, redisUrl, uniqueName } from '../support/services.js';

const REGION = 'ap-northeast-2';
const POLICY = `approvals:
${PEOPLE_YAML}
  risk:
    medium: { approvers: [alice, bob, carol], quorum: 2, remindAfter: 1h, escalateAfter: 2h, expireAfter: 1d }
guardrails:
  dailyLimitPerAccount: 1000
`;

const prefix = uniqueName('rec');
let proxy: AwsProxy;
let connection: Redis;
let runtime: ApprovalRuntime;
let workers: Workers | null = null;
const queues: Queue[] = [];
/** The FerretDB binary scripts/test-services.sh builds. */
const FERRETDB = join(
  process.env.TALLY_SERVICES_HOME ?? join(homedir(), '.cache', 'tally-services'),
  'bin',
  'ferretdb',
);
let ferretDir: string;
let ferretPort: number;
let ferret: ChildProcess | null = null;
let conn: Awaited<ReturnType<typeof createMongoConnection>>;
let store: MongoApprovalRepository;
let audit: MongoAuditLog;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts FerretDB on `ferretPort` over the data in `ferretDir`; resolves once it accepts connections. */
async function startFerret(): Promise<void> {
  await mkdir(join(ferretDir, 'data'), { recursive: true });
  await mkdir(join(ferretDir, 'state'), { recursive: true });
  const child = spawn(
    FERRETDB,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${ferretDir}/data/`,
      `--listen-addr=127.0.0.1:${ferretPort}`,
      `--state-dir=${ferretDir}/state`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { env: { ...process.env, DO_NOT_TRACK: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  ferret = child;
  let stderr = '';
  child.once('error', (err) => {
    stderr += `${err.message} (scripts/test-services.sh builds ${FERRETDB})`;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  while (!(await accepts(ferretPort))) {
    if (child.exitCode !== null || child.pid === undefined)
      throw new Error(`ferretdb did not start (exit ${child.exitCode}): ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills FerretDB (as a crashed or stopped database) and waits until it is gone. */
async function killFerret(): Promise<void> {
  const child = ferret;
  ferret = null;
  if (!child || child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

const messenger = new RecordingMessenger();

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  ferretDir = await mkdtemp(join(tmpdir(), 'tally-ferret-'));
  ferretPort = await freePort();
  await startFerret();
  conn = await createMongoConnection({ uri: `mongodb://127.0.0.1:${ferretPort}`, dbName: 'tally_reconcile' });
  store = await MongoApprovalRepository.create(conn);
  audit = await MongoAuditLog.create(conn);
  proxy = await startAwsProxy(awsEndpoint());
  connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const config = loadConfig({
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: proxy.url,
    TALLY_QUEUE_PREFIX: prefix,
    TALLY_JOB_LOCK_SECONDS: '5',
  });
  runtime = await createApprovalRuntime(config, {
    stores: { approvals: store, audit, costs: await testCostRepository() },
    policy: parsePolicy(POLICY).approvals,
    clock: systemClock,
    logger: silentLogger,
    queueConnection: connection,
    messengers: [messenger],
  });
  workers = await runtime.startWorkers();
});

afterAll(async () => {
  await workers?.close();
  await runtime?.close();
  for (const q of queues) await q.close();
  connection?.disconnect();
  await dropPrefix(prefix);
  await proxy?.close();
  await conn?.close(true);
  await killFerret();
  await rm(ferretDir, { recursive: true, force: true });
  vi.unstubAllEnvs();
});

function queue(name: string): Queue {
  const q = new Queue(name, { connection, prefix });
  queues.push(q);
  return q;
}

async function propose(text: string): Promise<string> {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`not a command: ${text}`);
  const reply = await runtime.commands(parsed.command as ApprovalCommand, {
    user: { id: SLACK_IDS.rita },
    location: { platform: 'slack', channel: 'C0OPS' },
    text,
  });
  const id = (reply.data as { id?: string } | undefined)?.id;
  if (!id) throw new Error(`no approval was created: ${reply.title}: ${reply.text}`);
  return id;
}

describe('FerretDB killed during the cloud call of an execution', () => {
  it('once it runs again, the reconciler resumes it: SUCCEEDED, stopped once, every step audited, requester told', async () => {
    // The schedule is installed at start: a pass every 30 s.
    const reconcileQueue = queue(QUEUES.reconcile);
    expect((await reconcileQueue.getJobSchedulers()).map((s) => [s.key, s.every])).toEqual([
      ['reconcile-executions', 30_000],
    ]);

    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large', tags: { Name: 'web-9' } });
    const isRealStop = (body: string) => body.includes(instance) && !body.includes('DryRun=true');
    proxy.hold('StopInstances', isRealStop);
    const id = await propose(`propose stop ${instance} in ${REGION} because idle for two weeks`);
    for (const voter of ['alice', 'bob'] as const)
      await runtime.interactions!.vote({ approvalId: id, voter: slackUser(voter), decision: 'approve' });

    // The stop is on its way to the cloud; the database goes down; the cloud stops the instance.
    await vi.waitFor(() => expect(proxy.held('StopInstances')).toBe(1), { timeout: 20_000, interval: 25 });
    await killFerret();
    proxy.release('StopInstances');
    const executeQueue = queue(QUEUES.execute);
    await vi.waitFor(async () => expect(await executeQueue.getJobState(jobIds.execute(id))).toBe('failed'), {
      timeout: 20_000,
      interval: 50,
    });
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');

    // The database is back: the approval was left EXECUTING, with the stop's intent in the trail.
    await startFerret();
    await vi.waitFor(async () => expect((await store.get(id))?.state).toBe('EXECUTING'), {
      timeout: 30_000,
      interval: 100,
    });
    const trailAtOutage = await audit.list({ approvalId: id });
    expect(trailAtOutage.at(-1)).toMatchObject({ event: 'execution.intent', what: `stopping ${instance}` });

    // The next pass (the schedule's, or this one) resumes it.
    await reconcileQueue.add('reconcile', {});
    await vi.waitFor(async () => expect((await store.get(id))?.state).toBe('SUCCEEDED'), {
      timeout: 60_000,
      interval: 100,
    });

    const done = (await store.get(id))!;
    expect(done.execution?.attempts).toBe(2);
    expect(proxy.forwarded.filter((r) => r.action === 'StopInstances' && isRealStop(r.body))).toHaveLength(1);
    const trail = (await audit.list({ approvalId: id }))
      .filter((e) => e.event.startsWith('execution.'))
      .map((e) => `${e.event}: ${e.what}`);
    expect(trail.filter((e) => !e.startsWith('execution.enqueued'))).toEqual([
      `execution.started: started: ${done.action.summary}`,
      'execution.step: dry run permitted',
      `execution.intent: stopping ${instance}`,
      'execution.reconciled: execution found interrupted with no job; resuming (steps done: dry run permitted)',
      `execution.resumed: resumed: ${done.action.summary}`,
      'execution.step: stopped (found done when resuming)',
      `execution.verified: confirmed: ${instance} stopped`,
      `execution.succeeded: succeeded: ${done.action.summary}`,
    ]);
    await vi.waitFor(() =>
      expect(messenger.directTo(SLACK_IDS.rita).map((m) => (m.reply.data as { state?: string }).state)).toEqual([
        'EXECUTING',
        'SUCCEEDED',
      ]),
    );
    expect(messenger.directTo(SLACK_IDS.rita)[0]?.reply.text).toContain('interrupted');
  });
});
