import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Approval, ApprovalState, Vote } from '../../src/approvals/approval.types.js';
import type { ApprovalRepository } from '../../src/approvals/approval-repository.port.js';
import { TallyError } from '../../src/shared/errors.js';
import { testApproval } from '../support/approvals.js';

/** Every optional field set: votes, messages, a decision, an execution with full rollback, a second tier. */
function decidedResize(): Approval {
  const base = testApproval();
  return testApproval({
    version: 7,
    state: 'SUCCEEDED',
    action: {
      ...base.action,
      kind: 'resize_instance',
      params: { instanceType: 't3.small' },
      risk: 'high',
      summary: 'Resize i-0123456789abcdef0 from t3.large to t3.small',
    },
    requester: { person: 'dave', via: { platform: 'teams', id: 'aad-dave', name: 'Dave D.' } },
    rule: {
      ...base.rule,
      tiers: [
        { approvers: ['alice', '@finops'], quorum: 1 },
        { approvers: ['slack-group:S0123ABC', 'U0ERIN'], quorum: 2 },
      ],
      requesterMayVote: true,
      onExpiry: 'approve',
    },
    tier: 1,
    votes: [
      {
        voter: { person: 'alice', via: { platform: 'slack', id: 'U0ALICE', name: 'Alice' } },
        decision: 'approve',
        at: '2026-03-02T09:05:00.000Z',
      },
      {
        voter: { person: 'bob', via: { platform: 'teams', id: 'aad-bob' } },
        decision: 'approve',
        reason: 'weekend only',
        at: '2026-03-02T09:07:30.500Z',
      },
    ],
    origin: { platform: 'slack', channel: 'C0FINOPS', thread: '1709370000.000100' },
    messages: [
      { platform: 'slack', channel: 'C0FINOPS', messageId: '1709370001.000200' },
      { platform: 'teams', channel: '19:abc@thread.tacv2', messageId: 'activity-1' },
    ],
    decidedAt: '2026-03-02T09:07:30.500Z',
    decision: { by: 'quorum', reason: 'quorum reached' },
    scheduledFor: '2026-03-02T09:08:00.000Z',
    execution: {
      startedAt: '2026-03-02T09:08:00.000Z',
      finishedAt: '2026-03-02T09:09:12.000Z',
      outcome: 'SUCCEEDED',
      reason: 'done',
      steps: ['stopped', 'modified to t3.small', 'started'],
      rollback: {
        previousInstanceType: 't3.large',
        snapshotId: 'snap-0abc',
        publicIp: '203.0.113.7',
        note: 'resize back',
      },
      attempts: 2,
      verification: {
        at: '2026-03-02T09:09:11.000Z',
        confirmed: false,
        state: 'i-0abc t3.small, stopped',
        reason: 'i-0abc t3.small, stopped, not t3.small, running after 10 min',
      },
    },
    undo: {
      plan: { kind: 'resize_back', instanceType: 't3.large', state: 'stopped' },
      recordedAt: '2026-03-02T09:08:00.000Z',
      until: '2026-03-09T09:08:00.000Z',
      state: 'UNDONE',
      requestedBy: ['dave', 'alice'],
      startedAt: '2026-03-03T10:00:00.000Z',
      finishedAt: '2026-03-03T10:01:00.000Z',
      steps: ['modified back to t3.large'],
      reason: '',
      createdId: 'none',
    },
  });
}

/** A volume (empty `attachedTo`, `$` and empty tag parts, empty reason) that failed without rollback. */
function failedVolumeDelete(): Approval {
  const base = testApproval();
  return testApproval({
    state: 'FAILED',
    reason: '',
    action: {
      ...base.action,
      kind: 'delete_volume',
      target: { ...base.action.target, resourceType: 'volume', resourceId: 'vol-0abc' },
      facts: {
        resourceType: 'volume',
        id: 'vol-0abc',
        sizeGiB: 500,
        volumeType: 'gp3',
        state: 'available',
        attachedTo: [],
        tags: [
          { key: '$team', value: '' },
          { key: 'aws:cloudformation:stack-name', value: 'a.b' },
        ],
      },
      monthlySavings: 40,
      risk: 'high',
    },
    execution: { startedAt: '2026-03-02T10:00:00.000Z', outcome: 'FAILED', steps: [], attempts: 1 },
    undo: {
      plan: {
        kind: 'restore_volume',
        availabilityZone: 'us-east-1b',
        volumeType: 'io2',
        sizeGiB: 500,
        iops: 3000,
        tags: [{ key: '$team', value: '' }],
        attachment: { instanceId: 'i-0abc', device: '/dev/sdf' },
      },
      recordedAt: '2026-03-02T10:00:00.000Z',
      requestedBy: [],
      steps: [],
    },
  });
}

/** An address with its optional facts, rolled back by public IP only. */
function releasedAddress(): Approval {
  const base = testApproval();
  return testApproval({
    state: 'EXECUTING',
    action: {
      ...base.action,
      kind: 'release_address',
      target: { ...base.action.target, resourceType: 'address', resourceId: 'eipalloc-0abc' },
      facts: {
        resourceType: 'address',
        id: 'eipalloc-0abc',
        publicIp: '198.51.100.4',
        associationId: 'eipassoc-1',
        instanceId: 'i-0fff',
        networkBorderGroup: 'us-east-1',
        tags: [],
        name: 'old-nat',
      },
      risk: 'low',
    },
    execution: {
      startedAt: '2026-03-02T11:00:00.000Z',
      steps: ['disassociated'],
      rollback: { publicIp: '198.51.100.4', note: 'cannot be re-acquired' },
      attempts: 1,
    },
  });
}

/** A batch of two stops that ran: one item done and undone since, one skipped (docs/architecture.md#batches). */
function executedBatch(): Approval {
  const base = testApproval();
  const second = { ...base.action, target: { ...base.action.target, resourceId: 'i-0def' } };
  return testApproval({
    state: 'SUCCEEDED',
    action: { ...base.action, summary: 'Stop 2 idle instances in account 123456789012 (us-east-1)', params: {} },
    batch: {
      items: [base.action, second],
      results: [
        { resourceId: base.action.target.resourceId, approvalId: `${base.id}-1`, outcome: 'SUCCEEDED', undone: true },
        { resourceId: 'i-0def', approvalId: `${base.id}-2`, outcome: 'SKIPPED', reason: 'i-0def no longer exists' },
      ],
      startedAt: '2026-03-02T10:00:00.000Z',
      finishedAt: '2026-03-02T10:01:00.000Z',
      summary: '1 succeeded, 0 failed, 1 skipped',
    },
  });
}

/** An item of a batch, before it ran: its approval names the batch. */
function batchItem(): Approval {
  return testApproval({ state: 'APPROVED', batchOf: 'apr_batch1' });
}

/** The next version of `a`: one more vote-like change, as every writer makes it. */
function bumped(a: Approval, change: Partial<Approval> = {}): Approval {
  return { ...structuredClone(a), ...change, version: a.version + 1 };
}

/**
 * The contract every `ApprovalRepository` must pass. `make` returns an empty repository and a cleanup for it;
 * it is called before each test.
 */
export function approvalRepositoryContract(
  name: string,
  make: () => Promise<{ repo: ApprovalRepository; cleanup: () => Promise<void> }>,
): void {
  describe(`ApprovalRepository contract: ${name}`, () => {
    let repo: ApprovalRepository;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ repo, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('returns null for an unknown id', async () => {
      expect(await repo.get('apr_unknown')).toBeNull();
    });

    it.each([
      ['a fresh approval, optional fields absent', () => testApproval()],
      ['a decided, executed approval with every field', decidedResize],
      ['a failed volume deletion', failedVolumeDelete],
      ['an address being released', releasedAddress],
      ['a batch with its results', executedBatch],
      ['an item of a batch', batchItem],
    ])('round-trips %s exactly, as a plain object', async (_label, build) => {
      const approval = build();
      await repo.create(structuredClone(approval));
      const got = await repo.get(approval.id);
      expect(got).toStrictEqual(approval);
      expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(got?.votes[0] ?? {})).toBe(Object.prototype);
      expect(Object.keys(got ?? {})).not.toContain('_id');
    });

    it('keeps stored state apart from what was created or returned', async () => {
      const original = decidedResize();
      const created = structuredClone(original);
      await repo.create(created);
      created.votes.push({ ...original.votes[0]!, decision: 'reject' });
      created.action.facts.tags.length = 0;
      const first = await repo.get(original.id);
      first!.rule.tiers[0]!.approvers.push('mallory');
      first!.execution!.steps.length = 0;
      expect(await repo.get(original.id)).toStrictEqual(original);
    });

    it('refuses a second approval with the same id and keeps the first', async () => {
      const first = testApproval();
      await repo.create(first);
      const err = await repo.create({ ...first, reason: 'second' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TallyError);
      expect((err as TallyError).code).toBe('STORE_UNAVAILABLE');
      expect(await repo.get(first.id)).toStrictEqual(first);
    });

    it('updates when the version follows the stored one', async () => {
      const v1 = testApproval();
      await repo.create(v1);
      const v2 = bumped(v1, { state: 'APPROVED', decidedAt: '2026-03-02T09:30:00.000Z' });
      expect(await repo.update(v2)).toBe(true);
      expect(await repo.get(v1.id)).toStrictEqual(v2);
      const v3 = bumped(v2, {
        state: 'EXECUTING',
        execution: { startedAt: '2026-03-02T09:31:00.000Z', steps: [], attempts: 1 },
      });
      expect(await repo.update(v3)).toBe(true);
      expect(await repo.get(v1.id)).toStrictEqual(v3);
    });

    it('drops optional fields an update leaves out', async () => {
      const full = decidedResize();
      await repo.create(full);
      const { decision: _d, decidedAt: _at, execution: _e, ...rest } = full;
      const reopened = bumped(rest as Approval);
      expect(await repo.update(reopened)).toBe(true);
      const got = await repo.get(full.id);
      expect(got).toStrictEqual(reopened);
      expect(got).not.toHaveProperty('execution');
    });

    it('refuses a stale, repeated, skipping or unknown update and changes nothing', async () => {
      const v1 = testApproval();
      await repo.create(v1);
      const v2 = bumped(v1, { reason: 'first writer' });
      expect(await repo.update(v2)).toBe(true);
      expect(await repo.update(bumped(v1, { reason: 'stale writer' }))).toBe(false);
      expect(await repo.update({ ...v2, reason: 'same version again' })).toBe(false);
      expect(await repo.update({ ...v2, version: 4, reason: 'skips a version' })).toBe(false);
      expect(await repo.update({ ...v1, version: 1, reason: 'version 1 again' })).toBe(false);
      expect(await repo.get(v1.id)).toStrictEqual(v2);
      const ghost = testApproval({ version: 2 });
      expect(await repo.update(ghost)).toBe(false);
      expect(await repo.get(ghost.id)).toBeNull();
    });

    it('lets exactly one of 20 concurrent writers of the same version win', async () => {
      const v1 = testApproval();
      await repo.create(v1);
      const writers = Array.from({ length: 20 }, (_, n) => bumped(v1, { reason: `writer ${n}` }));
      const results = await Promise.all(writers.map((w) => repo.update(w)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = writers[results.indexOf(true)]!;
      expect(await repo.get(v1.id)).toStrictEqual(winner);
    });

    it('gives a claim to exactly one of 20 concurrent claimers, and names the holder to the others', async () => {
      const key = `stop_instance|123456789012|us-east-1|i-${Math.random().toString(16).slice(2)}`;
      const ids = Array.from({ length: 20 }, (_, n) => `apr_claim${n}`);
      const results = await Promise.all(ids.map((id) => repo.claim(key, id)));
      expect(results.filter((r) => r === null)).toHaveLength(1);
      const holder = ids[results.indexOf(null)]!;
      expect(results.filter((r) => r !== null)).toEqual(Array(19).fill(holder));
      expect(await repo.claim(key, holder)).toBeNull(); // the holder claiming again keeps it
    });

    it('releases a claim only for its holder, after which another may claim', async () => {
      const key = `delete_volume|123456789012|us-east-1|vol-${Math.random().toString(16).slice(2)}`;
      expect(await repo.claim(key, 'apr_first')).toBeNull();
      await repo.releaseClaim(key, 'apr_second');
      expect(await repo.claim(key, 'apr_second')).toBe('apr_first');
      await repo.releaseClaim(key, 'apr_first');
      expect(await repo.claim(key, 'apr_second')).toBeNull();
    });

    it('keeps every vote of 10 concurrent voters that retry on conflict', async () => {
      const approval = testApproval();
      await repo.create(approval);
      const voters = Array.from({ length: 10 }, (_, n) => `voter-${n}`);
      const attempts: number[] = [];
      const vote = async (person: string): Promise<void> => {
        for (let attempt = 1; attempt <= 100; attempt += 1) {
          const current = (await repo.get(approval.id))!;
          const ballot: Vote = {
            voter: { person, via: { platform: 'slack', id: `U-${person}` } },
            decision: 'approve',
            at: `2026-03-02T09:10:00.000Z`,
          };
          if (await repo.update(bumped(current, { votes: [...current.votes, ballot] }))) {
            attempts.push(attempt);
            return;
          }
        }
        throw new Error(`${person} never got a vote in`);
      };
      await Promise.all(voters.map(vote));
      const final = (await repo.get(approval.id))!;
      expect(final.votes.map((v) => v.voter.person).sort()).toEqual([...voters].sort());
      expect(final.version).toBe(1 + voters.length);
      expect(attempts).toHaveLength(voters.length);
    });

    describe('list', () => {
      // Account 111… or 222…, created at distinct instants; c, d and e have started executing.
      const at = (day: string, time: string) => `2026-03-${day}T${time}.000Z`;
      const fixture = (): Record<string, Approval> => {
        const make = (state: ApprovalState, accountId: string, createdAt: string, startedAt?: string) => {
          const base = testApproval({ state, createdAt });
          base.action.target.accountId = accountId;
          if (startedAt) base.execution = { startedAt, steps: [], attempts: 1 };
          return base;
        };
        return {
          a: make('PENDING', '111111111111', at('01', '10:00:00')),
          b: make('APPROVED', '222222222222', at('03', '08:00:00')),
          c: make('SUCCEEDED', '111111111111', '2026-03-02T23:59:59.999Z', at('03', '00:00:00')),
          d: make('FAILED', '222222222222', at('04', '12:00:00'), at('04', '12:30:00')),
          e: make('EXECUTING', '111111111111', at('05', '00:00:00'), at('05', '01:00:00')),
        };
      };
      let byName: Record<string, Approval>;
      const names = (list: Approval[]) =>
        list.map((x) => Object.entries(byName).find(([, a]) => a.id === x.id)?.[0] ?? x.id);

      beforeEach(async () => {
        byName = fixture();
        for (const key of ['c', 'a', 'e', 'b', 'd']) await repo.create(byName[key]!);
      });

      it('lists everything newest first, as stored', async () => {
        const all = await repo.list({});
        expect(names(all)).toEqual(['e', 'd', 'b', 'c', 'a']);
        expect(all[0]).toStrictEqual(byName.e);
        expect(names(await repo.list({ states: [] }))).toEqual(['e', 'd', 'b', 'c', 'a']);
      });

      it('filters by states', async () => {
        expect(names(await repo.list({ states: ['PENDING', 'APPROVED'] }))).toEqual(['b', 'a']);
        expect(names(await repo.list({ states: ['SUCCEEDED'] }))).toEqual(['c']);
        expect(await repo.list({ states: ['CANCELLED'] })).toEqual([]);
      });

      it('filters by the target account', async () => {
        expect(names(await repo.list({ accountId: '111111111111' }))).toEqual(['e', 'c', 'a']);
        expect(names(await repo.list({ accountId: '222222222222' }))).toEqual(['d', 'b']);
        expect(await repo.list({ accountId: '999999999999' })).toEqual([]);
      });

      it('filters by execution start, inclusive, skipping approvals never executed', async () => {
        expect(names(await repo.list({ executionStartedFrom: at('04', '12:30:00') }))).toEqual(['e', 'd']);
        expect(names(await repo.list({ executionStartedFrom: at('01', '00:00:00') }))).toEqual(['e', 'd', 'c']);
        expect(await repo.list({ executionStartedFrom: at('06', '00:00:00') })).toEqual([]);
      });

      it('combines filters', async () => {
        const q = { accountId: '111111111111', executionStartedFrom: at('03', '00:00:00') };
        expect(names(await repo.list(q))).toEqual(['e', 'c']);
        expect(names(await repo.list({ states: ['SUCCEEDED', 'FAILED'], accountId: '222222222222' }))).toEqual(['d']);
      });

      it('honours the limit, keeping the newest', async () => {
        expect(names(await repo.list({ limit: 2 }))).toEqual(['e', 'd']);
        expect(names(await repo.list({ accountId: '111111111111', limit: 1 }))).toEqual(['e']);
        expect(await repo.list({ limit: 0 })).toEqual([]);
      });

      it('sees updates', async () => {
        const a = byName.a!;
        expect(await repo.update(bumped(a, { state: 'CANCELLED' }))).toBe(true);
        expect(names(await repo.list({ states: ['PENDING', 'CANCELLED'] }))).toEqual(['a']);
      });
    });

    it('lists approvals created at the same instant by descending id', async () => {
      const createdAt = '2026-03-09T09:00:00.000Z';
      const same = ['apr_0000000b', 'apr_0000000c', 'apr_0000000a'].map((id) => testApproval({ id, createdAt }));
      const older = testApproval({ id: 'apr_ffffffff', createdAt: '2026-03-08T09:00:00.000Z' });
      for (const a of [same[0]!, older, same[1]!, same[2]!]) await repo.create(a);
      expect((await repo.list({})).map((a) => a.id)).toEqual([
        'apr_0000000c',
        'apr_0000000b',
        'apr_0000000a',
        older.id,
      ]);
    });

    it('returns at most 100 approvals by default', async () => {
      const start = Date.parse('2026-01-01T00:00:00.000Z');
      const ids: string[] = [];
      for (let n = 0; n < 101; n += 1) {
        const a = testApproval({ createdAt: new Date(start + n * 60_000).toISOString() });
        ids.push(a.id);
        await repo.create(a);
      }
      const listed = await repo.list({});
      expect(listed).toHaveLength(100);
      expect(listed.map((a) => a.id)).toEqual(ids.slice(1).reverse());
    });
  });
}
