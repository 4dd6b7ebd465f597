// The database stops during an execution's cloud call (docs/architecture.md#execution): real BullMQ on Redis, EC2 in
// moto behind a proxy that holds the StopInstances call, and the approval store and audit log in process behind a
// wrapper that fails every call while the database is "down", as the MongoDB repositories do. The job fails, the
// approval stays EXECUTING; once the database is back, a reconcile pass finds it without a job and resumes it: it
// ends SUCCEEDED, the instance was stopped once, every step is in the audit trail and the requester is told.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../adapters/memory/memory-audit.log.js';
import { jobIds, QUEUES } from '../../jobs/queues.js';
import type { Workers } from '../../jobs/worker-registry.js';
import type { AuditLog } from '../../src/audit/audit.types.js';
import { type ApprovalRuntime, createApprovalRuntime } from '../../src/bootstrap/approvals.js';
import type { ApprovalCommand } from '../../src/commands/command.types.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { loadConfig } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy.js';
import { systemClock } from '../../src/shared/clock.js';
import { TallyError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { OutageApprovalRepository } from '../support/approval-fakes.js';
import { dropPrefix, PEOPLE_YAML, SLACK_IDS, slackUser } from '../support/approval-runtime.js';
import { type AwsProxy, startAwsProxy } from '../support/aws-proxy.js';
import { testCostRepository } from '../support/cost-store.js';
import { instanceState, runInstance } from '../support/moto.js';
import { RecordingMessenger } from '../support/recording-messenger.js';
import { awsEndpoint, redisUrl, uniqueName } from '../support/services.js';

const REGION = 'ap-northeast-3';
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
const store = new OutageApprovalRepository(new MemoryApprovalRepository());
const memoryAudit = new MemoryAuditLog();
/** The audit log lives in the same database: it fails while the store is down. */
const audit: AuditLog = {
  append: (entry) =>
    store.down
      ? Promise.reject(new TallyError('STORE_UNAVAILABLE', 'The data store failed during audit.append.'))
      : memoryAudit.append(entry),
  list: (query) => memoryAudit.list(query),
};
const messenger = new RecordingMessenger();

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
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

describe('the database stops during the cloud call of an execution', () => {
  it('is resumed by the reconciler once it is back: SUCCEEDED, stopped once, every step audited, requester told', async () => {
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
    store.down = true;
    proxy.release('StopInstances');
    const executeQueue = queue(QUEUES.execute);
    await vi.waitFor(async () => expect(await executeQueue.getJobState(jobIds.execute(id))).toBe('failed'), {
      timeout: 20_000,
      interval: 50,
    });
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');

    // The database is back: the approval was left EXECUTING, with the stop's intent in the trail.
    store.down = false;
    expect((await store.get(id))?.state).toBe('EXECUTING');
    const trailAtOutage = await memoryAudit.list({ approvalId: id });
    expect(trailAtOutage.at(-1)).toMatchObject({ event: 'execution.intent', what: `stopping ${instance}` });

    // The next pass (the schedule's, or this one) resumes it.
    await reconcileQueue.add('reconcile', {});
    await vi.waitFor(async () => expect((await store.get(id))?.state).toBe('SUCCEEDED'), {
      timeout: 30_000,
      interval: 50,
    });

    const done = (await store.get(id))!;
    expect(done.execution?.attempts).toBe(2);
    expect(proxy.forwarded.filter((r) => r.action === 'StopInstances' && isRealStop(r.body))).toHaveLength(1);
    const trail = (await memoryAudit.list({ approvalId: id }))
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
