import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../src/shared/logger.port.js';
import { QUEUES, type QueueName } from './queues.js';

export type Processor = (job: Job) => Promise<unknown>;

export interface WorkersConfig {
  connection: Redis;
  prefix: string;
  /** One processor per queue; start-up fails when a queue has none. */
  processors: Partial<Record<QueueName, Processor>>;
  /** Which queues this process serves. @defaultValue every queue */
  queues?: QueueName[];
  /** A job's lock in ms; a crashed worker's job is taken up again after it. @defaultValue 30000 */
  lockDurationMs?: number;
  /** Jobs run at once, per queue. @defaultValue 4 */
  concurrency?: Partial<Record<QueueName, number>>;
  logger: Logger;
}

export interface Workers {
  /** Stops fetching, waits for running jobs, closes the workers (on SIGTERM: docs/operations.md#stopping). */
  close(): Promise<void>;
}

/** Starts one BullMQ worker per queue. Refuses to start if a queue served here has no processor. */
export function startWorkers(config: WorkersConfig): Workers {
  const names = config.queues ?? (Object.values(QUEUES) as QueueName[]);
  const missing = names.filter((n) => !config.processors[n]);
  if (missing.length > 0) throw new Error(`no processor registered for queue(s): ${missing.join(', ')}`);
  const lockDuration = config.lockDurationMs ?? 30_000;
  const workers = names.map((name) => {
    const worker = new Worker(name, config.processors[name]!, {
      connection: config.connection,
      prefix: config.prefix,
      concurrency: config.concurrency?.[name] ?? 4,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      maxStalledCount: 3,
    });
    worker.on('failed', (job, err) =>
      config.logger.warn({ queue: name, jobId: job?.id, attempts: job?.attemptsMade, err }, 'job failed'),
    );
    worker.on('error', (err) => config.logger.error({ queue: name, err }, 'worker error'));
    return worker;
  });
  return { close: async () => void (await Promise.all(workers.map((w) => w.close()))) };
}
