import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { type TestClock, testClock } from './approval-fakes.js';
import { createTestRuntime, dropPrefix, type TestRuntime } from './approval-runtime.js';
import { type AwsFaultProxy, startAwsFaultProxy } from './aws-fault-proxy.js';
import { awsEndpoint } from './services.js';

/** Alice or Bob approves any action alone; no change window, and a daily limit no test reaches. */
export const ONE_VOTE_POLICY = `approvals:
  risk:
    low: { approvers: [alice, bob], quorum: 1 }
    medium: { approvers: [alice, bob], quorum: 1 }
    high: { approvers: [alice, bob], quorum: 1 }
guardrails:
  dailyLimitPerAccount: 1000
`;

/**
 * Approval runtimes on moto behind one fault proxy, for one test file: registers the hooks that start the proxy
 * before the file, close each test's runtimes (and drop their Redis keys) and the proxy's `beforeAnswer` after the
 * test, and close the proxy after the file.
 */
export function motoRuntimes(region: string, defaultPolicy = ONE_VOTE_POLICY) {
  let proxy: AwsFaultProxy | undefined;
  const open: TestRuntime[] = [];

  beforeAll(async () => {
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    proxy = await startAwsFaultProxy(awsEndpoint());
  });

  afterEach(async () => {
    proxy?.beforeAnswer(null);
    for (const t of open.splice(0)) {
      await t.close();
      await dropPrefix(t.prefix);
    }
  });

  afterAll(async () => {
    await proxy?.close();
    vi.unstubAllEnvs();
  });

  return {
    /** The fault proxy in front of moto (started before the file's tests). */
    proxy: (): AwsFaultProxy => proxy!,
    /** A runtime with its workers, whose clock starts now (BullMQ runs on real time) and that a test can move forward. */
    async runtime(policy = defaultPolicy): Promise<{ t: TestRuntime; clock: TestClock }> {
      const clock = testClock(new Date());
      const t = await createTestRuntime({ awsEndpoint: proxy!.url, region, policy, clock });
      open.push(t);
      await t.startWorkers();
      return { t, clock };
    },
  };
}

/** Proposes as Rita, approves as Alice, waits for the execution to end. */
export async function executed(t: TestRuntime, command: string) {
  const id = await t.propose(`${command} because idle for two weeks`);
  await t.vote(id, 'alice');
  return { id, approval: await t.waitForState(id, ['SUCCEEDED', 'FAILED']) };
}
