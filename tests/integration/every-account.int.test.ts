// Every account (issue 17, item 4; README "Every account"): two member accounts behind an assumed role in moto, and
// a third whose role cannot be assumed (a proxy refuses AssumeRole into it, as STS does without a trust policy).
// Recommendations show both members with their accounts and name the third with its role; an approved stop in the
// second account stops the instance there and not the one in the first. Real BullMQ on Redis runs the execution.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryApprovalRepository } from '../../adapters/memory/memory-approval.repository.js';
import { MemoryAuditLog } from '../../adapters/memory/memory-audit.log.js';
import { QUEUES } from '../../jobs/queues.js';
import type { Workers } from '../../jobs/worker-registry.js';
import { type ApprovalRuntime, createApprovalRuntime } from '../../src/bootstrap/approvals.js';
import type { ApprovalCommand } from '../../src/commands/command.types.js';
import { parseCommand } from '../../src/commands/parse-command.js';
import { loadConfig } from '../../src/config/env.js';
import { parsePolicy } from '../../src/config/policy.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import type { Reply } from '../../src/shared/reply.types.js';
import { dropPrefix, PEOPLE_YAML, SLACK_IDS, slackUser } from '../support/approval-runtime.js';
import { testCostRepository } from '../support/cost-store.js';
import {
  type MemberAccount,
  memberAccount,
  randomAccountId,
  type StsDenyProxy,
  startStsDenyProxy,
} from '../support/moto-accounts.js';
import { drained } from '../support/queue-state.js';
import { RecordingMessenger } from '../support/recording-messenger.js';
import { awsEndpoint, redisUrl, uniqueName } from '../support/services.js';

const REGION = 'eu-south-2';
const ROLE = 'TallyMember';
const first = randomAccountId();
const second = randomAccountId();
const unreachable = randomAccountId();
/** The second account's role comes from the policy file; the others from TALLY_AWS_ROLE_NAME. */
const SECOND_ROLE = `arn:aws:iam::${second}:role/TallyFromPolicy`;
const POLICY = `approvals:
${PEOPLE_YAML}
  risk:
    medium: { approvers: [alice, bob], quorum: 1, expireAfter: 1d }
guardrails:
  dailyLimitPerAccount: 1000
aws:
  roles:
    "${second}": "${SECOND_ROLE}"
`;

const prefix = uniqueName('acc');
let proxy: StsDenyProxy;
let connection: Redis;
let runtime: ApprovalRuntime;
let workers: Workers | null = null;
const approvals = new MemoryApprovalRepository();
let accounts: { first: MemberAccount; second: MemberAccount };
const idle = { first: '', second: '' };

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  accounts = {
    first: await memberAccount(awsEndpoint(), REGION, first, ROLE),
    second: await memberAccount(awsEndpoint(), REGION, second, 'TallyFromPolicy'),
  };
  for (const key of ['first', 'second'] as const) {
    idle[key] = await accounts[key].runInstance('t3.large');
    await accounts[key].putFlatCpu(idle[key], 1, 14);
  }
  proxy = await startStsDenyProxy(awsEndpoint(), [unreachable]);
  connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const config = loadConfig({
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL: proxy.url,
    TALLY_AWS_ROLE_NAME: ROLE,
    TALLY_AWS_EXTERNAL_ID: 'tally-test',
    TALLY_AWS_ACCOUNTS: [first, second, unreachable].join(','),
    TALLY_QUEUE_PREFIX: prefix,
    TALLY_JOB_LOCK_SECONDS: '5',
  });
  const policy = parsePolicy(POLICY);
  runtime = await createApprovalRuntime(config, {
    stores: { approvals, audit: new MemoryAuditLog(), costs: await testCostRepository() },
    policy: policy.approvals,
    awsRoles: policy.aws.roles,
    clock: systemClock,
    logger: silentLogger,
    queueConnection: connection,
    messengers: [new RecordingMessenger()],
  });
  workers = await runtime.startWorkers();
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await runtime?.close();
  connection?.disconnect();
  await dropPrefix(prefix);
  await proxy?.close();
  vi.unstubAllEnvs();
});

async function run(text: string, as: keyof typeof SLACK_IDS): Promise<Reply> {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(`not a command: ${text}`);
  return runtime.commands(parsed.command as ApprovalCommand, {
    user: { id: SLACK_IDS[as] },
    location: { platform: 'slack', channel: 'C0OPS' },
    text,
  });
}

/** The approval once the execute queue has nothing left that could run (drained, then read). */
async function afterExecution(id: string) {
  const queue = new Queue(QUEUES.execute, { connection, prefix });
  try {
    await drained(queue);
  } finally {
    await queue.close();
  }
  return (await approvals.get(id))!;
}

type RecData = { accountId: string; resourceId: string; rule: string; proposeCommand: string };

describe('every account', () => {
  it('recommends in both member accounts, each with its account, and names the account whose role is refused', async () => {
    const reply = await run(`recommendations in ${REGION} refresh`, 'rita');
    const data = reply.data as { accountIds: string[]; failures: { accountId: string; message: string }[] };
    const recs = (reply.data as { recommendations: RecData[] }).recommendations;
    expect(data.accountIds).toEqual(expect.arrayContaining([first, second, unreachable]));
    const mine = recs.filter((r) => r.resourceId === idle.first || r.resourceId === idle.second);
    expect(mine.map((r) => [r.resourceId, r.accountId, r.rule]).sort()).toEqual(
      [
        [idle.first, first, 'idle-instance'],
        [idle.second, second, 'idle-instance'],
      ].sort(),
    );
    for (const r of mine) expect(r.proposeCommand).toContain(`account ${r.accountId} because`);
    const titles = (reply.items ?? []).map((i) => i.title);
    expect(titles).toContain(`Stop ${idle.second} (t3.large) in ${REGION}, account ${second}`);
    expect(data.failures).toEqual([{ accountId: unreachable, message: expect.stringContaining(unreachable) }]);
    expect(data.failures[0]!.message).toContain(`arn:aws:iam::${unreachable}:role/${ROLE}`);
    expect(reply.context).toEqual(
      expect.arrayContaining([expect.stringMatching(`^Account ${unreachable} not scanned`)]),
    );
    expect(proxy.refused).toBeGreaterThan(0);
  });

  it('stops an approved instance in the second account there and not in the first', async () => {
    const reply = await run(`recommendations in ${REGION}`, 'rita');
    const rec = (reply.data as { recommendations: RecData[] }).recommendations.find(
      (r) => r.resourceId === idle.second,
    );
    const proposed = await run(rec!.proposeCommand, 'rita');
    const id = (proposed.data as { id?: string } | undefined)?.id;
    expect(id, `${proposed.title}: ${proposed.text}`).toBeDefined();
    const pending = await approvals.get(id!);
    expect(pending!.action.target).toMatchObject({ accountId: second, resourceId: idle.second });
    await runtime.interactions!.vote({ approvalId: id!, voter: slackUser('alice'), decision: 'approve' });
    const done = await afterExecution(id!);
    expect(done.execution?.reason).toBeUndefined();
    expect(done.state).toBe('SUCCEEDED');
    expect(await accounts.second.instanceState(idle.second)).toBe('stopped');
    expect(await accounts.first.instanceState(idle.first)).toBe('running');
    // The instance belongs to the second account only: the first has no instance by that id.
    expect(await accounts.first.instanceState(idle.second)).toBeUndefined();
  });

  it('finds the account of a proposal that names none, and refuses an account Tally does not cover', async () => {
    const named = await run(`propose stop ${idle.first} in ${REGION} because idle`, 'rita');
    const id = (named.data as { id?: string } | undefined)?.id;
    expect(id, `${named.title}: ${named.text}`).toBeDefined();
    expect((await approvals.get(id!))!.action.target.accountId).toBe(first);
    await run(`cancel ${id}`, 'rita');
    const stranger = randomAccountId();
    const refused = await run(`propose stop ${idle.first} in ${REGION} account ${stranger} because idle`, 'rita');
    expect(refused.title).toBe('Account not covered');
    expect(refused.text).toContain(stranger);
  });
});
