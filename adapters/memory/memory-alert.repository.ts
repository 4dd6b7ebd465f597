import type { AlertRecord, AlertRepository, SeriesMute } from '../../src/anomalies/alert.types.js';

/**
 * Alerts and mutes in memory, for the shell and tests. Stores and returns deep copies. `claim` and `acknowledge`
 * check and write with no `await` in between, which makes them atomic within the process.
 */
export class MemoryAlertRepository implements AlertRepository {
  private readonly alerts = new Map<string, AlertRecord>();
  /** The first acknowledgement per anomaly id; kept when a claim is released, as on MongoDB. */
  private readonly acks = new Map<string, { by: string; at: string }>();
  private readonly mutes: SeriesMute[] = [];

  async claim(record: AlertRecord): Promise<boolean> {
    if (this.alerts.has(record.anomalyId)) return false;
    const { acknowledgedBy: _by, acknowledgedAt: _at, ...stored } = structuredClone(record);
    this.alerts.set(record.anomalyId, stored);
    return true;
  }

  async release(anomalyId: string): Promise<void> {
    this.alerts.delete(anomalyId);
  }

  async get(anomalyId: string): Promise<AlertRecord | null> {
    return this.read(anomalyId);
  }

  async acknowledge(anomalyId: string, by: string, at: string): Promise<AlertRecord | null> {
    if (!this.alerts.has(anomalyId)) return null;
    if (!this.acks.has(anomalyId)) this.acks.set(anomalyId, { by, at });
    return this.read(anomalyId);
  }

  async mute(mute: SeriesMute): Promise<void> {
    this.mutes.push({ ...mute });
  }

  async mutedUntil(seriesKey: string, now: Date): Promise<string | null> {
    const after = now.toISOString();
    let latest: string | null = null;
    for (const m of this.mutes)
      if (m.seriesKey === seriesKey && m.until > after && (latest === null || m.until > latest)) latest = m.until;
    return latest;
  }

  /** Newest `sentAt` first, ties by descending `anomalyId`, as on MongoDB. */
  async recent(limit: number): Promise<AlertRecord[]> {
    if (limit <= 0) return [];
    return [...this.alerts.keys()]
      .map((id) => this.read(id)!)
      .sort((a, b) => compareDesc(a.sentAt, b.sentAt) || compareDesc(a.anomalyId, b.anomalyId))
      .slice(0, limit);
  }

  private read(anomalyId: string): AlertRecord | null {
    const stored = this.alerts.get(anomalyId);
    if (!stored) return null;
    const ack = this.acks.get(anomalyId);
    return { ...structuredClone(stored), ...(ack ? { acknowledgedBy: ack.by, acknowledgedAt: ack.at } : {}) };
  }
}

/** Descending order of ISO instants and ids, compared as text (for ASCII, the same order as MongoDB's). */
function compareDesc(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? 1 : -1;
}
