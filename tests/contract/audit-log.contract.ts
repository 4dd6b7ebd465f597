import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../src/audit/audit.types.js';
import { testAuditEntry } from '../support/approvals.js';

const at = (minute: number) => `2026-03-02T09:${String(minute).padStart(2, '0')}:00.000Z`;

/**
 * The contract every `AuditLog` must pass. `make` returns an empty log and a cleanup for it; it is called before
 * each test.
 */
export function auditLogContract(
  name: string,
  make: () => Promise<{ log: AuditLog; cleanup: () => Promise<void> }>,
): void {
  describe(`AuditLog contract: ${name}`, () => {
    let log: AuditLog;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ log, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('has no entries when empty', async () => {
      expect(await log.list({})).toEqual([]);
      expect(await log.list({ approvalId: 'apr_none' })).toEqual([]);
    });

    it('lists the entries of one approval oldest first, whatever the append order', async () => {
      const mine = [3, 1, 7, 2].map((m) => testAuditEntry({ approvalId: 'apr_mine', at: at(m), event: `e${m}` }));
      const other = testAuditEntry({ approvalId: 'apr_other', at: at(0) });
      const loose = testAuditEntry({ at: at(5) });
      delete loose.approvalId;
      for (const e of [mine[0]!, other, mine[1]!, loose, mine[2]!, mine[3]!]) await log.append(e);
      const listed = await log.list({ approvalId: 'apr_mine' });
      expect(listed.map((e) => e.event)).toEqual(['e1', 'e2', 'e3', 'e7']);
      expect(listed).toStrictEqual([mine[1], mine[3], mine[0], mine[2]]);
      expect((await log.list({})).map((e) => e.id)).toEqual(
        [other, mine[1]!, mine[3]!, mine[0]!, loose, mine[2]!].map((e) => e.id),
      );
    });

    it('keeps append order among entries at the same instant', async () => {
      const events = ['vote.approve', 'decision.approved', 'timer.cancelled', 'message.updated'];
      for (const event of events) await log.append(testAuditEntry({ approvalId: 'apr_same', at: at(4), event }));
      await log.append(testAuditEntry({ approvalId: 'apr_same', at: at(3), event: 'proposal.created' }));
      const listed = await log.list({ approvalId: 'apr_same' });
      expect(listed.map((e) => e.event)).toEqual(['proposal.created', ...events]);
    });

    it('honours the limit, keeping the oldest', async () => {
      for (const m of [5, 1, 4, 2, 3])
        await log.append(testAuditEntry({ approvalId: 'apr_l', at: at(m), event: `e${m}` }));
      await log.append(testAuditEntry({ approvalId: 'apr_x', at: at(0), event: 'x' }));
      expect((await log.list({ approvalId: 'apr_l', limit: 2 })).map((e) => e.event)).toEqual(['e1', 'e2']);
      expect((await log.list({ limit: 3 })).map((e) => e.event)).toEqual(['x', 'e1', 'e2']);
      expect(await log.list({ approvalId: 'apr_l', limit: 0 })).toEqual([]);
      expect(await log.list({ approvalId: 'apr_l', limit: 50 })).toHaveLength(5);
    });

    it('returns entries as plain objects equal to those appended, primitives and odd keys kept', async () => {
      const full = testAuditEntry({
        kind: 'execution',
        event: 'execution.stopped',
        why: 'approved by alice and bob',
        data: {
          instanceId: 'i-0123456789abcdef0',
          empty: '',
          savings: 60.74,
          attempts: 1,
          zero: 0,
          negative: -2.5,
          dryRun: false,
          verified: true,
          snapshot: null,
          'tag.kubernetes.io/cluster': 'blue',
          $where: 'not an operator',
        },
      });
      const bare: AuditEntry = {
        id: 'aud_bare',
        at: at(9),
        kind: 'timer',
        event: 'timer.remind',
        actor: 'tally',
        what: '',
      };
      await log.append(structuredClone(full));
      await log.append(structuredClone(bare));
      const listed = await log.list({});
      expect(listed).toStrictEqual([full, bare]);
      for (const e of listed) expect(Object.getPrototypeOf(e)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(listed[0]?.data)).toBe(Object.prototype);
      expect(Object.keys(listed[1]!)).toEqual(expect.not.arrayContaining(['_id', 'data', 'why', 'approvalId']));
    });

    it('keeps stored entries apart from what was appended or returned', async () => {
      const original = testAuditEntry({ data: { a: 1 } });
      const appended = structuredClone(original);
      await log.append(appended);
      appended.data!.a = 2;
      appended.what = 'changed';
      const [first] = await log.list({});
      first!.data!.b = true;
      expect(await log.list({})).toStrictEqual([original]);
    });
  });
}
