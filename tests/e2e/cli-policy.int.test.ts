import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../support/data-dir.js';
import { runCli } from '../support/run-cli.js';
import { redisUrl } from '../support/services.js';
import { type SlackFake, startSlackFake } from '../support/slack-fake.js';
import { freePort } from '../support/tally-process.js';

// The built CLI (`npm run build`) with a policy file that is misspelt, missing or fixed: a bad file stops `tally ask`
// and `tally start` with exit 2 and one message naming the file and each bad path, never an error id.

const TYPO = fileURLToPath(new URL('../fixtures/policy/guardrail-typo.yml', import.meta.url));

/** The stderr line that names `guardrail` and suggests `guardrails`. */
const GUARDRAIL_LINE = /^\s+guardrail: unknown key; did you mean guardrails\?$/m;

describe('a misspelt policy key', () => {
  it('makes `tally ask` exit 2 naming the key and suggesting the right one', async () => {
    const r = await runCli(['ask', 'cost last month'], { TALLY_POLICY_FILE: TYPO, TALLY_DATA_DIR: testDataDir() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(TYPO);
    expect(r.stderr).toMatch(GUARDRAIL_LINE);
    expect(r.stderr).not.toContain('error id');
  });

  it('is the only fault: the same file spelt right answers', async () => {
    const dir = testDataDir();
    const fixed = join(dir, 'policy.yml');
    await writeFile(fixed, (await readFile(TYPO, 'utf8')).replace(/^guardrail:/m, 'guardrails:'));
    const r = await runCli(['ask', 'help'], { TALLY_POLICY_FILE: fixed, TALLY_DATA_DIR: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  describe('with Slack configured', () => {
    let slack: SlackFake;
    beforeAll(async () => {
      slack = await startSlackFake();
    });
    afterAll(async () => {
      await slack?.close();
    });

    it('makes `tally start` exit 2 before it serves anything', async () => {
      const r = await runCli(['start'], {
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'test-signing-secret',
        SLACK_API_URL: slack.url,
        REDIS_URL: redisUrl(),
        PORT: String(await freePort()),
        TALLY_POLICY_FILE: TYPO,
        TALLY_DATA_DIR: testDataDir(),
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(GUARDRAIL_LINE);
      expect(r.stderr).not.toContain('error id');
    });
  });
});

describe('a missing policy file', () => {
  it('makes `tally ask` exit 2 naming the variable and the file', async () => {
    const missing = join(testDataDir(), 'nowhere', 'policy.yml');
    const r = await runCli(['ask', 'cost last month'], { TALLY_POLICY_FILE: missing, TALLY_DATA_DIR: testDataDir() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('TALLY_POLICY_FILE');
    expect(r.stderr).toContain(missing);
    expect(r.stderr).not.toContain('error id');
  });
});
