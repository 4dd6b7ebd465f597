/**
 * The change-window part of the approvals benchmark (bench/approvals.bench.ts): N approvals (BENCH_APPROVALS_SCHEDULED,
 * 200) get their quorum outside the only change window, so each is APPROVED and scheduled, its execute job delayed
 * until the window opens. Then the window opens: every job is made due at the same instant (BullMQ's `changeDelay`,
 * the due time a real wait would reach) and the approval core's clock reads the window's start at that instant. It
 * reports the time from the window opening until each execution started (the approval's `execution.startedAt`,
 * written as it goes EXECUTING) and until it was SUCCEEDED against moto, and, to tell whether moto is the bottleneck,
 * the same EC2 calls one stop makes (DescribeInstances, StopInstances with DryRun, StopInstances, DescribeInstances)
 * sent straight to moto for every instance, as many at once as Tally runs executions (64).
 */
import {
  DescribeInstancesCommand,
  EC2Client,
  StopInstancesCommand,
  type StopInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { jobIds, QUEUES } from '../jobs/queues.js';
import type { Clock } from '../src/shared/clock.js';
import type { ApprovalRig } from './approvals-rig.js';
import { int, ms, percentile, table } from './bench-stats.js';

/** The window of the bench policy: every day 12:00–18:00 UTC. */
export const BENCH_WINDOW = "[{ from: '12:00', to: '18:00', tz: UTC }]";
/** Where the votes happen by the core's clock (outside the window), and where the window opens. */
const BEFORE = new Date('2026-03-02T08:00:00.000Z');
const OPENS = new Date('2026-03-02T12:00:00.000Z');
/** Executions at once in one Tally process (the execute worker's concurrency, src/bootstrap/approvals.ts). */
const EXECUTE_CONCURRENCY = 64;
const VOTE_LANES = 10;

/** A clock that runs with the system clock, shifted: `align` decides what it reads at a given instant. */
export class ShiftedClock implements Clock {
  private offset = 0;

  now(): Date {
    return new Date(Date.now() + this.offset);
  }

  /** From now on the clock reads `reads` at the epoch instant `atMs`. */
  align(atMs: number, reads: Date): void {
    this.offset = reads.getTime() - atMs;
  }
}

/** Runs `fn` over `items`, `lanes` at a time. */
async function inLanes<T>(items: T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}

function row(name: string, values: number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [
    name,
    String(sorted.length),
    ms(percentile(sorted, 50)),
    ms(percentile(sorted, 95)),
    ms(sorted.at(-1) ?? NaN),
  ];
}

/** Proposes and approves (Alice, then Bob) one approval per instance; throws unless each is scheduled for OPENS. */
async function scheduleAll(rig: ApprovalRig, instances: string[]): Promise<string[]> {
  const ids: string[] = [];
  await inLanes(instances, VOTE_LANES, async (instance) => {
    const id = await rig.propose(instance);
    await rig.vote(id, 'alice');
    const data = (await rig.vote(id, 'bob')).data as { state?: string; scheduledFor?: string } | undefined;
    if (data?.state !== 'APPROVED' || data.scheduledFor !== OPENS.toISOString())
      throw new Error(`${id} was not scheduled for ${OPENS.toISOString()}: ${JSON.stringify(data)}`);
    ids.push(id);
  });
  return ids;
}

/** The EC2 calls of one stop, straight to moto, `EXECUTE_CONCURRENCY` instances at a time; returns the seconds. */
async function motoAlone(endpoint: string, region: string, instances: string[]): Promise<number> {
  const ec2 = new EC2Client({ region, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const t0 = performance.now();
  try {
    await inLanes(instances, EXECUTE_CONCURRENCY, async (id) => {
      const input: StopInstancesCommandInput = { InstanceIds: [id] };
      await ec2.send(new DescribeInstancesCommand(input));
      await ec2.send(new StopInstancesCommand({ ...input, DryRun: true })).catch(() => undefined);
      await ec2.send(new StopInstancesCommand(input));
      await ec2.send(new DescribeInstancesCommand(input));
    });
  } finally {
    ec2.destroy();
  }
  return (performance.now() - t0) / 1000;
}

/**
 * The bench: `rig` must run the bench policy with {@link BENCH_WINDOW} and `clock`; `instances` are running, and
 * `reference` (as many) are used for the moto-alone figure. Returns whether every check passed.
 */
export async function windowBench(
  rig: ApprovalRig,
  clock: ShiftedClock,
  instances: string[],
  reference: { endpoint: string; region: string; instances: string[] },
  log: (line?: string) => void,
): Promise<boolean> {
  clock.align(Date.now(), BEFORE);
  await rig.startWorkers();
  const v0 = performance.now();
  const ids = await scheduleAll(rig, instances);
  const voteSecs = (performance.now() - v0) / 1000;
  const queue = rig.queue(QUEUES.execute);
  const delayed = await queue.getDelayed(0, -1);

  // The window opens: every job due at `opensAt`, when the core's clock reads OPENS.
  const opensAt = Date.now() + 1000 + 5 * delayed.length;
  for (const job of delayed) await job.changeDelay(Math.max(0, opensAt - Date.now()));
  clock.align(opensAt, OPENS);
  const done = await rig.waitForAll(ids, ['SUCCEEDED', 'FAILED'], 300_000);
  const allSecs = (Date.now() - opensAt) / 1000;

  const jobs = await Promise.all(ids.map((id) => queue.getJob(jobIds.execute(id))));
  const since = (iso: string | undefined) => (iso ? Date.parse(iso) - OPENS.getTime() : NaN);
  const started = done.map((a) => since(a.execution?.startedAt));
  const succeeded = done.map((a) => since(a.execution?.finishedAt));
  const execution = succeeded.map((s, i) => s - (started[i] ?? NaN));
  const pickup = jobs.map((j) => (j?.processedOn ?? NaN) - opensAt);
  const startsAudited = (await rig.audit.list({ limit: 1_000_000 })).filter((e) => e.event === 'execution.started');
  const counts = await queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');
  const motoSecs = await motoAlone(reference.endpoint, reference.region, reference.instances);

  log(
    `[change window] ${int(ids.length)} approvals completed outside the window in ${voteSecs.toFixed(2)} s ` +
      `(${VOTE_LANES} lanes), each APPROVED and scheduled (${int(delayed.length)} delayed execute jobs); then the window opens`,
  );
  log(
    table(
      ['ms after the window opened', 'n', 'p50', 'p95', 'max'],
      [
        row('execute job picked up (BullMQ processedOn)', pickup),
        row('execution started (EXECUTING)', started),
        row('SUCCEEDED (moto)', succeeded),
        row('  of which execution (started → SUCCEEDED)', execution),
      ],
    ),
  );
  const share = motoSecs / allSecs;
  log(
    `all ${int(ids.length)} SUCCEEDED ${allSecs.toFixed(2)} s after the window opened, ${EXECUTE_CONCURRENCY} at a time; ` +
      `the same EC2 calls sent straight to moto, ${EXECUTE_CONCURRENCY} at a time, take ${motoSecs.toFixed(2)} s ` +
      `(${(share * 100).toFixed(0)} %): ${share >= 0.5 ? 'moto is the bottleneck — a start waits for a free execution slot while earlier ones wait on moto' : 'moto is not the main cost'}`,
  );
  const early = started.filter((s) => !(s >= 0)).length;
  const ok =
    done.every((a) => a.state === 'SUCCEEDED') &&
    early === 0 &&
    startsAudited.length === ids.length &&
    counts.completed === ids.length &&
    counts.failed === 0;
  log(
    `[check] ${int(done.filter((a) => a.state === 'SUCCEEDED').length)}/${int(ids.length)} SUCCEEDED; ` +
      `${int(early)} started before the window; ${int(startsAudited.length)} execution.started entries; ` +
      `execute queue ${JSON.stringify(counts)}`,
  );
  return ok;
}
