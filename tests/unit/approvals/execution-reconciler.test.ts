// The reconciler (docs/architecture.md#execution) in process, on the memory stores with a hand-written fake of the
// execute queue's job states: an execution whose store went away during the cloud call, or whose worker died in it, is
// found without a job, resumed from its steps and the resource's state, and the requester is told; the cloud is
// changed once and the audit trail has every step, including the one in flight.
import { describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import type { ResourceFacts } from '../../../src/actions/action.types.js';
import { auditor } from '../../../src/approvals/approval-events.js';
import type { CloudActions } from '../../../src/approvals/execution/cloud-actions.port.js';
import { ExecutionReconciler } from '../../../src/approvals/execution/execution-reconciler.js';
import { ExecutorService } from '../../../src/approvals/execution/executor.service.js';
import type { AuditLog } from '../../../src/audit/audit.types.js';
import { TallyError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import { type ApprovalCore, createApprovalCore, resources, slackUser } from '../../support/approval-core.js';
import { FakeExecutionJobs, OutageApprovalRepository } from '../../support/approval-fakes.js';

function setUp() {
  const store = new OutageApprovalRepository(new MemoryApprovalRepository());
  const core = createApprovalCore({ approvals: store });
  const jobs = new FakeExecutionJobs();
  const reconciler = new ExecutionReconciler({
    approvals: store,
    jobs,
    messages: core.messages,
    audit: auditor(core.auditLog, core.clock),
    logger: silentLogger,
  });
  return { store, core, jobs, reconciler };
}

async function approved(core: ApprovalCore, facts: ResourceFacts): Promise<string> {
  const id = await core.propose('stop_instance', facts);
  await core.vote(id, slackUser('alice'));
  await core.vote(id, slackUser('bob'));
  return id;
}

/** The audit trail of an approval's execution, as `event: what`. */
async function executionTrail(core: ApprovalCore, id: string): Promise<string[]> {
  return (await core.auditLog.list({ approvalId: id }))
    .filter((e) => e.event.startsWith('execution.'))
    .map((e) => `${e.event}: ${e.what}`);
}

describe('the store goes away during the cloud call', () => {
  it('leaves the approval EXECUTING; once the store is back the reconciler resumes it: SUCCEEDED, one stop, every step', async () => {
    const { store, core, jobs, reconciler } = setUp();
    const instance = 'i-0ccccccccccccc001';
    const id = await approved(core, resources.instance(instance));

    // The database stops while the cloud stops the instance: the audit log lives in it too.
    const cloud: CloudActions = {
      describe: (ref) => core.cloud.describe(ref),
      dryRun: (kind, ref) => core.cloud.dryRun(kind, ref),
      stopInstance: async (ref) => {
        await core.cloud.stopInstance(ref);
        store.down = true;
      },
      startInstance: (ref) => core.cloud.startInstance(ref),
      modifyInstanceType: (ref, type) => core.cloud.modifyInstanceType(ref, type),
      createSnapshot: (ref, options) => core.cloud.createSnapshot(ref, options),
      findSnapshot: (ref, tag) => core.cloud.findSnapshot(ref, tag),
      deleteVolume: (ref) => core.cloud.deleteVolume(ref),
      releaseAddress: (ref) => core.cloud.releaseAddress(ref),
    };
    const auditLog: AuditLog = {
      append: (entry) =>
        store.down
          ? Promise.reject(new TallyError('STORE_UNAVAILABLE', 'The data store failed during audit.append.'))
          : core.auditLog.append(entry),
      list: (query) => core.auditLog.list(query),
    };
    const executor = new ExecutorService({
      approvals: store,
      cloud,
      guardrails: core.policy.guardrails,
      messages: core.messages,
      outcomes: core.outcomes,
      audit: auditor(auditLog, core.clock),
      clock: core.clock,
      logger: silentLogger,
    });
    // The job fails (the processor makes a store failure final): the approval is not marked FAILED.
    await expect(executor.execute(id, { finalAttempt: false })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    jobs.states.set(id, 'failed');

    // While the store is down, a pass fails (its job retries) and requeues nothing.
    await expect(reconciler.reconcile()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(jobs.requeued).toEqual([]);

    store.down = false;
    const stuck = await core.get(id);
    expect(stuck.state).toBe('EXECUTING');
    expect(stuck.execution?.steps).toEqual(['dry run permitted']);
    // The step in flight is in the trail: its intent was written before the call.
    expect((await executionTrail(core, id)).at(-1)).toBe(`execution.intent: stopping ${instance}`);

    expect(await reconciler.reconcile()).toEqual({ resumed: [id], enqueued: [] });
    expect(jobs.requeued).toEqual([id]);
    const told = core.dmsTo('rita');
    expect(told).toHaveLength(1);
    expect(told[0]?.reply.text).toContain('interrupted');
    expect(told[0]?.reply.text).toContain('dry run permitted');

    // The requeued job runs: the instance is already stopped, so nothing is called again.
    expect(await core.executor.execute(id, { finalAttempt: false })).toBe('SUCCEEDED');
    jobs.states.set(id, 'completed');
    const done = await core.get(id);
    expect(done.state).toBe('SUCCEEDED');
    expect(done.execution?.attempts).toBe(2);
    expect(core.cloud.changes()).toEqual([`stopInstance ${instance}`]);
    expect(core.cloud.peek(instance)).toMatchObject({ state: 'stopped' });
    const trail = await executionTrail(core, id);
    expect(trail[0]).toMatch(/^execution\.enqueued: /);
    expect(trail.slice(1)).toEqual([
      `execution.started: started: ${done.action.summary}`,
      'execution.step: dry run permitted',
      `execution.intent: stopping ${instance}`,
      'execution.reconciled: execution found interrupted with no job; resuming (steps done: dry run permitted)',
      `execution.resumed: resumed: ${done.action.summary}`,
      'execution.step: stopped (found done when resuming)',
      `execution.succeeded: succeeded: ${done.action.summary}`,
    ]);
    // The requester heard of the resumption, then of the outcome.
    expect(core.dmsTo('rita').map((m) => (m.reply.data as { state: string }).state)).toEqual([
      'EXECUTING',
      'SUCCEEDED',
    ]);

    // Nothing is left to reconcile.
    expect(await reconciler.reconcile()).toEqual({ resumed: [], enqueued: [] });
    expect(jobs.requeued).toEqual([id]);
  });
});

describe('which approvals a pass takes up', () => {
  it('a worker killed mid-call: the job still running (or retrying) is left alone; once gone, it is resumed once', async () => {
    const { core, jobs, reconciler } = setUp();
    const instance = 'i-0ccccccccccccc002';
    const id = await approved(core, resources.instance(instance));
    const crashed = core.cloud.crashNext('stopInstance', 'after');
    void core.executor.execute(id, { finalAttempt: false });
    await crashed;
    expect((await executionTrail(core, id)).at(-1)).toBe(`execution.intent: stopping ${instance}`);

    for (const state of ['active', 'delayed', 'waiting'] as const) {
      jobs.states.set(id, state);
      expect(await reconciler.reconcile()).toEqual({ resumed: [], enqueued: [] });
    }
    jobs.states.delete(id);
    expect(await reconciler.reconcile()).toEqual({ resumed: [id], enqueued: [] });
    // Requeued, its job is waiting: a second pass does nothing more.
    expect(await reconciler.reconcile()).toEqual({ resumed: [], enqueued: [] });
    expect(jobs.requeued).toEqual([id]);

    expect(await core.executor.execute(id, { finalAttempt: false })).toBe('SUCCEEDED');
    expect(core.cloud.changes()).toEqual([`stopInstance ${instance}`]);
    const trail = await executionTrail(core, id);
    expect(trail).toContain('execution.step: stopped (found done when resuming)');
    expect(trail.at(-1)).toMatch(/^execution\.succeeded/);
  });

  it('an approved approval without a job gets it, without a message; finished ones are not touched', async () => {
    const { core, jobs, reconciler } = setUp();
    const waiting = await approved(core, resources.instance('i-0ccccccccccccc003'));
    const finished = await approved(core, resources.instance('i-0ccccccccccccc004'));
    expect(await core.executor.execute(finished, { finalAttempt: false })).toBe('SUCCEEDED');
    jobs.states.set(finished, 'completed');
    const dmsBefore = core.dmsTo('rita').length;

    expect(await reconciler.reconcile()).toEqual({ resumed: [], enqueued: [waiting] });
    expect(jobs.requeued).toEqual([waiting]);
    expect(core.dmsTo('rita')).toHaveLength(dmsBefore);
    expect((await core.get(waiting)).state).toBe('APPROVED');
  });

  it('an execution whose job finishes while the pass looks at it is left as it ended', async () => {
    const { store, core } = setUp();
    const id = await approved(core, resources.instance('i-0ccccccccccccc005'));
    const requeued: string[] = [];
    // The pass lists the approval APPROVED; its job runs to the end while the pass asks for the job's state.
    const reconciler = new ExecutionReconciler({
      approvals: store,
      jobs: {
        pending: async (approvalId) => {
          await core.executor.execute(approvalId, { finalAttempt: false });
          return false;
        },
        requeue: async (approvalId) => void requeued.push(approvalId),
      },
      messages: core.messages,
      audit: auditor(core.auditLog, core.clock),
      logger: silentLogger,
    });
    expect(await reconciler.reconcile()).toEqual({ resumed: [], enqueued: [] });
    expect(requeued).toEqual([]);
    expect((await core.get(id)).state).toBe('SUCCEEDED');
    expect(core.cloud.changes()).toEqual(['stopInstance i-0ccccccccccccc005']);
  });
});
