import { describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../../adapters/memory/memory-audit.log.js';
import type { ExecutionRecord } from '../../../src/approvals/approval.types.js';
import { auditor } from '../../../src/approvals/approval-events.js';
import { PostCheck } from '../../../src/approvals/execution/post-check.js';
import { SavingsService, savingsReply } from '../../../src/approvals/savings.service.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { testClock } from '../../support/approval-fakes.js';
import { testApproval } from '../../support/approvals.js';
import { testCostRepository } from '../../support/cost-store.js';
import { testRollup } from '../../support/rollups.js';

const EC2 = 'Amazon Elastic Compute Cloud';
const slice = { subAccountId: '123456789012', region: 'us-east-1', source: 'focus' };

/** Daily EC2 cost of the action's account and region: `before` per day for 14 days, then `after` per day. */
async function costs(executedOn: string, before: number, after: number, daysAfter: number) {
  const repo = await testCostRepository();
  const rollups = [];
  const base = Date.parse(`${executedOn}T00:00:00Z`);
  const day = (n: number) => new Date(base + n * 86_400_000).toISOString().slice(0, 10);
  for (let n = -14; n <= -1; n++) rollups.push(testRollup(day(n), EC2, before, slice));
  rollups.push(testRollup(day(0), EC2, (before + after) / 2, slice));
  for (let n = 1; n <= daysAfter; n++) rollups.push(testRollup(day(n), EC2, after, slice));
  // Another account's cost must not count.
  rollups.push(testRollup(day(1), EC2, 500, { ...slice, subAccountId: '999' }));
  await repo.replaceRollups('focus', { from: day(-14), to: day(daysAfter) }, rollups);
  return repo;
}

const EXECUTED: ExecutionRecord = {
  startedAt: '2026-05-10T10:00:00.000Z',
  finishedAt: '2026-05-10T10:01:00.000Z',
  outcome: 'SUCCEEDED',
  steps: ['stopped'],
  attempts: 1,
};

async function ledgerFor(monthlySavings: number, daysAfter: number, execution: ExecutionRecord = EXECUTED) {
  const approvals = new MemoryApprovalRepository();
  const a = testApproval({ state: 'SUCCEEDED' });
  await approvals.create({ ...a, action: { ...a.action, monthlySavings }, execution });
  const service = new SavingsService({
    approvals,
    costs: await costs('2026-05-10', 10, 4, daysAfter),
    clock: fixedClock(new Date('2026-05-20T12:00:00Z')),
  });
  return service.ledger();
}

describe('savings ledger', () => {
  it('realised savings = the daily drop against the 14 days before, over the days after', async () => {
    const { entries } = await ledgerFor(300, 5);
    // 5 days × (10 − 4) = 30, under the cap of 300 × 5 / (730 / 24).
    expect(entries).toEqual([
      expect.objectContaining({ executedOn: '2026-05-10', estimatedMonthly: 300, realised: { amount: 30, days: 5 } }),
    ]);
  });

  it('never claims more than the estimate for the days covered', async () => {
    const { entries } = await ledgerFor(50, 5);
    const cap = Math.round(((50 * 5) / (730 / 24)) * 100) / 100;
    expect(entries[0]?.realised).toEqual({ amount: cap, days: 5 });
  });

  it('waits for cost data after the action', async () => {
    const { entries } = await ledgerFor(300, 0);
    expect(entries[0]?.realised).toBeNull();
    const reply = savingsReply({ entries, inProgress: [] }, '2026-05-20');
    expect(reply.text).toContain('1 waiting for cost data');
    expect(reply.data).toMatchObject({ estimatedMonthly: 300, realised: 0 });
  });

  it('counts from the time the check after the action confirmed the new state, not from the approval', async () => {
    // Finished just before midnight; the instance is seen stopped after two looks 15 s apart, past midnight.
    const clock = testClock(new Date('2026-05-10T23:59:50.000Z'));
    const approval = testApproval({ state: 'EXECUTING' });
    const states = ['stopping', 'stopping', 'stopped'];
    const check = new PostCheck({
      cloud: {
        describe: async (ref) => ({
          resourceType: 'instance',
          id: ref.resourceId,
          instanceType: 't3.large',
          state: states.shift() ?? 'stopped',
          tags: [],
        }),
        snapshotState: async () => null,
      },
      audit: auditor(new MemoryAuditLog(), clock),
      clock,
      delay: async (ms) => clock.advance(ms),
    });
    const verification = await check.verify(approval, { note: '' });
    expect(verification).toMatchObject({ confirmed: true, at: '2026-05-11T00:00:20.000Z' });

    const { entries } = await ledgerFor(300, 5, { ...EXECUTED, finishedAt: '2026-05-10T23:59:50.000Z', verification });
    // The fixture: 10 a day for the 14 days before 2026-05-10, 7 on it, 4 a day from 2026-05-11 to 2026-05-15.
    // Counted from 2026-05-11: the baseline is 2026-04-27…2026-05-10, the days after 2026-05-12…2026-05-15.
    const baseline = (13 * 10 + 7) / 14;
    expect(entries[0]).toMatchObject({
      executedOn: '2026-05-11',
      verification: 'confirmed',
      realised: { amount: Math.round(4 * (baseline - 4) * 100) / 100, days: 4 },
    });
  });

  it('a state the check did not confirm counts from the end of the execution, marked not confirmed', async () => {
    const verification = { at: '2026-05-10T10:11:00.000Z', confirmed: false, state: 'i-0 running', reason: 'x' };
    const { entries } = await ledgerFor(300, 5, { ...EXECUTED, verification });
    expect(entries[0]).toMatchObject({
      executedOn: '2026-05-10',
      verification: 'not confirmed',
      realised: { amount: 30, days: 5 },
    });
    const reply = savingsReply({ entries, inProgress: [] }, '2026-05-20');
    expect(reply.tables?.[0]?.rows[0]?.[1]).toEqual({ kind: 'text', text: '2026-05-10 (not confirmed)' });
  });
});
