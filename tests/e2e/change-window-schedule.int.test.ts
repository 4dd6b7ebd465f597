import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobIds, QUEUES } from '../../jobs/queues.js';
import { type ApprovalWorld, createApprovalWorld, waitUntil } from '../support/approval-processes.js';
import { instanceState, runInstance } from '../support/moto.js';
import { runCli } from '../support/run-cli.js';
import { awsEndpoint, redisUrl } from '../support/services.js';
import { type SlackCall, type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { startTally, type TallyProcess } from '../support/tally-process.js';

// Change windows schedule, not fail (docs/architecture.md#execution), end to end: `tally start` as a real process
// (web server and job workers) with the Slack fake, Redis, FerretDB and moto; votes and `cancel` through `tally ask`.
// Time is driven as every approval test drives it: each process's clock is pinned by TALLY_TODAY (that day at 12:00
// UTC, then running), and the delayed execute job is made due by the test (BullMQ's `promote`, what its due time
// would do), then the test waits for the outcome. The restart between the two is a new `tally start` pinned to the
// next day.
const REGION = 'eu-north-1';
const SECRET = 'test-signing-secret';
const CHANNEL = 'C0APPROVALS';
/** Monday: quorum is reached at about 12:00 UTC (13:00 in Berlin), outside the only window. */
const MONDAY = '2026-03-02';
/** Tuesday: Tally starts again at about 12:00 UTC, when the window has just opened. */
const TUESDAY = '2026-03-03';
/** Tuesdays 13:00–15:00 in Berlin (CET: 12:00–14:00 UTC). */
const POLICY = `approvals:
  channel: ${CHANNEL}
  risk:
    medium: { approvers: [alice, bob, carol], quorum: 2, remindAfter: 1h, escalateAfter: 2h, expireAfter: 3d }
guardrails:
  dailyLimitPerAccount: 1000
  changeWindows:
    - { days: [tue], from: '13:00', to: '15:00', tz: Europe/Berlin }
`;
/** The window's start: Tuesday 13:00 in Berlin. */
const OPENS = new Date('2026-03-03T12:00:00.000Z');
const OPENS_TEXT = 'Tuesday, 3 March 2026 at 13:00 Europe/Berlin (12:00 UTC)';

let world: ApprovalWorld;
let slack: SlackFake;
let execute: Queue;
let redis: Redis;
const running: TallyProcess[] = [];

beforeAll(async () => {
  world = await createApprovalWorld({ region: REGION, policy: POLICY });
  slack = await startSlackFake();
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  execute = new Queue(QUEUES.execute, { connection: redis, prefix: world.name });
});

afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});

afterAll(async () => {
  await execute?.close();
  redis?.disconnect();
  await slack?.close();
  await world?.close();
});

const slackEnv = () => ({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url });

/** `tally start` whose clock says `day` 12:00 UTC (and runs on). */
async function tallyOn(day: string): Promise<TallyProcess> {
  const t = await startTally(world.env({ ...slackEnv(), TALLY_TODAY: day }));
  running.push(t);
  return t;
}

/** `tally ask --json --as <who> <text>` on `day`, posting to Slack like the server does. */
async function ask<T = Record<string, unknown>>(text: string, who: string, day = MONDAY): Promise<T> {
  const r = await runCli(['ask', '--json', '--as', who, text], world.env({ ...slackEnv(), TALLY_TODAY: day }));
  if (r.code !== 0) throw new Error(`tally ask "${text}" exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const textOf = (call: SlackCall) => JSON.stringify(call.body.blocks ?? '') + String(call.body.text ?? '');

/** Proposes stopping a new instance and approves it with two votes on Monday; returns the instance and the id. */
async function approvedOnMonday() {
  const instance = world.track(await runInstance(awsEndpoint(), REGION));
  const { id } = await ask<{ id: string }>(`propose stop ${instance} in ${REGION} because idle`, 'rita');
  await ask(`approve ${id}`, 'alice');
  const vote = await ask<{ state: string; scheduledFor?: string; title: string }>(`approve ${id}`, 'bob');
  return { instance, id, vote };
}

describe('an approval completed outside every change window', () => {
  it('is scheduled (message says when), survives a restart of Tally, and executes once when the window opens', async () => {
    await tallyOn(MONDAY);
    const { instance, id, vote } = await approvedOnMonday();

    expect(vote).toMatchObject({ state: 'APPROVED', scheduledFor: OPENS.toISOString() });
    const approval = await world.approvals.get(id);
    expect(approval).toMatchObject({ state: 'APPROVED', scheduledFor: OPENS.toISOString() });
    // One delayed job, due when the window opens by the clock that decided it.
    const job = await execute.getJob(jobIds.execute(id));
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(OPENS.getTime() - Date.parse(approval!.decidedAt!));
    // The approval message in Slack and its thread say when, in the window's zone (no approver has a tz).
    const message = slack.callsTo('chat.postMessage').find((c) => c.body.channel === CHANNEL && !c.body.thread_ts);
    const ts = String((message?.reply as { ts?: string } | undefined)?.ts);
    await waitUntil(
      () =>
        slack
          .callsTo('chat.update')
          .some((c) => c.body.ts === ts && textOf(c).includes(`Approved: scheduled for ${OPENS_TEXT}`)),
      'the approval message to show the schedule',
    );
    const thread = slack.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === ts);
    expect(thread.some((c) => textOf(c).includes(`scheduled for ${OPENS_TEXT}`))).toBe(true);
    // `approvals` lists it as scheduled.
    const list = await ask<{ approvals: { id: string; scheduledFor: string | null }[] }>('approvals', 'rita');
    expect(list.approvals).toContainEqual(expect.objectContaining({ id, scheduledFor: OPENS.toISOString() }));

    // Restart: Tally stops on Monday and starts again on Tuesday, once the window is open. Its start-up reconcile
    // pass (done before it answers /healthz) finds the job delayed and adds none.
    await running.pop()!.stop();
    await tallyOn(TUESDAY);
    const jobs = (await execute.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter(
      (j) => j.data.approvalId === id,
    );
    expect(jobs.map((j) => j.id)).toEqual([jobIds.execute(id)]);
    expect((await world.approvals.get(id))?.state).toBe('APPROVED');

    // The job's due time comes: the worker of the new process executes it.
    await (await execute.getJob(jobIds.execute(id)))!.promote();
    const done = await world.waitForState(id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toMatch(/stopp(ing|ed)/);
    await waitUntil(async () => (await execute.getJob(jobIds.execute(id)))?.finishedOn, 'the job to finish');
    const trail = await world.events(id);
    expect(trail.filter((e) => e === 'execution.scheduled')).toHaveLength(1);
    expect(trail.filter((e) => e === 'execution.started')).toHaveLength(1);
    expect(trail).not.toContain('execution.resumed');
  });

  it('whose job was lost while Tally was down: the start-up reconcile gives it back, and it runs once', async () => {
    await tallyOn(MONDAY);
    const { instance, id } = await approvedOnMonday();
    await running.pop()!.stop();
    expect(await execute.remove(jobIds.execute(id))).toBe(1);

    await tallyOn(TUESDAY);
    const done = await world.waitForState(id, ['SUCCEEDED', 'FAILED']);
    expect(done.state).toBe('SUCCEEDED');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toMatch(/stopp(ing|ed)/);
    expect((await world.events(id)).filter((e) => e === 'execution.started')).toHaveLength(1);
  });

  it('cancelled before it starts: the job is removed, and after a restart in the window nothing runs', async () => {
    await tallyOn(MONDAY);
    const { instance, id } = await approvedOnMonday();

    const cancelled = await ask<{ title: string }>(`cancel ${id}`, 'rita');
    expect(cancelled.title).toBe(`Approval ${id} cancelled`);
    expect((await world.approvals.get(id))?.state).toBe('CANCELLED');
    expect(await execute.getJob(jobIds.execute(id))).toBeUndefined();
    expect(await world.events(id)).toEqual(expect.arrayContaining(['decision.cancelled', 'execution.cancelled']));

    await running.pop()!.stop();
    await tallyOn(TUESDAY);
    // The start-up reconcile pass has run (before /healthz): a cancelled approval gets no job.
    expect(await execute.getJob(jobIds.execute(id))).toBeUndefined();
    expect((await world.approvals.get(id))?.state).toBe('CANCELLED');
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
    expect(await world.events(id)).not.toContain('execution.started');
  });
});
