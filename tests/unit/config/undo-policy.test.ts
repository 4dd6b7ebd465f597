import { describe, expect, it } from 'vitest';
import { DEFAULT_UNDO_POLICY } from '../../../src/approvals/undo/undo.types.js';
import { parsePolicy } from '../../../src/config/policy.js';

const PEOPLE = `approvals:
  people:
    rita: { slack: U0RITA }
    alice: { slack: U0ALICE }
`;

describe('approvals.undo', () => {
  it('is absent without the key: the requester or any approver, alone', () => {
    expect(parsePolicy(PEOPLE).approvals.undo).toBeUndefined();
    expect(DEFAULT_UNDO_POLICY).toEqual({ by: ['requester', 'approvers'], quorum: 1 });
  });

  it('takes who may undo and how many must ask', () => {
    const policy = parsePolicy(`${PEOPLE}  undo: { by: [requester, alice], quorum: 2 }\n`);
    expect(policy.approvals.undo).toEqual({ by: ['requester', 'alice'], quorum: 2 });
    expect(parsePolicy(`${PEOPLE}  undo: { quorum: 2 }\n`).approvals.undo).toEqual({
      by: ['requester', 'approvers'],
      quorum: 2,
    });
  });

  it('names the path of an entry that names nobody, and of a bad quorum', () => {
    const problem = (yaml: string) => {
      try {
        parsePolicy(`${PEOPLE}${yaml}`);
      } catch (err) {
        return String((err as Error).message);
      }
      throw new Error('expected the policy to be refused');
    };
    expect(problem('  undo: { by: [approvers, zed] }\n')).toMatch(/approvals\.undo\.by\[1\]: "zed" is not a key/);
    expect(problem('  undo: { quorum: 0 }\n')).toMatch(/approvals\.undo\.quorum/);
    expect(problem('  undo: { who: [rita] }\n')).toMatch(/approvals\.undo/);
  });
});
