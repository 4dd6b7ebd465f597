import type { DeliveryLog, DeliveryRecord } from '../../src/notifications/notification.types.js';

/** The delivery log in memory, for the shell and tests: append-only, stored and returned as copies. */
export class MemoryDeliveryLog implements DeliveryLog {
  private readonly records: DeliveryRecord[] = [];

  async record(entry: DeliveryRecord): Promise<void> {
    this.records.push(structuredClone(entry));
  }

  /** Newest first by `at`; records with the same `at` newest-recorded first. At most `limit` (none when ≤ 0). */
  async latest(query: { limit: number; status?: 'sent' | 'failed' }): Promise<DeliveryRecord[]> {
    if (query.limit <= 0) return [];
    const picked = this.records
      .map((r, seq) => ({ r, seq }))
      .filter(({ r }) => query.status === undefined || r.status === query.status)
      .sort((a, b) => (a.r.at === b.r.at ? b.seq - a.seq : a.r.at < b.r.at ? 1 : -1));
    return picked.slice(0, query.limit).map(({ r }) => structuredClone(r));
  }
}
