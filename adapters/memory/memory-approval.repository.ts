import type { Approval } from '../../src/approvals/approval.types.js';
import type { ApprovalQuery, ApprovalRepository } from '../../src/approvals/approval-repository.port.js';
import { TallyError } from '../../src/shared/errors.js';

const DEFAULT_LIMIT = 100;

/**
 * Approvals in memory, for the shell and tests. Stores and returns deep copies, so no caller can change stored
 * state behind the repository's back. `update` checks and writes with no `await` in between, which makes the
 * compare-and-set atomic within the process.
 */
export class MemoryApprovalRepository implements ApprovalRepository {
  private readonly byId = new Map<string, Approval>();
  private readonly claims = new Map<string, string>();

  async claim(key: string, approvalId: string): Promise<string | null> {
    const holder = this.claims.get(key);
    if (holder !== undefined && holder !== approvalId) return holder;
    this.claims.set(key, approvalId);
    return null;
  }

  async releaseClaim(key: string, approvalId: string): Promise<void> {
    if (this.claims.get(key) === approvalId) this.claims.delete(key);
  }

  /** Throws `STORE_UNAVAILABLE` when the id exists, as the MongoDB repository does on its unique index. */
  async create(approval: Approval): Promise<void> {
    if (this.byId.has(approval.id)) {
      throw new TallyError('STORE_UNAVAILABLE', `Approval ${approval.id} exists already.`, {
        metadata: { operation: 'approvals.create', approvalId: approval.id },
      });
    }
    this.byId.set(approval.id, structuredClone(approval));
  }

  async get(id: string): Promise<Approval | null> {
    const stored = this.byId.get(id);
    return stored ? structuredClone(stored) : null;
  }

  async update(approval: Approval): Promise<boolean> {
    const stored = this.byId.get(approval.id);
    if (!stored || stored.version !== approval.version - 1) return false;
    this.byId.set(approval.id, structuredClone(approval));
    return true;
  }

  /** Newest first by `createdAt`; approvals created at the same instant by descending `id`, as on MongoDB. */
  async list(query: ApprovalQuery): Promise<Approval[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (limit <= 0) return [];
    // An empty list of states filters nothing, like the empty allow-lists of cost queries.
    const states = query.states?.length ? new Set(query.states) : null;
    const from = query.executionStartedFrom;
    return [...this.byId.values()]
      .filter((a) => {
        if (states && !states.has(a.state)) return false;
        if (query.accountId !== undefined && a.action.target.accountId !== query.accountId) return false;
        if (from !== undefined && !(a.execution && a.execution.startedAt >= from)) return false;
        return true;
      })
      .sort((x, y) => compareDesc(x.createdAt, y.createdAt) || compareDesc(x.id, y.id))
      .slice(0, limit)
      .map((a) => structuredClone(a));
  }
}

/** Descending order of ISO instants and ids, compared as text (for ASCII, the same order as MongoDB's). */
function compareDesc(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? 1 : -1;
}
