import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDeps } from '../../src/bootstrap/deps.js';
import { loadConfig } from '../../src/config/env.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.port.js';
import { dropPrefix, PEOPLE_YAML } from '../support/approval-runtime.js';
import { testDataDir } from '../support/data-dir.js';
import { runInstance } from '../support/moto.js';
import { type OpenAiFake, startOpenAiFake } from '../support/openai-fake.js';
import { awsEndpoint, redisUrl, uniqueName } from '../support/services.js';

// The agent may propose (a PENDING approval) and read recommendations; it has no tool to vote, approve or execute.
const REGION = 'eu-south-1';
const prefix = uniqueName('agent_propose');
let fake: OpenAiFake;
let policyFile: string;
let connection: Redis;

beforeAll(async () => {
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  fake = await startOpenAiFake();
  policyFile = join(await mkdtemp(join(tmpdir(), 'tally-policy-')), 'policy.yml');
  await writeFile(
    policyFile,
    `approvals:\n${PEOPLE_YAML}\n  risk:\n    medium: { approvers: [alice, bob], quorum: 2 }\n`,
  );
  connection = new Redis(redisUrl(), { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await fake?.close();
  connection?.disconnect();
  await dropPrefix(prefix);
});

describe('the agent and approvals', () => {
  it('proposes through propose_action: one PENDING approval by the asking user, nothing executed', async () => {
    const instance = await runInstance(awsEndpoint(), REGION, { instanceType: 't3.large' });
    const config = loadConfig({
      TALLY_DATA_DIR: testDataDir(),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'sk-test',
      TALLY_MODEL: 'gpt-test',
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: awsEndpoint(),
      TALLY_QUEUE_PREFIX: prefix,
      TALLY_POLICY_FILE: policyFile,
    });
    const deps = await createDeps(config, { clock: systemClock, logger: silentLogger, queueConnection: connection });
    let approvalId = '';
    fake.script(
      {
        toolCalls: [
          {
            name: 'propose_action',
            args: { action: 'stop_instance', resourceId: instance, region: REGION, reason: 'idle "test" box' },
          },
        ],
      },
      (req) => {
        const result = JSON.parse(String(req.messages.at(-1)?.content ?? '{}')) as { id?: string };
        approvalId = result.id ?? '';
        return { content: `I asked the approvers (${approvalId}); nothing changes until they approve.` };
      },
    );
    const reply = await deps.turns.handle({
      user: { id: 'U0ALICE' },
      location: { platform: 'slack', workspace: 'T1', channel: 'C1', thread: 't1' },
      text: `please stop ${instance}, it has been idle for weeks`,
    });
    expect(reply.text).toContain(approvalId);

    const tools = (fake.requests[0]?.tools ?? []).map((t) => t.function.name);
    expect(tools).toContain('propose_action');
    expect(tools.filter((name) => /approve|vote|reject|execute|cancel/.test(name))).toEqual([]);

    const [approval, ...others] = await deps.stores.approvals.list({});
    expect(others).toEqual([]);
    expect(approval?.id).toBe(approvalId);
    expect(approval?.state).toBe('PENDING');
    expect(approval?.requester.person).toBe('alice');
    expect(approval?.reason).toBe('idle test box');
    const trail = await deps.stores.audit.list({ approvalId });
    expect(trail.find((e) => e.event === 'proposal.created')?.what).toContain('through the agent');
    // The asking user is the requester, so even an approver cannot count their own request by asking the agent.
    const vote = await deps.turns.handle({
      user: { id: 'U0ALICE' },
      location: { platform: 'slack', channel: 'C1' },
      text: `approve ${approvalId}`,
    });
    expect(vote.data).toMatchObject({ counted: false, reason: 'REQUESTER' });
    await deps.close();
  });
});
