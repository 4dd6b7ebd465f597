/**
 * Approvals benchmark: the real approval runtime of one Tally process (`createApprovalRuntime`: in-process stores,
 * BullMQ on the test Redis, EC2 in moto, a recording chat platform that notes when each message was sent).
 *
 * 1. Votes. N approvals to stop an instance (2 of Alice, Bob and Carol), voted by 10 lanes at a time: in each lane
 *    Alice approves, then Bob casts the quorum-completing vote. For Bob's vote it reports the call's own latency, the
 *    time from the call until the execute job started (the job's `processedOn`, set by the worker that takes it, minus
 *    the time the call was made; same process, same clock) and until the approval was SUCCEEDED against moto (the
 *    execution record's `finishedAt`). A warm-up of 10 approvals runs first and is not counted. The 10 lanes vote much
 *    faster than the execute worker drains its queue, so a baseline follows: 20 approvals one at a time, each executed
 *    before the next is voted (the latency with an idle queue).
 * 2. Timers. 1,000 PENDING approvals proposed through the runtime (the workers running) with `remindAfter` 3 s and
 *    `expireAfter` 1 h, so every reminder comes due within the proposing window. Lag = when the first reminder
 *    DM of an approval was sent − (its `createdAt` + remindAfter). All 1,000 must fire, with one DM per approver.
 * 3. Change window. BENCH_APPROVALS_SCHEDULED (200) approvals completed outside the change window, then the window
 *    opens: the time until each scheduled execution started and was SUCCEEDED, and whether moto is the bottleneck
 *    (bench/approvals-window.ts).
 *
 * Instances are launched in moto in batches (RunInstances MinCount/MaxCount) in a region of its own, and terminated
 * at the end; moto is never reset. The queues use a prefix unique to the run, whose Redis keys are removed at the end.
 *
 *   npm run bench                          # every bench
 *   BENCH_ONLY=approvals npm run bench     # this one only
 *
 * Knobs: BENCH_APPROVALS_VOTES (200), BENCH_APPROVALS_WARMUP (10), BENCH_APPROVALS_SOLO (20, the idle-queue
 * baseline), BENCH_APPROVALS_CONCURRENCY (10, lanes of votes and of proposals), BENCH_APPROVALS_PENDING (1000), BENCH_APPROVALS_REMIND_MS (3000), BENCH_APPROVALS_REGION
 * (me-south-1).
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import type { Job } from 'bullmq';
import { jobIds, QUEUES } from '../jobs/queues.js';
import type { Approval } from '../src/approvals/approval.types.js';
import { ApprovalRig, countingLogger, dropPrefix, MotoInstances, type Person, redisVersion } from './approvals-rig.js';
import { BENCH_WINDOW, ShiftedClock, windowBench } from './approvals-window.js';
import { envInt, int, ms, percentile, table } from './bench-stats.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const VOTES = Math.max(1, envInt('BENCH_APPROVALS_VOTES', 200));
const WARMUP = envInt('BENCH_APPROVALS_WARMUP', 10);
const SOLO = envInt('BENCH_APPROVALS_SOLO', 20);
const CONCURRENCY = Math.max(1, envInt('BENCH_APPROVALS_CONCURRENCY', 10));
const PENDING = Math.max(1, envInt('BENCH_APPROVALS_PENDING', 1000));
const REMIND_MS = Math.max(1, envInt('BENCH_APPROVALS_REMIND_MS', 3000));
const REGION = process.env.BENCH_APPROVALS_REGION?.trim() || 'me-south-1';
const SCHEDULED = Math.max(1, envInt('BENCH_APPROVALS_SCHEDULED', 200));
const APPROVERS: Person[] = ['alice', 'bob', 'carol'];
/** Fractional epoch milliseconds (Date.now() has whole milliseconds only). */
const epochNow = () => performance.timeOrigin + performance.now();
const problems: string[] = [];
const logger = countingLogger(problems);

/** Runs `fn` over `items`, `lanes` at a time, in order of `items`. */
async function inLanes<T, R>(items: T[], lanes: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return results;
}

/** n, p50, p95, max of the values (ms). */
function stats(name: string, values: number[]): string[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [
    name,
    String(sorted.length),
    ms(percentile(sorted, 50)),
    ms(percentile(sorted, 95)),
    ms(sorted.at(-1) ?? NaN),
  ];
}
const HEADER = ['ms', 'n', 'p50', 'p95', 'max'];

/** Proposes one approval per instance, `CONCURRENCY` at a time; returns the ids and the call times. */
async function proposeAll(rig: ApprovalRig, instances: string[]): Promise<{ ids: string[]; callMs: number[] }> {
  const callMs: number[] = [];
  const ids = await inLanes(instances, CONCURRENCY, async (instance) => {
    const t0 = performance.now();
    const id = await rig.propose(instance);
    callMs.push(performance.now() - t0);
    return id;
  });
  return { ids, callMs };
}

interface DecidingVote {
  id: string;
  /** Epoch ms when the quorum-completing vote was called. */
  at: number;
  callMs: number;
  firstVoteMs: number;
}

/** Alice approves, then Bob completes the quorum; Bob's vote is timed. Throws unless it decided the approval. */
async function voteThrough(rig: ApprovalRig, id: string): Promise<DecidingVote> {
  const f0 = performance.now();
  const first = await rig.vote(id, 'alice');
  const firstVoteMs = performance.now() - f0;
  const at = epochNow();
  const t0 = performance.now();
  const reply = await rig.vote(id, 'bob');
  const callMs = performance.now() - t0;
  const [a, b] = [first.data, reply.data] as Array<{ counted?: boolean; state?: string } | undefined>;
  if (!a?.counted || !b?.counted || b.state !== 'APPROVED')
    throw new Error(`votes on ${id} did not approve it: ${JSON.stringify([a, b])}`);
  return { id, at, callMs, firstVoteMs };
}

/** What happened after each deciding vote, from the execute job and the approval's execution record. */
interface VoteFigures {
  toEnqueued: number[];
  toStarted: number[];
  toSucceeded: number[];
  execution: number[];
  failed: Approval[];
  missing: number;
}

async function figuresOf(rig: ApprovalRig, votes: DecidingVote[]): Promise<VoteFigures> {
  const done = await rig.waitForAll(
    votes.map((v) => v.id),
    ['SUCCEEDED', 'FAILED'],
    120_000,
  );
  const queue = rig.queue(QUEUES.execute);
  const jobs = await Promise.all(votes.map((v) => queue.getJob(jobIds.execute(v.id))));
  const f: VoteFigures = { toEnqueued: [], toStarted: [], toSucceeded: [], execution: [], failed: [], missing: 0 };
  for (const [i, v] of votes.entries()) {
    const job = jobs[i] as Job | undefined;
    const finishedAt = done[i]?.execution?.finishedAt;
    if (!job?.processedOn || !finishedAt) {
      f.missing++;
      continue;
    }
    f.toEnqueued.push(job.timestamp - v.at);
    f.toStarted.push(job.processedOn - v.at);
    f.toSucceeded.push(Date.parse(finishedAt) - v.at);
    f.execution.push(Date.parse(finishedAt) - job.processedOn);
  }
  f.failed = done.filter((a) => a.state !== 'SUCCEEDED');
  return f;
}

function voteRows(votes: DecidingVote[], f: VoteFigures, withFirst: boolean): string[][] {
  return [
    ...(withFirst
      ? [
          stats(
            'first vote (call)',
            votes.map((v) => v.firstVoteMs),
          ),
        ]
      : []),
    stats(
      'deciding vote (call)',
      votes.map((v) => v.callMs),
    ),
    stats('vote → execute job enqueued', f.toEnqueued),
    stats('vote → execute job started', f.toStarted),
    stats('vote → SUCCEEDED (moto)', f.toSucceeded),
    stats('  of which execution (job start → SUCCEEDED)', f.execution),
  ];
}

async function votesBench(rig: ApprovalRig, instances: string[]): Promise<boolean> {
  const [warmInstances, soloInstances, measuredInstances] = [
    instances.slice(0, WARMUP),
    instances.slice(WARMUP, WARMUP + SOLO),
    instances.slice(WARMUP + SOLO),
  ];
  await rig.startWorkers();
  if (warmInstances.length > 0) {
    const warm = await proposeAll(rig, warmInstances);
    await inLanes(warm.ids, CONCURRENCY, (id) => voteThrough(rig, id));
    await rig.waitForAll(warm.ids, ['SUCCEEDED', 'FAILED'], 60_000);
  }
  const p0 = performance.now();
  const { ids, callMs: proposeMs } = await proposeAll(rig, measuredInstances);
  const proposeSecs = (performance.now() - p0) / 1000;
  const solo = await proposeAll(rig, soloInstances);

  const v0 = performance.now();
  const votes = await inLanes(ids, CONCURRENCY, (id) => voteThrough(rig, id));
  const voteSecs = (performance.now() - v0) / 1000;
  const burst = await figuresOf(rig, votes);
  const allSecs = (performance.now() - v0) / 1000;

  // Baseline with an idle queue: one approval at a time, each executed before the next is voted.
  const soloVotes = await inLanes(solo.ids, 1, async (id) => {
    const vote = await voteThrough(rig, id);
    await rig.waitForAll([id], ['SUCCEEDED', 'FAILED'], 30_000);
    return vote;
  });
  const alone = await figuresOf(rig, soloVotes);
  const counts = await rig.queue(QUEUES.execute).getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed');

  log(
    `[votes] ${int(ids.length)} approvals (after ${warmInstances.length} warm-up), ${CONCURRENCY} lanes voting at ` +
      "once: Alice approves, then Bob's vote completes the quorum",
  );
  log(table(HEADER, [stats('propose (call)', proposeMs), ...voteRows(votes, burst, true)]));
  log(
    `proposals ${(ids.length / proposeSecs).toFixed(0)}/s; votes done in ${voteSecs.toFixed(2)} s ` +
      `(${((2 * ids.length) / voteSecs).toFixed(0)} votes/s); all SUCCEEDED ${allSecs.toFixed(2)} s after the first ` +
      `vote (${(ids.length / allSecs).toFixed(0)} executions/s)`,
  );
  log(`\n[votes, idle queue] ${int(soloVotes.length)} approvals one at a time, each executed before the next vote`);
  log(table(HEADER, voteRows(soloVotes, alone, false)));
  const failed = [...burst.failed, ...alone.failed];
  const missing = burst.missing + alone.missing;
  log(
    `[check] ${int(votes.length + soloVotes.length - failed.length)}/${int(votes.length + soloVotes.length)} ` +
      `SUCCEEDED; execute queue ${JSON.stringify(counts)}${missing ? `; no job or finish time for ${missing}` : ''}`,
  );
  for (const a of failed.slice(0, 5)) log(`  ${a.id} ${a.state}: ${a.execution?.reason ?? ''}`);
  return failed.length === 0 && missing === 0 && counts.completed === instances.length && counts.failed === 0;
}

/** The first reminder DM per approval (epoch ms), and how many reminder DMs each got. */
function reminders(rig: ApprovalRig): Map<string, { first: number; count: number }> {
  const out = new Map<string, { first: number; count: number }>();
  for (const m of rig.messenger.sent) {
    if (m.op !== 'direct' || !m.reply.title?.startsWith('Reminder:')) continue;
    const id = /apr_[0-9a-f]+/.exec(m.reply.title)?.[0];
    if (!id) continue;
    const seen = out.get(id);
    out.set(id, seen ? { first: Math.min(seen.first, m.at), count: seen.count + 1 } : { first: m.at, count: 1 });
  }
  return out;
}

async function timersBench(rig: ApprovalRig, instances: string[]): Promise<boolean> {
  await rig.startWorkers();
  const p0 = performance.now();
  const proposeStart = Date.now();
  const { ids, callMs } = await proposeAll(rig, instances);
  const proposeEnd = Date.now();
  const proposeSecs = (performance.now() - p0) / 1000;
  const approvals = (await Promise.all(ids.map((id) => rig.approvals.get(id)))) as Approval[];
  const due = new Map(approvals.map((a) => [a.id, Date.parse(a.createdAt) + REMIND_MS]));
  const dues = [...due.values()].sort((a, b) => a - b);
  const lastDue = dues.at(-1) ?? Date.now();

  const until = lastDue + 60_000;
  let fired = reminders(rig);
  while (fired.size < ids.length && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    fired = reminders(rig);
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // would a second reminder follow? (it must not)
  fired = reminders(rig);

  const lag: number[] = [];
  const lagWhileProposing: number[] = [];
  const lagAfter: number[] = [];
  for (const [id, r] of fired) {
    const dueAt = due.get(id) ?? Number.NaN;
    lag.push(r.first - dueAt);
    (dueAt <= proposeEnd ? lagWhileProposing : lagAfter).push(r.first - dueAt);
  }
  const queue = rig.queue(QUEUES.approvalTimer);
  const pickup: number[] = [];
  for (let i = 0; i < ids.length; i += 200) {
    const jobs = await Promise.all(ids.slice(i, i + 200).map((id) => queue.getJob(jobIds.timer(id, 'remind', 0))));
    for (const job of jobs)
      if (job?.processedOn) pickup.push(job.processedOn - (job.timestamp + (job.opts.delay ?? 0)));
  }
  const remindAudits = (await rig.audit.list({ limit: 1_000_000 })).filter((e) => e.event === 'timer.remind').length;
  const dms = [...fired.values()].reduce((sum, r) => sum + r.count, 0);
  const wrongCount = [...fired.values()].filter((r) => r.count !== APPROVERS.length).length;
  const stillPending = (await Promise.all(ids.map((id) => rig.approvals.get(id)))).filter(
    (a) => a?.state !== 'PENDING',
  ).length;
  const dueWhileProposing = dues.filter((d) => d <= proposeEnd).length;

  log(
    `[timers] ${int(ids.length)} PENDING approvals, remindAfter ${REMIND_MS} ms, expireAfter 1 h, workers running; ` +
      `proposed in ${proposeSecs.toFixed(2)} s (${CONCURRENCY} lanes, ${(ids.length / proposeSecs).toFixed(0)}/s)`,
  );
  log(
    `reminders came due over ${((lastDue - (dues[0] ?? lastDue)) / 1000).toFixed(2)} s, from ` +
      `${(((dues[0] ?? proposeStart) - proposeStart) / 1000).toFixed(2)} s after the first proposal; ` +
      `${int(dueWhileProposing)} came due while proposals were still being made`,
  );
  log(
    table(HEADER, [
      stats('propose (call)', callMs),
      stats('timer lag: reminder DM − (createdAt + remindAfter)', lag),
      stats('  due while proposals were being made', lagWhileProposing),
      stats('  due after the last proposal', lagAfter),
      stats('  BullMQ pickup: processedOn − (added + delay)', pickup),
    ]),
  );
  log(
    `[check] reminders fired for ${int(fired.size)}/${int(ids.length)} approvals; ${int(dms)} reminder DMs ` +
      `(${APPROVERS.length} per approval expected, ${wrongCount} approvals otherwise); ${int(remindAudits)} timer.remind ` +
      `audit entries; ${stillPending === 0 ? 'all still PENDING' : `${stillPending} no longer PENDING`}`,
  );
  return fired.size === ids.length && wrongCount === 0 && remindAudits === ids.length;
}

async function main(): Promise<void> {
  const redisUrl = process.env.TALLY_TEST_REDIS_URL?.trim();
  const awsEndpoint = process.env.TALLY_TEST_AWS_ENDPOINT?.trim();
  if (!redisUrl || !awsEndpoint) {
    log(
      'approvals bench skipped: TALLY_TEST_REDIS_URL and TALLY_TEST_AWS_ENDPOINT must be set (run it through scripts/test-services.sh exec)',
    );
    return;
  }
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  log(
    `Approvals benchmark — machine: ${platform()} ${release()}, ${cpu}, ${availableParallelism()} CPUs, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; node ${process.version}; Redis ${await redisVersion(redisUrl)}; ` +
      `moto at ${awsEndpoint}, region ${REGION}`,
  );
  const run = `tally_bench_apr_${process.pid}_${randomBytes(4).toString('hex')}`;
  const prefixes = [`${run}_votes`, `${run}_timers`, `${run}_window`];
  const moto = new MotoInstances(awsEndpoint, REGION);
  const launched: string[] = [];
  let ok = true;
  try {
    const l0 = performance.now();
    launched.push(...(await moto.launch(WARMUP + SOLO + VOTES + PENDING + 2 * SCHEDULED)));
    const launchSecs = (performance.now() - l0) / 1000;
    log(
      `queue prefix ${run}_*; launched ${int(launched.length)} instances in moto in ${launchSecs.toFixed(2)} s ` +
        '(RunInstances, 100 per call)\n',
    );

    const votes = new ApprovalRig({
      redisUrl,
      awsEndpoint,
      region: REGION,
      prefix: prefixes[0] as string,
      timers: { remindAfter: '1h', expireAfter: '1d' },
      logger,
    });
    try {
      ok = (await votesBench(votes, launched.slice(0, WARMUP + SOLO + VOTES))) && ok;
    } finally {
      await votes.close();
    }
    log();

    const timers = new ApprovalRig({
      redisUrl,
      awsEndpoint,
      region: REGION,
      prefix: prefixes[1] as string,
      timers: { remindAfter: `${REMIND_MS}ms`, expireAfter: '1h' },
      logger,
    });
    try {
      ok = (await timersBench(timers, launched.slice(WARMUP + SOLO + VOTES, WARMUP + SOLO + VOTES + PENDING))) && ok;
    } finally {
      await timers.close();
    }
    log();

    const clock = new ShiftedClock();
    const window = new ApprovalRig({
      ...{ redisUrl, awsEndpoint, region: REGION, prefix: prefixes[2] as string, logger, clock },
      ...{ timers: { remindAfter: '1h', expireAfter: '1d' }, changeWindows: BENCH_WINDOW },
    });
    const [scheduled, reference] = [launched.slice(-2 * SCHEDULED, -SCHEDULED), launched.slice(-SCHEDULED)];
    try {
      ok =
        (await windowBench(
          window,
          clock,
          scheduled,
          { endpoint: awsEndpoint, region: REGION, instances: reference },
          log,
        )) && ok;
    } finally {
      await window.close();
    }
  } finally {
    let keys = 0;
    for (const prefix of prefixes) keys += await dropPrefix(redisUrl, prefix);
    await moto.terminate(launched).catch((err: unknown) => log(`could not terminate the moto instances: ${err}`));
    moto.close();
    log(`\ncleaned up: ${int(keys)} Redis keys under ${run}_*, ${int(launched.length)} moto instances terminated`);
  }
  if (problems.length > 0) {
    log(`${problems.length} warnings/errors logged: ${[...new Set(problems)].slice(0, 10).join('; ')}`);
    ok = false;
  }
  if (!ok) {
    log('approvals bench: checks FAILED');
    process.exitCode = 1;
  }
}

await main();
