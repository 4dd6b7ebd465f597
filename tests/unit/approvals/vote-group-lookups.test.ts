// A vote asks the chat platform for the members of an approver group (a Slack user group) once, before its
// compare-and-set loop, however many times the loop runs again after a lost race (docs/architecture.md#approvals).
import { describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../../adapters/memory/memory-audit.log.js';
import type { Approval } from '../../../src/approvals/approval.types.js';
import { auditor } from '../../../src/approvals/approval-events.js';
import { ApprovalMessages } from '../../../src/approvals/approval-messages.service.js';
import { ApprovalOutcomes } from '../../../src/approvals/approval-outcomes.service.js';
import type { ApprovalPolicy, RiskRule } from '../../../src/approvals/approval-policy.types.js';
import type { ApprovalRepository } from '../../../src/approvals/approval-repository.port.js';
import { ApprovalVotes } from '../../../src/approvals/approval-votes.service.js';
import type { ChatMessenger, PostedMessage } from '../../../src/approvals/chat-messenger.port.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.port.js';

const NOW = new Date('2026-05-18T09:00:00Z');

const RULE: RiskRule = {
  tiers: [{ approvers: ['slack-group:S0OPS'], quorum: 2 }],
  requesterMayVote: false,
  remindAfterMs: 3_600_000,
  escalateAfterMs: 7_200_000,
  expireAfterMs: 86_400_000,
  onExpiry: 'reject',
};

const POLICY: ApprovalPolicy = {
  risk: { low: RULE, medium: RULE, high: RULE },
  people: [],
  groups: {},
  channels: {},
  guardrails: { protectedTags: [], changeWindows: [], dailyLimitPerAccount: 20 },
};

/** A Slack workspace whose user group S0OPS has two members; counts the lookups. */
class GroupCountingMessenger implements ChatMessenger {
  readonly platform = 'slack' as const;
  lookups = 0;

  async post(channel: string): Promise<PostedMessage> {
    return { channel, messageId: '1.000100' };
  }
  async update(): Promise<void> {}
  async direct(): Promise<void> {}
  async groupMembers(groupId: string): Promise<string[]> {
    this.lookups++;
    return groupId === 'S0OPS' ? ['U0ALICE', 'U0BOB'] : [];
  }
}

/** The memory store, where another writer changes the approval just before each of the first `races` updates. */
class RacingRepository implements ApprovalRepository {
  updates = 0;

  constructor(
    private readonly inner: MemoryApprovalRepository,
    private races: number,
  ) {}

  create(approval: Approval) {
    return this.inner.create(approval);
  }
  get(id: string) {
    return this.inner.get(id);
  }
  list(query: Parameters<ApprovalRepository['list']>[0]) {
    return this.inner.list(query);
  }
  claim(key: string, approvalId: string) {
    return this.inner.claim(key, approvalId);
  }
  releaseClaim(key: string, approvalId: string) {
    return this.inner.releaseClaim(key, approvalId);
  }
  async update(approval: Approval): Promise<boolean> {
    this.updates++;
    if (this.races > 0) {
      this.races--;
      const current = (await this.inner.get(approval.id))!;
      await this.inner.update({ ...current, version: current.version + 1, updatedAt: NOW.toISOString() });
    }
    return this.inner.update(approval);
  }
}

function approval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'apr-1',
    version: 1,
    state: 'PENDING',
    action: {
      kind: 'stop_instance',
      target: {
        provider: 'AWS',
        accountId: '111122223333',
        region: 'us-east-1',
        resourceType: 'instance',
        resourceId: 'i-0aaaaaaaaaaaaaa01',
      },
      facts: {
        resourceType: 'instance',
        id: 'i-0aaaaaaaaaaaaaa01',
        instanceType: 't3.large',
        state: 'running',
        tags: [],
      },
      params: {},
      monthlySavings: 60.74,
      currency: 'USD',
      risk: 'low',
      summary: 'Stop i-0aaaaaaaaaaaaaa01 (t3.large) in us-east-1',
    },
    reason: 'idle',
    requester: { person: 'slack:U0REQUESTER', via: { platform: 'slack', id: 'U0REQUESTER' } },
    rule: RULE,
    tier: 0,
    votes: [],
    origin: { platform: 'slack', channel: 'C0FINOPS' },
    messages: [],
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + RULE.expireAfterMs).toISOString(),
    ...overrides,
  };
}

async function setUp(races: number, stored: Approval = approval()) {
  const approvals = new RacingRepository(new MemoryApprovalRepository(), races);
  await approvals.create(stored);
  const messenger = new GroupCountingMessenger();
  const clock = fixedClock(NOW);
  const auditLog = new MemoryAuditLog();
  const audit = auditor(auditLog, clock);
  const messages = new ApprovalMessages({
    messengers: [messenger],
    policy: POLICY,
    audit: auditLog,
    clock,
    logger: silentLogger,
  });
  const outcomes = new ApprovalOutcomes({
    approvals,
    timers: { arm: async () => {}, cancelAll: async () => {} },
    execution: { enqueue: async () => {}, remove: async () => false },
    messages,
    audit,
    logger: silentLogger,
  });
  const votes = new ApprovalVotes({ approvals, policy: POLICY, messages, outcomes, audit, clock });
  return { approvals, messenger, votes };
}

describe('a vote and the approver groups', () => {
  it('looks the group up once, although the compare-and-set runs three times', async () => {
    const { approvals, messenger, votes } = await setUp(2);
    const outcome = await votes.vote({
      approvalId: 'apr-1',
      voter: { platform: 'slack', id: 'U0ALICE' },
      decision: 'approve',
    });
    expect(outcome).toMatchObject({ ok: true, decided: false });
    expect(approvals.updates).toBe(3);
    expect(messenger.lookups).toBe(1);
    expect((await approvals.get('apr-1'))?.votes.map((v) => v.voter.person)).toEqual(['slack:U0ALICE']);
  });

  it('still refuses someone outside the group', async () => {
    const { messenger, votes } = await setUp(0);
    const outcome = await votes.vote({
      approvalId: 'apr-1',
      voter: { platform: 'slack', id: 'U0EVE' },
      decision: 'approve',
    });
    expect(outcome).toMatchObject({ ok: false, reason: 'NOT_APPROVER' });
    expect(messenger.lookups).toBe(1);
  });

  it('does not look the group up for an approval that is already decided', async () => {
    const { messenger, votes } = await setUp(0, approval({ state: 'REJECTED' }));
    const outcome = await votes.vote({
      approvalId: 'apr-1',
      voter: { platform: 'slack', id: 'U0ALICE' },
      decision: 'approve',
    });
    expect(outcome).toMatchObject({ ok: false, reason: 'NOT_PENDING' });
    expect(messenger.lookups).toBe(0);
  });

  it('looks the groups up again when an escalation changed the approvers between the first read and the write', async () => {
    const escalating: RiskRule = {
      ...RULE,
      tiers: [
        { approvers: ['slack-group:S0OPS'], quorum: 2 },
        { approvers: ['slack-group:S0LEADS'], quorum: 2 },
      ],
    };
    const { approvals, messenger, votes } = await setUp(0, approval({ rule: escalating }));
    // The escalation lands after the vote's first read: the first update loses, the retry sees tier 1.
    const update = approvals.update.bind(approvals);
    let escalated = false;
    approvals.update = async (a: Approval) => {
      if (!escalated) {
        escalated = true;
        const current = (await approvals.get(a.id))!;
        await update({ ...current, version: current.version + 1, tier: 1 });
      }
      return update(a);
    };
    const outcome = await votes.vote({
      approvalId: 'apr-1',
      voter: { platform: 'slack', id: 'U0BOB' },
      decision: 'approve',
    });
    expect(outcome).toMatchObject({ ok: true });
    expect((await approvals.get('apr-1'))?.tier).toBe(1);
    // S0OPS for tier 0; S0OPS and S0LEADS again for tiers 0..1.
    expect(messenger.lookups).toBe(3);
  });
});
