import type { AuditEntry, AuditLog } from '../../src/audit/audit.types.js';

/** The audit log in memory, for the shell and tests: append-only, stored and returned as copies. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }

  /** Oldest first by `at`, entries with the same `at` in append order. With a `limit`, the oldest `limit` entries. */
  async list(query: { approvalId?: string; limit?: number }): Promise<AuditEntry[]> {
    if (query.limit !== undefined && query.limit <= 0) return [];
    const picked = this.entries
      .filter((e) => query.approvalId === undefined || e.approvalId === query.approvalId)
      // Array.prototype.sort is stable, so equal instants keep append order.
      .sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
    return picked.slice(0, query.limit ?? picked.length).map((e) => structuredClone(e));
  }
}
