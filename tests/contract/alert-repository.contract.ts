import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRecord, AlertRepository } from '../../src/anomalies/alert.types.js';
import { testAlertRecord, testAnomaly } from '../support/alert-fixtures.js';

const at = (hour: number) => `2026-05-15T${String(hour).padStart(2, '0')}:00:00.000Z`;

/**
 * The contract every `AlertRepository` must pass. `make` returns an empty repository and a cleanup for it; it is
 * called before each test.
 */
export function alertRepositoryContract(
  name: string,
  make: () => Promise<{ repo: AlertRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`AlertRepository contract: ${name}`, () => {
    let repo: AlertRepository;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('knows no alert when empty', async () => {
      expect(await repo.get('nothing')).toBeNull();
      expect(await repo.acknowledge('nothing', 'alice', at(1))).toBeNull();
      expect(await repo.recent(10)).toEqual([]);
      expect(await repo.mutedUntil('service|Amazon EC2|USD', new Date(at(1)))).toBeNull();
    });

    it('claims an anomaly once and keeps the first record', async () => {
      const first = testAlertRecord();
      expect(await repo.claim(structuredClone(first))).toBe(true);
      const second = { ...testAlertRecord(), sentAt: at(9), deliveries: ['other'] };
      expect(await repo.claim(second)).toBe(false);
      expect(await repo.get(first.anomalyId)).toStrictEqual(first);
    });

    it('lets exactly one of 20 concurrent claims of one anomaly win', async () => {
      const claims = Array.from({ length: 20 }, (_, n) => ({ ...testAlertRecord(), sentAt: at(n) }));
      const results = await Promise.all(claims.map((c) => repo.claim(c)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = claims[results.indexOf(true)];
      expect(await repo.get(winner!.anomalyId)).toStrictEqual(winner);
    });

    it('stores every field of the anomaly: null relative, no provider, no contributors, odd keys', async () => {
      const anomaly = testAnomaly({
        dimension: 'account',
        key: '111122223333',
        label: 'payments.prod $team',
        relative: null,
        expected: 0,
        actual: 75.5,
        impact: 75.5,
        severity: 'critical',
        contributors: [],
      });
      delete anomaly.provider;
      const record = testAlertRecord(anomaly);
      await repo.claim(structuredClone(record));
      const stored = await repo.get(anomaly.id);
      expect(stored).toStrictEqual(record);
      expect(stored?.anomaly).not.toHaveProperty('provider');
      expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    });

    it('lets a released claim be claimed again, keeping its acknowledgement', async () => {
      const record = testAlertRecord();
      await repo.claim(record);
      await repo.acknowledge(record.anomalyId, 'alice', at(7));
      await repo.release(record.anomalyId);
      await repo.release('never-claimed');
      expect(await repo.get(record.anomalyId)).toBeNull();
      expect(await repo.claim({ ...record, sentAt: at(8) })).toBe(true);
      expect(await repo.get(record.anomalyId)).toMatchObject({ sentAt: at(8), acknowledgedBy: 'alice' });
    });

    it('keeps the first acknowledgement', async () => {
      const record = testAlertRecord();
      await repo.claim(record);
      const first = await repo.acknowledge(record.anomalyId, 'Alice Ng', at(7));
      expect(first).toStrictEqual({ ...record, acknowledgedBy: 'Alice Ng', acknowledgedAt: at(7) });
      const second = await repo.acknowledge(record.anomalyId, 'bob', at(8));
      expect(second).toStrictEqual(first);
      expect(await repo.get(record.anomalyId)).toStrictEqual(first);
    });

    it('lets exactly one of 10 concurrent acknowledgers win, and every caller sees the winner', async () => {
      const record = testAlertRecord();
      await repo.claim(record);
      const people = Array.from({ length: 10 }, (_, n) => `person-${n}`);
      const results = await Promise.all(people.map((p, n) => repo.acknowledge(record.anomalyId, p, at(n))));
      const winners = new Set(results.map((r) => r?.acknowledgedBy));
      expect(winners.size).toBe(1);
      const winner = people.indexOf([...winners][0]!);
      expect(results[0]).toMatchObject({ acknowledgedBy: people[winner], acknowledgedAt: at(winner) });
    });

    it('answers the latest mute of a series that is still running', async () => {
      const series = 'service|Amazon EC2|USD';
      await repo.mute({ seriesKey: series, until: at(10), by: 'alice', at: at(1) });
      await repo.mute({ seriesKey: series, until: at(12), by: 'bob', at: at(2) });
      await repo.mute({ seriesKey: series, until: at(11), by: 'carol', at: at(3) });
      await repo.mute({ seriesKey: 'service|Amazon S3|USD', until: at(20), by: 'dan', at: at(3) });
      expect(await repo.mutedUntil(series, new Date(at(4)))).toBe(at(12));
      expect(await repo.mutedUntil(series, new Date(at(11)))).toBe(at(12));
      expect(await repo.mutedUntil(series, new Date(at(12)))).toBeNull();
      expect(await repo.mutedUntil('service|Amazon EC2|EUR', new Date(at(4)))).toBeNull();
    });

    it('lists recent alerts newest first with their acknowledgements, honouring the limit', async () => {
      const records: AlertRecord[] = [3, 1, 5, 2].map((hour, n) =>
        testAlertRecord(testAnomaly({ day: `2026-05-1${n}` }), at(hour)),
      );
      for (const r of records) await repo.claim(r);
      await repo.acknowledge(records[2]!.anomalyId, 'alice', at(6));
      const recent = await repo.recent(3);
      expect(recent.map((r) => r.sentAt)).toEqual([at(5), at(3), at(2)]);
      expect(recent[0]).toStrictEqual({ ...records[2], acknowledgedBy: 'alice', acknowledgedAt: at(6) });
      expect(recent[1]).toStrictEqual(records[0]);
      expect(await repo.recent(0)).toEqual([]);
      expect(await repo.recent(50)).toHaveLength(4);
    });

    it('keeps stored records apart from what was claimed or returned', async () => {
      const original = testAlertRecord();
      const claimed = structuredClone(original);
      await repo.claim(claimed);
      claimed.deliveries.push('changed');
      claimed.anomaly.contributors[0]!.impact = 0;
      const read = await repo.get(original.anomalyId);
      read!.anomaly.label = 'changed';
      expect(await repo.get(original.anomalyId)).toStrictEqual(original);
    });
  });
}
