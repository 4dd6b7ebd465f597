import { TallyError } from '../shared/errors.js';
import type { Approval } from './approval.types.js';
import type { ApprovalRepository } from './approval-repository.port.js';

/** What a change function decides: a new approval to write, or an outcome that changes nothing. */
export type Change<R> = { write: Approval; result: R } | { write?: undefined; result: R };

const MAX_ATTEMPTS = 50;

/**
 * Read-modify-write with compare-and-set on `version`: `change` sees the latest approval and returns the next one (or
 * nothing); on a lost race it runs again on the fresh copy. This is how votes are counted atomically without
 * transactions (FerretDB, the MongoDB server of the tests, has none: docs/architecture.md#state-stores).
 */
export async function changeApproval<R>(
  repo: ApprovalRepository,
  id: string,
  change: (current: Approval | null) => Change<R> | Promise<Change<R>>,
): Promise<{ result: R; written: Approval | null }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await repo.get(id);
    const outcome = await change(current);
    if (!outcome.write) return { result: outcome.result, written: null };
    const next = { ...outcome.write, version: (current?.version ?? 0) + 1 };
    if (await repo.update(next)) return { result: outcome.result, written: next };
    // Lost the race: someone else changed it; re-read and decide again.
  }
  throw new TallyError('STORE_UNAVAILABLE', `approval ${id}: too many concurrent changes`, {
    metadata: { approvalId: id },
  });
}
