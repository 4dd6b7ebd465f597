import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { TallyError } from '../../../src/shared/errors.js';

const HOUR = 3_600_000;
const PEOPLE = `approvals:
  people:
    alice: { slack: U0ALICE }
    bob: { slack: U0BOB }
  groups:
    finance: [alice, bob]
`;

function refusedPaths(text: string): string[] {
  try {
    parsePolicy(text);
  } catch (err) {
    expect(err).toBeInstanceOf(TallyError);
    expect((err as TallyError).code).toBe('CONFIG_INVALID');
    return (err as TallyError).metadata.paths as string[];
  }
  throw new Error('the policy was accepted');
}

describe('budgets.changes: who approves budget changes', () => {
  it('reads approvers and quorum as one tier, with the defaults; the requester never votes, expiry rejects', () => {
    const p = parsePolicy(`${PEOPLE}budgets:
  changes: { approvers: ['@finance'], quorum: 2, expireAfter: 3d }
`);
    expect(p.budgets.changes).toEqual({
      tiers: [{ approvers: ['@finance'], quorum: 2 }],
      requesterMayVote: false,
      remindAfterMs: 4 * HOUR,
      escalateAfterMs: 24 * HOUR,
      expireAfterMs: 72 * HOUR,
      onExpiry: 'reject',
    });
  });

  it('reads tiers, each without a quorum taking the level quorum', () => {
    const p = parsePolicy(`${PEOPLE}budgets:
  changes:
    quorum: 2
    tiers: [{ approvers: ['@finance'] }, { approvers: [alice], quorum: 1 }]
    escalateAfter: 8h
`);
    expect(p.budgets.changes?.tiers).toEqual([
      { approvers: ['@finance'], quorum: 2 },
      { approvers: ['alice'], quorum: 1 },
    ]);
    expect(p.budgets.changes?.escalateAfterMs).toBe(8 * HOUR);
  });

  it('has none without the key: nobody approves budget changes', () => {
    expect(parsePolicy(`${PEOPLE}budgets: []\n`).budgets.changes).toBeUndefined();
  });

  it('refuses unknown approvers, a bad duration, requesterMayVote and both approvers and tiers, by path', () => {
    expect(refusedPaths(`${PEOPLE}budgets:\n  changes: { approvers: ['@nobody', carl] }\n`)).toEqual([
      'budgets.changes.approvers[0]',
      'budgets.changes.approvers[1]',
    ]);
    expect(refusedPaths(`${PEOPLE}budgets:\n  changes: { approvers: [alice], expireAfter: soon }\n`)).toEqual([
      'budgets.changes.expireAfter',
    ]);
    expect(refusedPaths(`${PEOPLE}budgets:\n  changes: { approvers: [alice], requesterMayVote: true }\n`)).toEqual([
      'budgets.changes.requesterMayVote',
    ]);
    expect(
      refusedPaths(`${PEOPLE}budgets:\n  changes: { approvers: [alice], tiers: [{ approvers: [bob] }] }\n`),
    ).toEqual(['budgets.changes']);
  });
});
