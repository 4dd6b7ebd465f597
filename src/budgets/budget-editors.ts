import type { Identity } from '../approvals/approval.types.js';
import type { ApprovalPolicy } from '../approvals/approval-policy.types.js';
import type { GroupMembers } from '../approvals/approvers.js';
import { eligibleVoters, personOf } from '../approvals/approvers.js';

/**
 * Who may create, change and remove budgets from chat (docs/budgets.md#who-may-change-budgets): the entries of
 * `budgets.admins`, else those of `access.admins`; and the operator at the server (the shell or `tally ask` without
 * `--as`). With neither list, nobody in chat may.
 */
export function budgetEditors(
  policy: { approvals: ApprovalPolicy; admins: readonly string[] },
  groupMembers: GroupMembers,
): (identity: Identity) => Promise<boolean> {
  return async (identity) => {
    const person = personOf(policy.approvals, identity);
    const operator =
      (identity.platform === 'shell' || identity.platform === 'cli') && person.startsWith(`${identity.platform}:`);
    if (operator) return true;
    if (policy.admins.length === 0) return false;
    return (await eligibleVoters(policy.approvals, [...policy.admins], groupMembers)).has(person);
  };
}
