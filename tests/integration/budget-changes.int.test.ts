// Issue 16, acceptance 3: budget changes approved in chat (docs/budgets.md#budget-changes), through the app as
// `tally start` wires it (createDeps: the turn handler, the approval runtime's routed commands and buttons), on
// FerretDB (budgets, budget_changes, the audit log), real BullMQ timers on the test Redis, and a recording chat
// platform. The core's clock stands still; an expiry is fired by promoting its delayed job (what its due time would
// do) and waiting until the worker has finished it: nothing waits for time to pass. The tests run in order on one
// app, as one story: payments-team is set in the first and its amount carried into the expiry.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPinoLogger } from '../../adapters/logging/pino-logger.js';
import type { Workers } from '../../jobs/worker-registry.js';
import { createCostTools } from '../../src/agent/agent-tools.js';
import type { Identity } from '../../src/approvals/approval.types.js';
import type { AuditEntry } from '../../src/audit/audit.types.js';
import { type AppDeps, createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { EVAL_DAY, EVAL_FIXTURE } from '../eval/eval-fixture.js';
import { testClock } from '../support/approval-fakes.js';
import { dropPrefix } from '../support/approval-runtime.js';
import { testDataDir } from '../support/data-dir.js';
import { RecordingMessenger } from '../support/recording-messenger.js';
import { mongoUrl, redisUrl, uniqueName } from '../support/services.js';

const SLACK = { rita: 'U0RITA', fiona: 'U0FIONA', frank: 'U0FRANK', gina: 'U0GINA', alice: 'U0ALICE' } as const;
type Who = keyof typeof SLACK;

// Rita owns payments and is in finance too: she still may not approve her own request.
const POLICY = `approvals:
  people:
    rita: { name: Rita, slack: U0RITA }
    fiona: { name: Fiona, slack: U0FIONA }
    frank: { name: Frank, slack: U0FRANK }
    gina: { name: Gina, slack: U0GINA }
    alice: { name: Alice, slack: U0ALICE }
  groups:
    finance: [fiona, frank, gina, rita]
access:
  admins: [alice]
budgets:
  admins: [alice]
  changes: { approvers: ['@finance'], quorum: 2, remindAfter: 1h, expireAfter: 1d }
  list:
    - { name: ml-fixed, amount: 5000 USD, scope: { tags: { team: ml } }, owners: [gina], channel: C0ML }
`;
const CHANNEL = 'C0PAY';
/** The thread requests are made in, as "Request increase" on an alert runs `budget request` in the alert's thread. */
const ALERT_THREAD = '1781000000.000100';
const NOW = new Date(`${EVAL_DAY}T12:00:00Z`);

const clock = testClock(NOW);
const messenger = new RecordingMessenger();
const prefix = uniqueName('bch');
let deps: AppDeps;
let workers: Workers;
let connection: Redis;
const queues: Queue[] = [];

beforeAll(async () => {
  const dir = testDataDir();
  const policyFile = join(dir, 'policy.yml');
  writeFileSync(policyFile, POLICY);
  connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  deps = await createDeps(
    loadConfig({
      TALLY_TODAY: EVAL_DAY,
      TALLY_DATA_DIR: dir,
      TALLY_POLICY_FILE: policyFile,
      MONGODB_URI: `${mongoUrl()}/${uniqueName('budget_changes')}`,
      REDIS_URL: redisUrl(),
      TALLY_QUEUE_PREFIX: prefix,
    }),
    {
      focusPath: EVAL_FIXTURE,
      clock,
      logger: createPinoLogger({ level: 'silent' }),
      queueConnection: connection,
      messengers: [messenger],
    },
  );
  // The approval workers only (the approval-timer queue; without AWS there is no execute worker at all).
  workers = await deps.approvals.startWorkers();
}, 120_000);
afterAll(async () => {
  await workers?.close();
  for (const q of queues) await q.close();
  await deps?.close();
  connection?.disconnect();
  await dropPrefix(prefix);
});

const slack = (who: Who): Identity => ({ platform: 'slack', id: SLACK[who] });
/** A line typed by a Slack user in the payments channel, in the alert's thread. */
const say = (text: string, who: Who): Promise<Reply> =>
  deps.turns.handle({
    user: { id: SLACK[who] },
    location: { platform: 'slack', channel: CHANNEL, thread: ALERT_THREAD },
    text,
  });
/** A click on the Approve button of a card. */
const approve = (id: string, who: Who) =>
  deps.approvals.interactions!.vote({ approvalId: id, voter: slack(who), decision: 'approve' });
const data = (r: Reply) => (r.data ?? {}) as Record<string, unknown>;
const trail = async (id: string): Promise<AuditEntry[]> => deps.stores.audit.list({ approvalId: id, limit: 200 });
const queue = (name: string) => {
  const q = new Queue(name, { connection, prefix });
  queues.push(q);
  return q;
};

/** Requests a change and returns its id. */
async function request(text: string, who: Who = 'rita'): Promise<string> {
  const r = await say(text, who);
  const id = data(r).id;
  expect(r.title, r.text).toMatch(/^Budget change bch_[0-9a-f]{12} requested$/);
  return id as string;
}

/** The budget's status as `budget NAME` answers it. */
async function status(name: string): Promise<Record<string, unknown>> {
  const r = await say(`budget ${name}`, 'alice');
  expect(r.kind).toBe('answer');
  return data(r);
}

describe('budget changes approved in chat', () => {
  it('request → the requester cannot approve → two finance approvers do → the amount changes, audited and told', async () => {
    const set = await say('budget set payments-team 12000 USD monthly for tag:team=payments owner @rita', 'alice');
    expect(data(set)).toMatchObject({ created: true, budget: { channel: CHANNEL } });
    const before = await status('payments-team');

    const id = await request('budget request payments-team 15000 because Black Friday load');
    // The card, top level in the channel, shows the budget, its spend and forecast, old → new and the reason.
    const card = messenger.sent.find((m) => m.op === 'post' && m.reply.title === `Budget change ${id}: payments-team`);
    expect(card?.channel).toBe(CHANNEL);
    expect(card?.thread).toBeUndefined();
    expect(card?.reply.data).toMatchObject({
      kind: 'budget_change',
      state: 'PENDING',
      oldAmount: 12000,
      newAmount: 15000,
      oneOff: null,
      spent: before.spent,
      forecast: before.forecast,
      quorum: 2,
    });
    expect(card?.reply.fields?.find((f) => f.label === 'Change')?.value).toBe(
      '12,000.00 USD → 15,000.00 USD from now on',
    );
    expect(card?.reply.buttons?.map((b) => b.label)).toEqual(['Approve', 'Reject', 'Details']);
    // `approvals` lists it.
    const listed = await say('approvals', 'fiona');
    expect((data(listed).budgetChanges as { id: string }[]).map((c) => c.id)).toEqual([id]);

    // The requester, an approver by group, may not vote; nor may someone outside finance.
    expect(data(await approve(id, 'rita'))).toMatchObject({ counted: false, reason: 'REQUESTER' });
    expect(data(await say(`approve ${id}`, 'alice'))).toMatchObject({ counted: false, reason: 'NOT_APPROVER' });
    expect(data(await approve(id, 'fiona'))).toMatchObject({ counted: true, state: 'PENDING', approvals: 1 });
    expect((await status('payments-team')).amount).toBe(12000);
    expect(data(await say(`approve ${id}`, 'frank'))).toMatchObject({ counted: true, state: 'APPROVED', approvals: 2 });

    const after = await status('payments-team');
    expect(after.amount).toBe(15000);
    expect(after.exception).toBe(false);

    // Every step is in the audit log: the request with the figures of the time, each vote, the decision, the change.
    const entries = await trail(id);
    const events = entries.map((e) => e.event).filter((e) => !e.startsWith('message.'));
    expect(events).toEqual([
      'budget-change.requested',
      'vote.approve',
      'vote.approve',
      'decision.approved',
      'timer.cancelled',
      'budget.changed',
    ]);
    const requested = entries.find((e) => e.event === 'budget-change.requested');
    expect(requested).toMatchObject({ actor: 'rita', why: 'Black Friday load' });
    expect(requested?.data).toMatchObject({
      oldAmount: 12000,
      newAmount: 15000,
      forecast: before.forecast,
      spent: before.spent,
    });
    expect(entries.filter((e) => e.event === 'vote.approve').map((e) => e.actor)).toEqual(['fiona', 'frank']);
    expect(entries.find((e) => e.event === 'budget.changed')?.data).toMatchObject({
      budget: 'payments-team',
      oldAmount: 12000,
      newAmount: 15000,
      requester: 'rita',
      approvers: 'fiona,frank',
      forecastAtRequest: before.forecast,
      spentAtRequest: before.spent,
    });

    // The alert's thread, the card's thread and the budget's channel say so; the requester hears it.
    const told = (m: { reply: Reply }) =>
      m.reply.title.startsWith('Approved by Fiona, Frank: budget payments-team is now 15,000.00 USD from now on');
    expect(messenger.sent.some((m) => m.op === 'post' && m.thread === ALERT_THREAD && told(m))).toBe(true);
    expect(messenger.sent.some((m) => m.op === 'post' && m.thread === card?.messageId && told(m))).toBe(true);
    expect(
      messenger.sent.some(
        (m) =>
          m.op === 'post' && !m.thread && m.channel === CHANNEL && m.reply.title === 'Budget payments-team changed',
      ),
    ).toBe(true);
    expect(messenger.directTo(SLACK.rita).map((m) => data(m.reply).state)).toEqual(['APPROVED']);
    expect(messenger.latest(card!.messageId)?.data).toMatchObject({ state: 'APPROVED' });

    // It touched no cloud: nothing ever reached the execute queue, and its timers are gone.
    expect(await queue('execute').getJobCounts()).toMatchObject({ waiting: 0, delayed: 0, active: 0, completed: 0 });
    expect((await queue('approval-timer').getDelayed()).filter((j) => j.data.approvalId === id)).toEqual([]);
  });

  it('a reject leaves the budget unchanged', async () => {
    const id = await request('budget request ml-fixed 6000 USD because more GPUs', 'gina');
    const r = await say(`reject ${id} because not this quarter`, 'fiona');
    expect(data(r)).toMatchObject({ counted: true, state: 'REJECTED' });
    expect((await status('ml-fixed')).amount).toBe(5000);
    const events = (await trail(id)).map((e) => e.event);
    expect(events).toContain('decision.rejected');
    expect(events).not.toContain('budget.changed');
    expect(data(await approve(id, 'frank'))).toMatchObject({ counted: false, reason: 'NOT_PENDING' });
  });

  it('an expiry leaves the budget unchanged', async () => {
    const id = await request('budget request payments-team 20000 because year-end');
    const timers = queue('approval-timer');
    const expire = await timers.getJob(`expire-${id}-t0`);
    expect(expire?.opts.delay).toBe(24 * 3_600_000);
    expect(await expire?.getState()).toBe('delayed');
    await approve(id, 'fiona');
    await expire!.promote();
    await vi.waitFor(async () => expect(await expire!.getState()).toBe('completed'), { timeout: 20_000, interval: 20 });
    expect((await timers.getJob(expire!.id!))?.returnvalue).toBe('expired');
    expect((await status('payments-team')).amount).toBe(15000);
    const events = (await trail(id)).map((e) => e.event);
    expect(events).toContain('timer.expire');
    expect(events).not.toContain('budget.changed');
    expect(
      messenger.sent.some(
        (m) =>
          m.thread === ALERT_THREAD &&
          m.reply.title.startsWith('Expired without a decision: budget payments-team is unchanged'),
      ),
    ).toBe(true);
    // Voting after the expiry changes nothing.
    expect(data(await approve(id, 'frank'))).toMatchObject({ counted: false, reason: 'NOT_PENDING' });
  });

  it('a one-off exception applies to this period only; the policy budget reads it through', async () => {
    const id = await request('budget request ml-fixed 7000 because training run for this month only', 'gina');
    await approve(id, 'fiona');
    await approve(id, 'rita');
    const june = await status('ml-fixed');
    expect(june).toMatchObject({ amount: 7000, exception: true, period: { key: '2026-06' } });
    const changed = (await trail(id)).find((e) => e.event === 'budget.changed');
    expect(changed?.data).toMatchObject({ oldAmount: 5000, newAmount: 7000, oneOffPeriod: '2026-06' });
    // One ml-fixed in the list, as the policy file defines it, with this period's amount.
    const all = await say('budgets', 'alice');
    expect(JSON.stringify(all.data).match(/"name":"ml-fixed"/g)).toHaveLength(1);
    // Next month the file's amount is back.
    clock.set(new Date('2026-07-02T12:00:00Z'));
    try {
      expect(await status('ml-fixed')).toMatchObject({ amount: 5000, exception: false, period: { key: '2026-07' } });
    } finally {
      clock.set(NOW);
    }
  });

  it('the agent cannot approve: none of its tools votes, cancels or changes budgets; Request increase asks for an amount', async () => {
    const names = createCostTools({
      run: async () => ({ kind: 'notice', title: '', visibility: 'channel' }),
      replies: [],
      today: EVAL_DAY,
    }).map((t) => t.name);
    expect(names.filter((n) => /approve|reject|vote|budget|cancel/.test(n))).toEqual([]);
    // A bare `budget request NAME` (what "Request increase" runs) says how to ask, and creates nothing.
    const hint = await say('budget request payments-team', 'rita');
    expect(hint.text).toContain('budget request payments-team <amount> because <reason>');
    expect((await deps.stores.budgetChanges.list({ states: ['PENDING'] })).length).toBe(0);
  });
});
