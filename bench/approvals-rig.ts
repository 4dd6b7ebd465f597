import { EC2Client, RunInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { MemoryApprovalRepository } from '../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../adapters/memory/memory-audit.log.js';
import type { Workers } from '../jobs/worker-registry.js';
import type { Approval, ApprovalState } from '../src/approvals/approval.types.js';
import { type ApprovalRuntime, createApprovalRuntime } from '../src/bootstrap/approvals.js';
import type { ApprovalCommand } from '../src/commands/command.types.js';
import { parseCommand } from '../src/commands/parse-command.js';
import { loadConfig } from '../src/config/env.js';
import { parsePolicy } from '../src/config/policy.js';
import { type Clock, systemClock } from '../src/shared/clock.js';
import type { Logger } from '../src/shared/logger.port.js';
import type { Reply } from '../src/shared/reply.types.js';
import { type BenchCostStore, benchCostStore } from './bench-stores.js';
import { TimedMessenger } from './timed-messenger.js';

/** The people of the bench policy: Slack ids by policy key. Rita proposes; Alice, Bob and Carol approve. */
const PEOPLE = { rita: 'U0RITA', alice: 'U0ALICE', bob: 'U0BOB', carol: 'U0CAROL' } as const;
export type Person = keyof typeof PEOPLE;

/** The channel proposals are made in (the approval message is posted there). */
const CHANNEL = 'C0BENCH';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Timers of the bench policy, as policy-file durations (`3s`, `1h`). */
interface BenchTimers {
  remindAfter: string;
  expireAfter: string;
}

/**
 * The policy file text: every risk level needs 2 of Alice, Bob and Carol, with the given timers, one tier (so nothing
 * escalates), and a daily limit far above what the bench executes.
 */
function benchPolicy(timers: BenchTimers, changeWindows?: string): string {
  const rule = `{ approvers: [alice, bob, carol], quorum: 2, remindAfter: ${timers.remindAfter}, expireAfter: ${timers.expireAfter} }`;
  return `approvals:
  people:
${Object.entries(PEOPLE)
  .map(([key, slack]) => `    ${key}: { name: ${key[0]?.toUpperCase()}${key.slice(1)}, slack: ${slack} }`)
  .join('\n')}
  risk:
    low: ${rule}
    medium: ${rule}
    high: ${rule}
guardrails:
  dailyLimitPerAccount: 10000
${changeWindows ? `  changeWindows: ${changeWindows}\n` : ''}`;
}

/** Silent, but keeps warnings and errors: a failed job or message must not go unseen in the figures. */
export function countingLogger(problems: string[]): Logger {
  const keep = (level: string) => (obj: unknown, msg?: string) => {
    const err = (obj as { err?: unknown } | undefined)?.err;
    problems.push(`${level}: ${msg ?? ''}${err instanceof Error ? ` (${err.message})` : ''}`);
  };
  return { debug: () => {}, info: () => {}, warn: keep('warn'), error: keep('error') };
}

export interface RigOptions {
  redisUrl: string;
  awsEndpoint: string;
  region: string;
  /** TALLY_QUEUE_PREFIX of this rig. */
  prefix: string;
  timers: BenchTimers;
  logger: Logger;
  /** `guardrails.changeWindows` as YAML flow text; none: any time. */
  changeWindows?: string;
  /** The approval core's clock. @defaultValue the system clock */
  clock?: Clock;
}

/**
 * The real approval runtime of one Tally process (`createApprovalRuntime`): in-process approval and audit stores, an
 * empty cost store in a temporary folder, BullMQ on Redis, EC2 in moto, and a {@link TimedMessenger} as the chat
 * platform.
 */
export class ApprovalRig {
  readonly approvals = new MemoryApprovalRepository();
  readonly audit = new MemoryAuditLog();
  readonly messenger = new TimedMessenger();
  /** Built asynchronously (the runtime loads the AWS SDK and BullMQ on demand). */
  private readonly runtime: Promise<ApprovalRuntime>;
  /** An empty cost store in a temporary folder (the runtime needs one; the bench never reads costs). */
  private readonly costs: Promise<BenchCostStore>;
  readonly connection: Redis;
  private workers: Workers | null = null;
  private readonly queues: Queue[] = [];

  constructor(private readonly options: RigOptions) {
    const config = loadConfig({
      AWS_REGION: options.region,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL: options.awsEndpoint,
      REDIS_URL: options.redisUrl,
      TALLY_QUEUE_PREFIX: options.prefix,
    });
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.costs = benchCostStore();
    this.runtime = this.costs.then((costs) =>
      createApprovalRuntime(config, {
        stores: { approvals: this.approvals, audit: this.audit, costs: costs.costs },
        policy: parsePolicy(benchPolicy(options.timers, options.changeWindows), 'bench policy').approvals,
        clock: options.clock ?? systemClock,
        logger: options.logger,
        queueConnection: this.connection,
        messengers: [this.messenger],
      }),
    );
  }

  async startWorkers(): Promise<void> {
    this.workers = await (await this.runtime).startWorkers();
  }

  /** Proposes to stop an instance, as Rita in {@link CHANNEL}; returns the new approval's id. */
  async propose(instanceId: string): Promise<string> {
    const text = `propose stop ${instanceId} in ${this.options.region} because idle for two weeks`;
    const parsed = parseCommand(text);
    if (!parsed.ok) throw new Error(`not a command: ${text}`);
    const reply = await (await this.runtime).commands(parsed.command as ApprovalCommand, {
      user: { id: PEOPLE.rita },
      location: { platform: 'slack', channel: CHANNEL },
      text,
    });
    const id = (reply.data as { id?: string } | undefined)?.id;
    if (!id) throw new Error(`no approval was created for ${instanceId}: ${reply.title}: ${reply.text}`);
    return id;
  }

  /** An approve click by one approver, as the Slack button handler makes it. */
  async vote(approvalId: string, as: Person): Promise<Reply> {
    const interactions = (await this.runtime).interactions;
    if (!interactions) throw new Error('approvals are not available in this runtime');
    return interactions.vote({ approvalId, voter: { platform: 'slack', id: PEOPLE[as] }, decision: 'approve' });
  }

  /** Waits until every approval is in one of `states`; returns them, or throws naming how many are not. */
  async waitForAll(ids: string[], states: ApprovalState[], timeoutMs: number): Promise<Approval[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const all = await Promise.all(ids.map((id) => this.approvals.get(id)));
      const waiting = all.filter((a) => !a || !states.includes(a.state));
      if (waiting.length === 0) return all as Approval[];
      if (Date.now() > until)
        throw new Error(`${waiting.length} of ${ids.length} approvals not ${states.join('|')} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A BullMQ queue of this rig's prefix, for reading jobs; closed with the rig. */
  queue(name: string): Queue {
    const queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
    this.queues.push(queue);
    return queue;
  }

  async close(): Promise<void> {
    await this.workers?.close();
    await (await this.runtime).close();
    for (const queue of this.queues) await queue.close();
    this.connection.disconnect();
    await (await this.costs).close();
  }
}

/** Removes every Redis key under a queue prefix (`<prefix>:*`); returns how many. */
export async function dropPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl);
  let cursor = '0';
  let dropped = 0;
  try {
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) dropped += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return dropped;
}

/** The Redis server's version (from INFO), for the machine line. */
export async function redisVersion(redisUrl: string): Promise<string> {
  const redis = new Redis(redisUrl);
  try {
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

/** Launches and terminates instances in moto directly with the SDK (not through Tally's adapters). */
export class MotoInstances {
  private readonly ec2: EC2Client;

  constructor(endpoint: string, region: string) {
    this.ec2 = new EC2Client({ region, endpoint, credentials: CREDENTIALS, maxAttempts: 1 });
  }

  /** Launches `count` running t3.large instances, `batch` per RunInstances call; returns their ids. */
  async launch(count: number, batch = 100): Promise<string[]> {
    const ids: string[] = [];
    while (ids.length < count) {
      const n = Math.min(batch, count - ids.length);
      const out = await this.ec2.send(
        new RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: n, MaxCount: n, InstanceType: 't3.large' }),
      );
      const got = (out.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean);
      if (got.length !== n) throw new Error(`moto RunInstances returned ${got.length} instances, asked for ${n}`);
      ids.push(...got);
    }
    return ids;
  }

  /** Terminates the instances (moto keeps describing them as terminated). */
  async terminate(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500)
      await this.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids.slice(i, i + 500) }));
  }

  close(): void {
    this.ec2.destroy();
  }
}
