// The approval core in one process, wired as src/bootstrap wires it but on the in-process stores (adapters/memory), a
// recording chat platform, and the fakes of tests/support/approval-fakes.ts in place of BullMQ and AWS: for unit tests
// of votes, outcomes, timers and the executor without Redis, MongoDB or moto (docs/architecture.md#testing).
import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../adapters/memory/memory-audit.log.js';
import type { ActionKind, ResourceFacts } from '../../src/actions/action.types.js';
import { ApprovalService } from '../../src/approvals/approval.service.js';
import type { Approval, Identity } from '../../src/approvals/approval.types.js';
import { auditor } from '../../src/approvals/approval-events.js';
import { ApprovalMessages } from '../../src/approvals/approval-messages.service.js';
import { ApprovalOutcomes } from '../../src/approvals/approval-outcomes.service.js';
import type { ApprovalPolicy, RiskRule } from '../../src/approvals/approval-policy.types.js';
import type { ApprovalRepository } from '../../src/approvals/approval-repository.port.js';
import { ApprovalTimerService } from '../../src/approvals/approval-timers.service.js';
import { ApprovalVotes, type VoteOutcome } from '../../src/approvals/approval-votes.service.js';
import type { ChatMessenger } from '../../src/approvals/chat-messenger.port.js';
import { ExecutorService } from '../../src/approvals/execution/executor.service.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import {
  FakeCloudActions,
  RecordingApprovalTimers,
  RecordingExecutionQueue,
  type TestClock,
  testClock,
} from './approval-fakes.js';
import { RecordingMessenger } from './recording-messenger.js';

const HOUR = 3_600_000;

/** A Monday, 09:00 UTC: inside any ordinary change window. */
export const T0 = new Date('2026-03-02T09:00:00.000Z');
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
/** Where proposals come from (the approval message is posted there). */
export const OPS_CHANNEL = 'C0OPS';

/** The people of the test policy; Alice and Rita also use Teams (AAD object ids). */
export const PEOPLE = {
  rita: { slack: 'U0RITA', teams: '00000000-0000-4000-8000-00000000a1fa' },
  alice: { slack: 'U0ALICE', teams: '6f1c2a4e-0b7d-4c55-9e0a-3d2f8b1c7a90' },
  bob: { slack: 'U0BOB' },
  carol: { slack: 'U0CAROL' },
  dave: { slack: 'U0DAVE' },
  erin: { slack: 'U0ERIN' },
} as const;
export type PersonKey = keyof typeof PEOPLE;

export const slackUser = (who: PersonKey): Identity => ({ platform: 'slack', id: PEOPLE[who].slack });
export const teamsUser = (who: 'rita' | 'alice'): Identity => ({ platform: 'teams', id: PEOPLE[who].teams });

/**
 * A risk rule: one tier of `approvers` with `quorum` unless `tiers` is given; reminders after 1 h, escalation after
 * 4 h, expiry (rejected) after 24 h.
 */
export function rule(overrides: Partial<RiskRule> = {}): RiskRule {
  return {
    tiers: [{ approvers: ['alice', 'bob', 'carol'], quorum: 2 }],
    requesterMayVote: false,
    remindAfterMs: HOUR,
    escalateAfterMs: 4 * HOUR,
    expireAfterMs: 24 * HOUR,
    onExpiry: 'reject',
    ...overrides,
  };
}

/** The test policy: the same rule for every risk level, the people above, no guardrail beyond a daily limit of 20. */
export function policy(
  riskRule: RiskRule = rule(),
  extra: { people?: ApprovalPolicy['people']; guardrails?: Partial<ApprovalPolicy['guardrails']> } = {},
): ApprovalPolicy {
  return {
    risk: { low: riskRule, medium: riskRule, high: riskRule },
    people: [
      ...Object.entries(PEOPLE).map(([key, ids]) => ({ key, name: key[0]!.toUpperCase() + key.slice(1), ...ids })),
      ...(extra.people ?? []),
    ],
    groups: {},
    channels: {},
    guardrails: { protectedTags: [], changeWindows: [], dailyLimitPerAccount: 20, ...extra.guardrails },
  };
}

/** Resources as the cloud describes them. */
export const resources = {
  instance: (id: string, instanceType = 't3.large', state = 'running'): ResourceFacts => ({
    resourceType: 'instance',
    id,
    instanceType,
    state,
    launchTime: '2026-01-10T08:00:00.000Z',
    tags: [{ key: 'Name', value: `web-${id.slice(-2)}` }],
    name: `web-${id.slice(-2)}`,
  }),
  volume: (id: string, sizeGiB = 100): ResourceFacts => ({
    resourceType: 'volume',
    id,
    sizeGiB,
    volumeType: 'gp3',
    state: 'available',
    createdAt: '2025-11-01T00:00:00.000Z',
    attachedTo: [],
    tags: [],
  }),
  address: (id: string, publicIp = '203.0.113.10'): ResourceFacts => ({
    resourceType: 'address',
    id,
    publicIp,
    networkBorderGroup: REGION,
    tags: [],
  }),
};

export interface ApprovalCoreOptions {
  policy?: ApprovalPolicy;
  clock?: TestClock;
  /** The chat platforms; a RecordingMessenger (Slack) by default. */
  messengers?: ChatMessenger[];
  /** The approval store; in memory by default. */
  approvals?: ApprovalRepository;
}

export interface ProposeOptions {
  requester?: PersonKey;
  instanceType?: string;
  reason?: string;
}

export function createApprovalCore(options: ApprovalCoreOptions = {}) {
  const clock = options.clock ?? testClock(T0);
  const approvals = options.approvals ?? new MemoryApprovalRepository();
  const auditLog = new MemoryAuditLog();
  const messenger = new RecordingMessenger();
  const messengers = options.messengers ?? [messenger];
  const timers = new RecordingApprovalTimers(clock);
  const execution = new RecordingExecutionQueue();
  const cloud = new FakeCloudActions();
  const thePolicy = options.policy ?? policy();
  const logger = silentLogger;
  const audit = auditor(auditLog, clock);
  const messages = new ApprovalMessages({ messengers, policy: thePolicy, audit: auditLog, clock, logger });
  const outcomes = new ApprovalOutcomes({ approvals, timers, execution, messages, audit, logger });
  const timerService = new ApprovalTimerService({
    approvals,
    policy: thePolicy,
    timers,
    messages,
    outcomes,
    audit,
    clock,
  });
  const votes = new ApprovalVotes({ approvals, policy: thePolicy, messages, outcomes, audit, clock });
  const service = new ApprovalService({
    approvals,
    auditLog,
    audit,
    policy: thePolicy,
    cloud,
    accountId: async () => ACCOUNT,
    messages,
    votes,
    timers: timerService,
    outcomes,
    clock,
  });
  const executor = new ExecutorService({
    approvals,
    cloud,
    guardrails: thePolicy.guardrails,
    messages,
    outcomes,
    audit,
    clock,
    logger,
  });

  const core = {
    clock,
    policy: thePolicy,
    approvals,
    auditLog,
    messenger,
    timers,
    execution,
    cloud,
    messages,
    outcomes,
    timerService,
    votes,
    service,
    executor,

    /** Puts the resource in the fake cloud and proposes `kind` on it from Slack channel C0OPS; returns the id. */
    async propose(kind: ActionKind, facts: ResourceFacts, opts: ProposeOptions = {}): Promise<string> {
      cloud.put(facts);
      const reply = await service.propose({
        requester: slackUser(opts.requester ?? 'rita'),
        origin: { platform: 'slack', channel: OPS_CHANNEL },
        kind,
        resourceId: facts.id,
        region: REGION,
        ...(opts.instanceType ? { instanceType: opts.instanceType } : {}),
        reason: opts.reason ?? 'idle for two weeks',
      });
      const id = (reply.data as { id?: string } | undefined)?.id;
      if (!id) throw new Error(`no approval was created: ${reply.title}: ${reply.text}`);
      return id;
    },

    vote(approvalId: string, voter: Identity, decision: 'approve' | 'reject' = 'approve', reason?: string) {
      return votes.vote({ approvalId, voter, decision, ...(reason ? { reason } : {}) }) as Promise<VoteOutcome>;
    },

    async get(approvalId: string): Promise<Approval> {
      const found = await approvals.get(approvalId);
      if (!found) throw new Error(`no approval ${approvalId}`);
      return found;
    },

    /** The audit events of one approval, oldest first. */
    async events(approvalId: string): Promise<string[]> {
      return (await auditLog.list({ approvalId })).map((e) => e.event);
    },

    /** Direct messages sent to a person's Slack id. */
    dmsTo(who: PersonKey) {
      return messenger.directTo(PEOPLE[who].slack);
    },

    /** The approval message posted in C0OPS (the first top-level post there). */
    approvalMessage() {
      const posted = messenger.sent.find((m) => m.op === 'post' && !m.thread && m.channel === OPS_CHANNEL);
      if (!posted) throw new Error('no approval message was posted');
      return posted;
    },
  };
  return core;
}

export type ApprovalCore = ReturnType<typeof createApprovalCore>;
