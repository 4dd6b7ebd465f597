import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApprovalWorld,
  type ApprovalWorldOptions,
  createApprovalWorld,
  waitUntil,
} from '../support/approval-processes.js';
import { type AwsProxy, startAwsProxy } from '../support/aws-proxy.js';
import { instanceState, runInstance } from '../support/moto.js';
import { awsEndpoint, redisUrl } from '../support/services.js';

// Approvals without Slack, as separate processes: `tally ask --as <person>` proposes and votes, `tally worker` runs
// the timers and the execution, and all of them share one database (FerretDB), one queue prefix (Redis) and moto.
// Region of its own, so other files using moto are not disturbed.
const REGION = 'ca-central-1';

const POLICY = `approvals:
  risk:
    medium: { approvers: [alice, bob, carol], quorum: 2, remindAfter: 1h, escalateAfter: 2h, expireAfter: 1d }
guardrails:
  dailyLimitPerAccount: 1000
`;
// The reminder is due 1 s after the proposal; expiry leaves a worker started after that a few seconds to come up, so
// the reminder fires before the expiry even on a busy machine.
const REMIND_MS = 1000;
const EXPIRE_MS = 5000;
const FAST_TIMERS = POLICY.replace('remindAfter: 1h', `remindAfter: ${REMIND_MS}ms`).replace(
  'expireAfter: 1d',
  `expireAfter: ${EXPIRE_MS}ms`,
);

/** What `tally ask --json` prints for an approval (`approval <id>`, a proposal) and for a vote. */
interface ApprovalJson {
  id: string;
  state: string;
  resourceId: string;
  requester: string;
  approvals: number;
  quorum: number;
  votes: { voter: string; decision: string }[];
  execution: { outcome?: string; steps: string[]; attempts: number } | null;
}
interface VoteJson {
  counted: boolean;
  state: string;
  approvals?: number;
  quorum?: number;
}

let proxy: AwsProxy;
const worlds: ApprovalWorld[] = [];

beforeAll(async () => {
  proxy = await startAwsProxy(awsEndpoint());
});

afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

afterAll(async () => {
  await proxy?.close();
});

async function world(options: Partial<ApprovalWorldOptions> = {}): Promise<ApprovalWorld> {
  const w = await createApprovalWorld({ region: REGION, policy: POLICY, ...options });
  worlds.push(w);
  return w;
}

const propose = (instance: string) => `propose stop ${instance} in ${REGION} because idle for two weeks`;

describe('tally worker + tally ask', () => {
  it('propose, two approvals from two processes, and the worker process stops the instance', async () => {
    const w = await world();
    await w.startWorker();
    const instance = w.track(await runInstance(awsEndpoint(), REGION));

    const proposed = await w.askJson<ApprovalJson>(propose(instance), 'rita');
    expect(proposed).toMatchObject({ state: 'PENDING', resourceId: instance, requester: 'rita', approvals: 0 });
    expect(proposed.quorum).toBe(2);
    const id = proposed.id;

    expect(await w.askJson<VoteJson>(`approve ${id}`, 'alice')).toMatchObject({
      counted: true,
      state: 'PENDING',
      approvals: 1,
      quorum: 2,
    });
    // The requester may not vote (the policy's default), so this changes nothing.
    expect(await w.askJson<VoteJson>(`approve ${id}`, 'rita')).toMatchObject({ counted: false, state: 'PENDING' });
    expect(await w.askJson<VoteJson>(`approve ${id}`, 'bob')).toMatchObject({ counted: true, state: 'APPROVED' });

    await w.waitForState(id, ['SUCCEEDED', 'FAILED']);
    const shown = await w.askJson<ApprovalJson>(`approval ${id}`);
    expect(shown.state).toBe('SUCCEEDED');
    expect(shown.votes).toEqual([
      { voter: 'alice', decision: 'approve', reason: null },
      { voter: 'bob', decision: 'approve', reason: null },
    ]);
    expect(shown.execution).toMatchObject({ outcome: 'SUCCEEDED', steps: ['dry run permitted', 'stopped'] });
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');

    const trail = await w.events(id);
    for (const e of ['proposal.created', 'decision.approved', 'execution.enqueued', 'execution.succeeded'])
      expect(trail, e).toContain(e);
    expect(trail.filter((e) => e === 'vote.approve')).toHaveLength(2);
    expect(trail.filter((e) => e === 'execution.started')).toHaveLength(1);
  });

  it('a worker killed while StopInstances is in flight: another worker resumes, and the cloud is changed once', async () => {
    const w = await world({ awsEndpoint: proxy.url, lockSeconds: 2 });
    const instance = w.track(await runInstance(awsEndpoint(), REGION));
    const realStop = (body: string) => body.includes(instance) && !body.includes('DryRun=true');
    const realStops = () => proxy.forwarded.filter((r) => r.action === 'StopInstances' && realStop(r.body)).length;
    proxy.hold('StopInstances', realStop);
    try {
      const first = await w.startWorker();
      const { id } = await w.askJson<ApprovalJson>(propose(instance), 'rita');
      await w.askJson(`approve ${id}`, 'alice');
      await w.askJson(`approve ${id}`, 'carol');

      // The DryRun went through; the real StopInstances waits at the proxy while worker A waits for its answer.
      await waitUntil(() => proxy.held('StopInstances') === 1, 'the real StopInstances to arrive at the proxy');
      expect(proxy.forwarded.some((r) => r.action === 'StopInstances' && r.body.includes('DryRun=true'))).toBe(true);
      expect((await w.approvals.get(id))?.state).toBe('EXECUTING');
      await first.kill('SIGKILL');
      proxy.release('StopInstances');

      await w.startWorker();
      const done = await w.waitForState(id, ['SUCCEEDED', 'FAILED']);
      expect(done.state).toBe('SUCCEEDED');
      expect(done.execution?.attempts).toBe(2);
      expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('stopped');
      // Either the held request reached moto after its client died and worker B saw the instance stopped, or it was
      // dropped and worker B sent its own: one real StopInstances either way.
      expect(realStops()).toBe(1);

      const trail = await w.events(id);
      expect(trail.filter((e) => e === 'execution.started')).toHaveLength(1);
      expect(trail).toContain('execution.resumed');
      expect(trail.filter((e) => e === 'execution.succeeded')).toHaveLength(1);
      expect(trail.indexOf('execution.resumed')).toBeGreaterThan(trail.indexOf('execution.started'));
      const shown = await w.askJson<ApprovalJson>(`approval ${id}`);
      expect(shown).toMatchObject({ state: 'SUCCEEDED', execution: { outcome: 'SUCCEEDED', attempts: 2 } });
    } finally {
      proxy.release('StopInstances');
    }
  });

  it('timers survive while no Tally runs: a worker started after the reminder was due reminds, then expires it', async () => {
    const w = await world({ policy: FAST_TIMERS });
    const instance = w.track(await runInstance(awsEndpoint(), REGION));
    const { id } = await w.askJson<ApprovalJson>(propose(instance), 'rita');
    const created = Date.parse((await w.approvals.get(id))?.createdAt ?? '');

    // Nothing runs the timers yet: wait (by the clock, there is nothing else to wait for) past the reminder.
    await waitUntil(() => Date.now() > created + REMIND_MS + 250, 'the reminder to be due');
    const connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const timers = new Queue('approval-timer', { connection, prefix: w.name });
    try {
      expect(await timers.getJob(`remind-${id}-t0`)).toBeDefined();
      expect(await timers.getJob(`expire-${id}-t0`)).toBeDefined();
    } finally {
      await timers.close();
      connection.disconnect();
    }
    expect((await w.approvals.get(id))?.state).toBe('PENDING');
    expect(await w.events(id)).not.toContain('timer.remind');

    const workerStarted = Date.now();
    await w.startWorker();
    await w.waitForState(id, ['EXPIRED']);
    const shown = await w.askJson<ApprovalJson>(`approval ${id}`);
    expect(shown.state).toBe('EXPIRED');
    expect(shown.votes).toEqual([]);

    const trail = await w.audit.list({ approvalId: id });
    const remind = trail.filter((e) => e.event === 'timer.remind');
    const expire = trail.find((e) => e.event === 'timer.expire');
    expect(remind).toHaveLength(1);
    expect(Date.parse(remind[0]!.at)).toBeGreaterThanOrEqual(workerStarted);
    expect(Date.parse(expire!.at)).toBeGreaterThanOrEqual(created + EXPIRE_MS);
    expect(await instanceState(awsEndpoint(), REGION, instance)).toBe('running');
  });
});
