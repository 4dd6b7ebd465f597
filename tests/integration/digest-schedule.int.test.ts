import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DuckDbCostRepository } from '../../adapters/duckdb/duckdb-cost.repository.js';
import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryDigestSubscriptionRepository } from '../../adapters/memory/memory-digest-subscription.repository.js';
import { BullmqDigestScheduler } from '../../adapters/queue/bullmq-digest.scheduler.js';
import { createQueueConnection } from '../../adapters/queue/queue-connection.js';
import { type DigestJobResult, type DigestRun, digestProcessor } from '../../jobs/processors/digest.processor.js';
import { QUEUES } from '../../jobs/queues.js';
import { CostQueryService } from '../../src/costs/cost-query.service.js';
import { ForecastService } from '../../src/costs/forecast.service.js';
import { DigestService } from '../../src/reports/digest.service.js';
import type { DigestSubscription } from '../../src/reports/digest.types.js';
import { nextRunOf } from '../../src/reports/digest-cron.js';
import { DigestSubscriptionService } from '../../src/reports/digest-subscription.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { addDays, dayOf, eachDay } from '../../src/shared/day.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { testCostRepository } from '../support/cost-store.js';
import { testRollup } from '../support/rollups.js';
import { redisUrl, uniqueName } from '../support/services.js';

// Digest schedules as BullMQ job schedulers on the test Redis, under a prefix of this file's own.
const prefix = uniqueName('digest_sched');
let connection: Redis;
let scheduler: BullmqDigestScheduler;
const workers: Worker[] = [];

beforeAll(() => {
  connection = createQueueConnection(redisUrl());
  scheduler = new BullmqDigestScheduler(connection, prefix);
});

afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
  for (const s of await scheduler.queue.getJobSchedulers()) await scheduler.queue.removeJobScheduler(s.key);
  await scheduler.queue.obliterate({ force: true });
});

afterAll(async () => {
  await scheduler?.close();
  await connection?.quit();
});

/** The hour and weekday of an instant on the wall clock of `tz`, read with Intl (independently of cron-parser). */
function wallClock(instant: number, tz: string): { weekday: string; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: part('weekday'),
    hour: Number(part('hour')),
    minute: Number(part('minute')),
    second: Number(part('second')),
  };
}

/**
 * The first Monday 09:00 Berlin time after `now`, found by trying every whole UTC hour of the next 8 days and keeping
 * the first whose Berlin wall clock reads Monday 09:00 (07:00 UTC in summer, 08:00 UTC in winter).
 */
function nextMondayNineInBerlin(now: number): number {
  const firstHour = Math.ceil((now + 1) / 3_600_000) * 3_600_000;
  for (let t = firstHour; t < now + 8 * 86_400_000; t += 3_600_000) {
    const w = wallClock(t, 'Europe/Berlin');
    if (w.weekday === 'Mon' && w.hour === 9 && w.minute === 0) return t;
  }
  throw new Error('no Monday 09:00 in Berlin within 8 days');
}

function digestService(repo: DuckDbCostRepository): DigestService {
  const costs = new CostQueryService(repo);
  return new DigestService({
    costs,
    forecast: new ForecastService(costs),
    approvals: new MemoryApprovalRepository(),
    savings: null,
    anomalies: async () => [],
    clock: systemClock,
  });
}

/** Two weeks of EC2 cost ending yesterday, so a digest built now has a last week and a week before. */
async function costsOfTwoWeeks(): Promise<DuckDbCostRepository> {
  const repo = await testCostRepository();
  const to = addDays(dayOf(new Date()), -1);
  const days = eachDay(addDays(to, -20), to);
  await repo.replaceRollups(
    't',
    { from: days[0]!, to },
    days.map((d) => testRollup(d, 'EC2', 10, { source: 't' })),
  );
  return repo;
}

async function jobIn(state: 'completed' | 'failed', name?: string): Promise<Job> {
  let found: Job | undefined;
  await vi.waitFor(
    async () => {
      const jobs = state === 'completed' ? await scheduler.queue.getCompleted() : await scheduler.queue.getFailed();
      found = jobs.find((j) => name === undefined || j.data.subscriptionId === name);
      expect(found).toBeDefined();
    },
    { timeout: 15_000, interval: 50 },
  );
  return found!;
}

describe('digest schedules on BullMQ', () => {
  it("schedules a weekly digest for Monday 09:00 in the subscriber's time zone, and removes it", async () => {
    const repo = new MemoryDigestSubscriptionRepository();
    const service = new DigestSubscriptionService({
      repo,
      scheduler,
      digests: digestService(await testCostRepository()),
      clock: systemClock,
    });
    const before = Date.now();
    const reply = await service.run(
      {
        kind: 'digest',
        action: 'subscribe',
        cadence: 'weekly',
        weekday: 'mon',
        time: '09:00',
        tz: 'Europe/Berlin',
        emails: [],
      },
      { platform: 'slack', channel: 'C0FINOPS', user: 'U0ALICE' },
    );
    const { subscription, nextRun } = reply.data as { subscription: DigestSubscription; nextRun: string };
    const expected = nextMondayNineInBerlin(before);
    expect([7, 8]).toContain(new Date(expected).getUTCHours());

    const stored = await scheduler.queue.getJobScheduler(`digest-${subscription.id}`);
    expect(stored).toMatchObject({ pattern: '0 9 * * 1', tz: 'Europe/Berlin', next: expected });
    const delayed = await scheduler.queue.getDelayed();
    expect(delayed).toHaveLength(1);
    const job = delayed[0]!;
    expect(job.name).toBe('digest');
    expect(job.data).toEqual({ subscriptionId: subscription.id });
    expect(job.opts.attempts).toBe(3);
    expect(job.timestamp + (job.opts.delay ?? 0)).toBe(expected);
    // What the answer announced is what the scheduler does.
    expect(Date.parse(nextRun)).toBe(expected);

    // Upserting again (as at every start) keeps one scheduler and one pending run.
    await service.reschedule();
    expect(await scheduler.queue.getJobSchedulers()).toHaveLength(1);
    expect(await scheduler.queue.getDelayed()).toHaveLength(1);

    await service.run(
      { kind: 'digest', action: 'unsubscribe' },
      { platform: 'slack', channel: 'C0FINOPS', user: 'U0ALICE' },
    );
    expect(await scheduler.queue.getJobScheduler(`digest-${subscription.id}`)).toBeUndefined();
    expect(await scheduler.queue.getDelayed()).toEqual([]);
  });

  it("fires at the subscriber's local time and delivers the digest through the worker", async () => {
    const tz = 'Asia/Kolkata'; // UTC+05:30: its hours are never UTC's hours
    const now = Date.now();
    const hour = wallClock(now, tz).hour;
    const hours = [hour, (hour + 1) % 24];
    // Every 2 seconds, but only during this hour and the next one of Kolkata's wall clock.
    const cron = `*/2 * ${hours.join(',')} * * *`;
    // Read in UTC the same pattern would not fire for hours: only the time zone makes it fire now.
    expect(nextRunOf(cron, 'UTC', new Date(now)).getTime() - now).toBeGreaterThan(3 * 3_600_000);

    const subscriptions = new MemoryDigestSubscriptionRepository();
    const subscription: DigestSubscription = {
      id: 'dig_kolkata',
      platform: 'slack',
      channel: 'C0FINOPS',
      cron,
      tz,
      schedule: `test ${cron} ${tz}`,
      emails: ['finops@example.com'],
      createdBy: 'U0ALICE',
      createdAt: new Date(now).toISOString(),
    };
    await subscriptions.save(subscription);
    const delivered: { subscription: DigestSubscription; reply: Reply; run: DigestRun; at: number }[] = [];
    const processor = digestProcessor({
      subscriptions,
      digests: digestService(await costsOfTwoWeeks()),
      deliver: async (s, reply, run) => {
        delivered.push({ subscription: s, reply, run, at: Date.now() });
      },
    });
    workers.push(new Worker(QUEUES.digest, processor, { connection, prefix }));
    await scheduler.upsert(subscription);

    await vi.waitFor(() => expect(delivered.length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    const first = delivered[0]!;
    expect(first.subscription).toEqual(subscription);
    expect(first.reply.data).toMatchObject({ kind: 'digest', cadence: 'daily' });
    expect(first.run.event).toBe(`digest-${subscription.id}-${addDays(dayOf(new Date()), -1)}`);

    const job = await jobIn('completed', subscription.id);
    const firedAt = job.timestamp + (job.opts.delay ?? 0);
    expect(firedAt % 2000).toBe(0);
    expect(hours).toContain(wallClock(firedAt, tz).hour);
    expect(job.processedOn).toBeGreaterThanOrEqual(firedAt);
    expect(job.returnvalue).toEqual({ delivered: true, subscriptionId: subscription.id, event: first.run.event });
  });

  it('a run for a subscription that is gone does nothing, and a malformed payload fails without retry', async () => {
    const delivered: string[] = [];
    const processor = digestProcessor({
      subscriptions: new MemoryDigestSubscriptionRepository(),
      digests: digestService(await testCostRepository()),
      deliver: async (s) => void delivered.push(s.id),
      scheduler,
    });
    workers.push(new Worker(QUEUES.digest, processor, { connection, prefix }));
    await scheduler.queue.add('digest', { subscriptionId: 'dig_gone' });
    const gone = await jobIn('completed', 'dig_gone');
    expect(gone.returnvalue as DigestJobResult).toEqual({
      delivered: false,
      subscriptionId: 'dig_gone',
      reason: 'SUBSCRIPTION_GONE',
    });
    expect(delivered).toEqual([]);

    await scheduler.queue.add('digest', { nothing: true } as never, { attempts: 3 });
    const bad = await jobIn('failed');
    expect(bad.attemptsMade).toBe(1);
  });
});
