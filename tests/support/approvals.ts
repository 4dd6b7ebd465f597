import type { Approval } from '../../src/approvals/approval.types.js';
import type { AuditEntry } from '../../src/audit/audit.types.js';
import { newId } from '../../src/shared/ids.js';

const HOUR_MS = 3_600_000;
/** When test approvals are created unless overridden. */
export const TEST_APPROVAL_CREATED_AT = '2026-03-02T09:00:00.000Z';

/**
 * A valid PENDING approval to stop `i-0123456789abcdef0` (t3.large, us-east-1, account 123456789012), asked by
 * `dave` on Slack, under a rule of one tier (`alice`, `bob`, `carol`, quorum 2), reminders after 1 h, escalation
 * after 4 h, expiry (rejected) after 24 h. Version 1, no votes, no messages; a fresh `apr_…` id per call.
 * `overrides` replace whole top-level fields.
 */
export function testApproval(overrides: Partial<Approval> = {}): Approval {
  const createdAt = overrides.createdAt ?? TEST_APPROVAL_CREATED_AT;
  return {
    id: newId('apr'),
    version: 1,
    state: 'PENDING',
    action: {
      kind: 'stop_instance',
      target: {
        provider: 'AWS',
        accountId: '123456789012',
        region: 'us-east-1',
        resourceType: 'instance',
        resourceId: 'i-0123456789abcdef0',
      },
      facts: {
        resourceType: 'instance',
        id: 'i-0123456789abcdef0',
        instanceType: 't3.large',
        state: 'running',
        launchTime: '2026-01-10T08:00:00.000Z',
        tags: [
          { key: 'Name', value: 'web-1' },
          { key: 'kubernetes.io/cluster/blue', value: 'owned' },
        ],
        name: 'web-1',
      },
      params: {},
      monthlySavings: 60.74,
      currency: 'USD',
      risk: 'medium',
      summary: 'Stop i-0123456789abcdef0 (t3.large, web-1) in us-east-1',
    },
    reason: 'idle for 14 days',
    requester: { person: 'dave', via: { platform: 'slack', id: 'U0DAVE' } },
    rule: {
      tiers: [{ approvers: ['alice', 'bob', 'carol'], quorum: 2 }],
      requesterMayVote: false,
      remindAfterMs: HOUR_MS,
      escalateAfterMs: 4 * HOUR_MS,
      expireAfterMs: 24 * HOUR_MS,
      onExpiry: 'reject',
    },
    tier: 0,
    votes: [],
    origin: { platform: 'slack', channel: 'C0FINOPS' },
    messages: [],
    createdAt,
    updatedAt: createdAt,
    expiresAt: new Date(Date.parse(createdAt) + 24 * HOUR_MS).toISOString(),
    ...overrides,
  };
}

/** An audit entry recording that `dave` proposed an approval; a fresh `aud_…` id per call. */
export function testAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: newId('aud'),
    at: TEST_APPROVAL_CREATED_AT,
    kind: 'proposal',
    event: 'proposal.created',
    approvalId: 'apr_0000000a',
    actor: 'dave',
    what: 'dave proposed: Stop i-0123456789abcdef0 (t3.large, web-1) in us-east-1',
    data: { kind: 'stop_instance', monthlySavings: 60.74 },
    ...overrides,
  };
}
