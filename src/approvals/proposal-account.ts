import type { TargetRef } from '../actions/action.types.js';
import type { CloudActions } from './execution/cloud-actions.port.js';

/** The account of a proposal, or why there is none. */
export type ProposalAccount = { ok: true; accountId: string } | { ok: false; message: string };

/**
 * Which covered account a proposal acts in (README "Every account"): the one it names, which must be covered; else
 * the only one; else the first, in the order given (the credentials' own first), where the resource exists. An
 * account that cannot be asked is passed over. When no account holds it, the first is answered, so that the proposal
 * says it was not found there.
 */
export async function proposalAccount(
  where: Omit<TargetRef, 'accountId'> & { accountId?: string },
  accounts: readonly string[],
  cloud: Pick<CloudActions, 'describe'>,
): Promise<ProposalAccount> {
  const [first] = accounts;
  if (first === undefined) return { ok: false, message: 'No AWS account is configured.' };
  if (where.accountId !== undefined) {
    return accounts.includes(where.accountId)
      ? { ok: true, accountId: where.accountId }
      : {
          ok: false,
          message: `Account ${where.accountId} is not one Tally covers (${accounts.join(', ')}); see TALLY_AWS_ACCOUNTS and TALLY_AWS_ROLE_NAME.`,
        };
  }
  if (accounts.length === 1) return { ok: true, accountId: first };
  const { accountId: _named, ...ref } = where;
  const found = await Promise.all(
    accounts.map((accountId) =>
      cloud.describe({ ...ref, accountId }).then(
        (facts) => facts !== null,
        () => false,
      ),
    ),
  );
  return { ok: true, accountId: accounts[found.indexOf(true)] ?? first };
}
