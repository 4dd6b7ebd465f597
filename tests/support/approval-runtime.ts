import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../adapters/memory/memory-audit.log.js';
import type { Workers } from '../../jobs/worker-registry.js';
import type { Approval, ApprovalState, Identity } from '../../src/approvals/approval.types.js';
import {
  type ApprovalRuntime,
  type ApprovalRuntimeOptions,
  createApprovalRuntime,
} from '../../src/bootstrap/approvals.js';
import type { ApprovalCommand } from '../../src/commands/command.types.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { loadConfig } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy.js';
import { type Clock, systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { testCostRepository } from './cost-store.js';
import { RecordingMessenger } from './recording-messenger.js';
import { redisUrl, uniqueName } from './services.js';

/** The people of the test policies: Slack ids by name. */
export const SLACK_IDS = {
  rita: 'U0RITA',
  alice: 'U0ALICE',
  bob: 'U0BOB',
  carol: 'U0CAROL',
  dave: 'U0DAVE',
  mallory: 'U0MALLORY',
} as const;

export const PEOPLE_YAML = `
  people:
    rita: { name: Rita Requester, slack: U0RITA }
    alice: { name: Alice, slack: U0ALICE }
    bob: { name: Bob, slack: U0BOB }
    carol: { name: Carol, slack: U0CAROL }
    dave: { name: Dave, slack: U0DAVE }
`;

export const slackUser = (name: keyof typeof SLACK_IDS): Identity => ({ platform: 'slack', id: SLACK_IDS[name] });

/** One Tally approval runtime on memory stores, real BullMQ (Redis) and the given AWS endpoint (moto or its proxy). */
export interface TestRuntime {
  runtime: ApprovalRuntime;
  approvals: MemoryApprovalRepository;
  audit: MemoryAuditLog;
  messenger: RecordingMessenger;
  prefix: string;
  connection: Redis;
  workers: Workers | null;
  startWorkers(): Promise<void>;
  /** Runs a command of the command language as a Slack user in channel C0OPS. */
  run(text: string, as: keyof typeof SLACK_IDS): Promise<Reply>;
  vote(id: string, as: keyof typeof SLACK_IDS, decision?: 'approve' | 'reject', reason?: string): Promise<Reply>;
  /** Proposes and returns the new approval id. */
  propose(text: string, as?: keyof typeof SLACK_IDS): Promise<string>;
  waitForState(id: string, states: ApprovalState[], timeoutMs?: number): Promise<Approval>;
  queue(name: string): Queue;
  close(): Promise<void>;
}

export interface TestRuntimeOptions {
  awsEndpoint: string;
  region: string;
  /** YAML of the `approvals:` and `guardrails:` sections (PEOPLE_YAML is added under approvals). */
  policy: string;
  prefix?: string;
  stores?: { approvals: MemoryApprovalRepository; audit: MemoryAuditLog };
  lockSeconds?: number;
  /** The clock of the approval core (timer delays, expiry, votes). @defaultValue the system clock */
  clock?: Clock;
  /** The wait of the check after an action. @defaultValue no delay between looks (moto changes state at once) */
  postCheck?: ApprovalRuntimeOptions['postCheck'];
}

export async function createTestRuntime(options: TestRuntimeOptions): Promise<TestRuntime> {
  const prefix = options.prefix ?? uniqueName('apr');
  const config = loadConfig({
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: options.awsEndpoint,
    TALLY_QUEUE_PREFIX: prefix,
    TALLY_JOB_LOCK_SECONDS: String(options.lockSeconds ?? 5),
  });
  const policy = parsePolicy(options.policy.replace('approvals:\n', `approvals:\n${PEOPLE_YAML}`)).approvals;
  const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const approvals = options.stores?.approvals ?? new MemoryApprovalRepository();
  const audit = options.stores?.audit ?? new MemoryAuditLog();
  const messenger = new RecordingMessenger();
  const runtime = await createApprovalRuntime(config, {
    stores: { approvals, audit, costs: await testCostRepository() },
    policy,
    clock: options.clock ?? systemClock,
    logger: silentLogger,
    queueConnection: connection,
    messengers: [messenger],
    postCheck: options.postCheck ?? { delay: async () => {} },
  });
  const queues: Queue[] = [];
  const t: TestRuntime = {
    runtime,
    approvals,
    audit,
    messenger,
    prefix,
    connection,
    workers: null,
    async startWorkers() {
      t.workers = await runtime.startWorkers();
    },
    async run(text, as) {
      const parsed = parseCommand(text);
      if (!parsed.ok) throw new Error(`not a command: ${text}`);
      return runtime.commands(parsed.command as ApprovalCommand, {
        user: { id: SLACK_IDS[as] },
        location: { platform: 'slack', channel: 'C0OPS' },
        text,
      });
    },
    async vote(id, as, decision = 'approve', reason) {
      return runtime.interactions!.vote({
        approvalId: id,
        voter: slackUser(as),
        decision,
        ...(reason ? { reason } : {}),
      });
    },
    async propose(text, as = 'rita') {
      const reply = await t.run(text, as);
      const id = (reply.data as { id?: string } | undefined)?.id;
      if (!id) throw new Error(`no approval was created: ${reply.title}: ${reply.text}`);
      return id;
    },
    async waitForState(id, states, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const a = await approvals.get(id);
        if (a && states.includes(a.state)) return a;
        if (Date.now() > until) throw new Error(`approval ${id} is ${a?.state}, not ${states.join('|')}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    queue(name) {
      const q = new Queue(name, { connection, prefix });
      queues.push(q);
      return q;
    },
    async close() {
      await t.workers?.close();
      await runtime.close();
      for (const q of queues) await q.close();
      connection.disconnect();
    },
  };
  return t;
}

/** Removes every key of a test prefix from Redis. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl());
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}
