// End-to-end approval tests run Tally as real processes (`tally start`, `tally worker`, `tally ask`) that share one
// MongoDB database (FerretDB), one queue prefix in Redis and moto, exactly as a deployment would. This file gives a
// test that shared world: the common environment, the policy file, read access to the same database (to poll states
// and read the audit log), `tally worker` processes, and the cleanup of everything it made.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { MongoApprovalRepository } from '../../adapters/mongo/mongo-approval.repository.js';
import { MongoAuditLog } from '../../adapters/mongo/mongo-audit.log.js';
import { createMongoConnection } from '../../adapters/mongo/mongo-connection.js';
import type { Approval, ApprovalState } from '../../src/approvals/approval.types.js';
import { dropPrefix, PEOPLE_YAML } from './approval-runtime.js';
import { putCpu, runInstance, terminateInstance } from './moto.js';
import { type CliResult, runCli, TALLY_BIN, TEST_DATA_DIR } from './run-cli.js';
import { awsEndpoint, mongoUrl, redisUrl, uniqueName } from './services.js';

const HOUR_MS = 3_600_000;
/** CPU points per PutMetricData call, small enough to stay under the SDK's request compression threshold. */
const CPU_BATCH = 40;

/**
 * Polls `probe` every `intervalMs` until it returns something other than `undefined`, `null` or `false`, and
 * resolves with that. Rejects after `timeoutMs` naming `what` (and the last error `probe` threw, if any); `what`
 * may be a function, called at the timeout, to describe the last state seen.
 */
export async function waitUntil<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string | (() => string),
  timeoutMs = 20_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      const described = typeof what === 'string' ? what : what();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Launches an instance in moto and gives it `days` days of hourly CPU averages between 0.5% and 2% (whole hours
 * before now), so that the idle-instance rule recommends stopping it.
 */
export async function seedIdleInstance(
  endpoint: string,
  region: string,
  options: { instanceType?: string; days?: number } = {},
): Promise<string> {
  const id = await runInstance(endpoint, region, options.instanceType ? { instanceType: options.instanceType } : {});
  const topOfHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const hours = (options.days ?? 14) * 24;
  const points = Array.from({ length: hours }, (_, k) => ({
    at: new Date(topOfHour - (k + 1) * HOUR_MS),
    value: 0.5 + (k % 4) * 0.5,
  }));
  // Small batches: the SDK gzips a PutMetricData body over 10 KiB, which moto fails to read (HTTP 500).
  for (let i = 0; i < points.length; i += CPU_BATCH) await putCpu(endpoint, region, id, points.slice(i, i + CPU_BATCH));
  return id;
}

/** A `tally worker` process. */
export interface WorkerProcess {
  pid: number;
  /** Everything it wrote to stdout and stderr so far (JSON log lines). */
  output(): string;
  /** Sends `signal` and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM (a graceful stop), then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

/** Starts `tally worker` with a clean environment plus `env`, and waits until it logs "worker started". */
export async function startWorkerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<WorkerProcess> {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [TALLY_BIN, 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TALLY_DATA_DIR: TEST_DATA_DIR,
      ...env,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (d: Buffer) => {
    output += d.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals) => {
    if (!running()) return;
    child.kill(signal);
    await exited;
  };
  try {
    await waitUntil(
      () => {
        if (!running()) throw new Error(`tally worker exited (${child.exitCode ?? child.signalCode}):\n${output}`);
        return output.includes('"msg":"worker started"');
      },
      'tally worker to start',
      timeoutMs,
    );
  } catch (err) {
    await kill('SIGKILL');
    throw new Error(`${String(err)}\n${output}`);
  }
  return {
    pid: child.pid ?? 0,
    output: () => output,
    kill,
    stop: async () => {
      if (!running()) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      await kill('SIGKILL');
    },
  };
}

/** Options of {@link createApprovalWorld}. */
export interface ApprovalWorldOptions {
  /** The moto region of the test file (its own, so other files are not disturbed). */
  region: string;
  /** YAML of the `approvals:` (and optionally `guardrails:`) sections; {@link PEOPLE_YAML} is added under approvals. */
  policy: string;
  /** AWS endpoint of the processes (moto, or an aws-proxy in front of it). @defaultValue moto */
  awsEndpoint?: string;
  /** `TALLY_JOB_LOCK_SECONDS`. @defaultValue 30 (Tally's default) */
  lockSeconds?: number;
}

/** One test's Tally installation: its database, queue prefix, policy file and processes. */
export interface ApprovalWorld {
  /** The queue prefix and the database name. */
  name: string;
  region: string;
  /** The `MONGODB_URI` of the processes. */
  mongoUri: string;
  /** The environment of every process of this world, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The approvals and audit log in the shared database, read by the test. */
  approvals: MongoApprovalRepository;
  audit: MongoAuditLog;
  /** The audit events of one approval, oldest first. */
  events(approvalId: string): Promise<string[]>;
  /** Polls the database until the approval is in one of `states`. */
  waitForState(id: string, states: ApprovalState[], timeoutMs?: number): Promise<Approval>;
  /** `tally ask [--json] [--as <person>] <text>` as a process. */
  ask(text: string, options?: { as?: string; json?: boolean }): Promise<CliResult>;
  /** `tally ask --json`, parsed; throws when the process fails. */
  askJson<T = Record<string, unknown>>(text: string, as?: string): Promise<T>;
  /** Starts a `tally worker` of this world; {@link ApprovalWorld.close} stops it if the test did not. */
  startWorker(extra?: Record<string, string>): Promise<WorkerProcess>;
  /** Remembers an instance to terminate at the end (so later runs' recommendations do not see it). */
  track(instanceId: string): string;
  /** Stops the workers, terminates the tracked instances, drops the database and the queue keys. */
  close(): Promise<void>;
}

/** Creates the world: a temp dir (policy file, HOME of the processes), a database and a queue prefix of its own. */
export async function createApprovalWorld(options: ApprovalWorldOptions): Promise<ApprovalWorld> {
  const name = uniqueName('e2e_apr');
  const dir = await mkdtemp(join(tmpdir(), 'tally-e2e-'));
  const policyFile = join(dir, 'policy.yml');
  await writeFile(policyFile, options.policy.replace('approvals:\n', `approvals:\n${PEOPLE_YAML}`));
  const mongoUri = `${mongoUrl()}/${name}`;
  const conn: Connection = await createMongoConnection({ uri: mongoUrl(), dbName: name });
  const approvals = await MongoApprovalRepository.create(conn);
  const audit = await MongoAuditLog.create(conn);
  const workers: WorkerProcess[] = [];
  const instances: string[] = [];
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    HOME: dir,
    AWS_REGION: options.region,
    TALLY_AWS_REGIONS: options.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: options.awsEndpoint ?? awsEndpoint(),
    AWS_EC2_METADATA_DISABLED: 'true',
    TALLY_QUEUE_PREFIX: name,
    TALLY_JOB_LOCK_SECONDS: String(options.lockSeconds ?? 30),
    REDIS_URL: redisUrl(),
    MONGODB_URI: mongoUri,
    TALLY_POLICY_FILE: policyFile,
    ...extra,
  });
  const world: ApprovalWorld = {
    name,
    region: options.region,
    mongoUri,
    env,
    approvals,
    audit,
    events: async (approvalId) => (await audit.list({ approvalId })).map((e) => e.event),
    waitForState: async (id, states, timeoutMs = 30_000) => {
      let seen = 'missing';
      return waitUntil(
        async () => {
          const a = await approvals.get(id);
          seen = a?.state ?? 'missing';
          return a && states.includes(a.state) ? a : null;
        },
        () => `approval ${id} to be ${states.join(' or ')} (it is ${seen})`,
        timeoutMs,
      );
    },
    ask: (text, opts = {}) =>
      runCli(['ask', ...(opts.json ? ['--json'] : []), ...(opts.as ? ['--as', opts.as] : []), text], env()),
    askJson: async <T>(text: string, as?: string) => {
      const r = await world.ask(text, { json: true, ...(as ? { as } : {}) });
      if (r.code !== 0) throw new Error(`tally ask "${text}" exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    startWorker: async (extra) => {
      const worker = await startWorkerProcess(env(extra));
      workers.push(worker);
      return worker;
    },
    track: (id) => {
      instances.push(id);
      return id;
    },
    close: async () => {
      for (const w of workers.splice(0)) await w.stop();
      for (const id of instances.splice(0))
        await terminateInstance(awsEndpoint(), options.region, id).catch(() => undefined);
      await conn.dropDatabase();
      await conn.close();
      await dropPrefix(name);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * Deletes Tally's Slack dedupe keys (`tally:dedupe:*`, shared by every Tally on the Redis) whose id contains `token`:
 * give every `trigger_id` and view id of a test a token, and its keys are cleaned up with this.
 */
export async function dropDedupeKeys(token: string): Promise<void> {
  const redis = new Redis(redisUrl());
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `tally:dedupe:*${token}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
