// Waiting on BullMQ queues for a definite state instead of for time (docs/architecture.md#testing): a queue is
// drained when Redis holds no job of it that could still run; what happened to jobs is read from the queue's event
// stream, in order.
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisUrl } from './services.js';

/** Job states from which a job may still run. */
const UNFINISHED = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'active'] as const;

/**
 * Resolves once the queue has no job waiting, delayed, prioritized, waiting for children or running, so
 * whatever was enqueued has finished and nothing more can happen on it; rejects after `timeoutMs` naming the counts.
 */
export async function drained(queue: Queue, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts(...UNFINISHED);
    if (Object.values(counts).every((n) => n === 0)) return;
    if (Date.now() > until) throw new Error(`queue ${queue.name} not drained: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One entry of a queue's event stream: `added`, `waiting`, `active`, `delayed`, `completed`, `failed`, …. */
export interface QueueEvent {
  /** The stream entry id: a mark to read later events from. */
  id: string;
  event: string;
  jobId?: string;
}

async function withRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

function toEvent([id, fields]: [string, string[]]): QueueEvent {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  return { id, event: record.event ?? '', ...(record.jobId ? { jobId: record.jobId } : {}) };
}

/** The events of one job, oldest first: the order of what happened to it, from the test Redis. */
export async function jobEvents(queue: Queue, jobId: string): Promise<string[]> {
  const entries = await withRedis((redis) => redis.xrange(queue.toKey('events'), '-', '+'));
  return entries
    .map(toEvent)
    .filter((e) => e.jobId === jobId)
    .map((e) => e.event);
}

/** The id of the queue's newest event (`0-0` when there is none), to read what happens after it. */
export async function eventMark(queue: Queue): Promise<string> {
  const [newest] = await withRedis((redis) => redis.xrevrange(queue.toKey('events'), '+', '-', 'COUNT', 1));
  return newest?.[0] ?? '0-0';
}

/** The queue's events after `mark`, oldest first. */
export async function eventsSince(queue: Queue, mark: string): Promise<QueueEvent[]> {
  const entries = await withRedis((redis) => redis.xrange(queue.toKey('events'), `(${mark}`, '+'));
  return entries.map(toEvent);
}
