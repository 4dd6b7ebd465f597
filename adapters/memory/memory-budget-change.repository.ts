import type { BudgetChange, BudgetChangeState } from '../../src/budgets/budget-change.types.js';
import type { BudgetChangeRepository } from '../../src/budgets/budget-change-repository.port.js';
import { TallyError } from '../../src/shared/errors.js';

const DEFAULT_LIMIT = 100;

/**
 * Budget changes in memory, for the shell and tests: deep copies in and out, and `update` checks and writes with no
 * `await` in between, so the compare-and-set is atomic within the process.
 */
export class MemoryBudgetChangeRepository implements BudgetChangeRepository {
  private readonly byId = new Map<string, BudgetChange>();

  async create(change: BudgetChange): Promise<void> {
    if (this.byId.has(change.id))
      throw new TallyError('STORE_UNAVAILABLE', `Budget change ${change.id} exists already.`, {
        metadata: { operation: 'budget_changes.create', approvalId: change.id },
      });
    this.byId.set(change.id, structuredClone(change));
  }

  async get(id: string): Promise<BudgetChange | null> {
    const stored = this.byId.get(id);
    return stored ? structuredClone(stored) : null;
  }

  async update(change: BudgetChange): Promise<boolean> {
    const stored = this.byId.get(change.id);
    if (!stored || stored.version !== change.version - 1) return false;
    this.byId.set(change.id, structuredClone(change));
    return true;
  }

  /** Newest first by `createdAt`, then by descending id (as on MongoDB). */
  async list(query: { states?: BudgetChangeState[]; budget?: string; limit?: number }): Promise<BudgetChange[]> {
    const states = query.states?.length ? new Set(query.states) : null;
    return [...this.byId.values()]
      .filter((c) => (!states || states.has(c.state)) && (query.budget === undefined || c.budget === query.budget))
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      .slice(0, Math.max(0, query.limit ?? DEFAULT_LIMIT))
      .map((c) => structuredClone(c));
  }
}
