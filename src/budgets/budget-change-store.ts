import { TallyError } from '../shared/errors.js';
import type { BudgetChange } from './budget-change.types.js';
import type { BudgetChangeRepository } from './budget-change-repository.port.js';

/** What a change function decides: the next budget change to write, or an outcome that changes nothing. */
type Step<R> = { write: BudgetChange; result: R } | { write?: undefined; result: R };

const MAX_ATTEMPTS = 50;

/**
 * Read-modify-write with compare-and-set on `version`, as `changeApproval` does for approvals
 * (docs/architecture.md#votes-and-compare-and-set): on a lost race `step` runs again on the fresh copy, so of two
 * concurrent last votes only one decides.
 */
export async function changeBudgetChange<R>(
  repo: BudgetChangeRepository,
  id: string,
  step: (current: BudgetChange | null) => Step<R> | Promise<Step<R>>,
): Promise<{ result: R; written: BudgetChange | null }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await repo.get(id);
    const outcome = await step(current);
    if (!outcome.write) return { result: outcome.result, written: null };
    const next = { ...outcome.write, version: (current?.version ?? 0) + 1 };
    if (await repo.update(next)) return { result: outcome.result, written: next };
  }
  throw new TallyError('STORE_UNAVAILABLE', `budget change ${id}: too many concurrent changes`, {
    metadata: { approvalId: id },
  });
}
