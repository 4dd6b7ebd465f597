import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_LIMITS } from '../../../src/config/approval-policy.schema.js';
import { NOTIFICATION_LIMITS } from '../../../src/config/notification-policy.schema.js';
import { MAX_POLICY_BYTES, parsePolicy, readPolicyFile } from '../../../src/config/policy.js';
import { TallyError } from '../../../src/shared/errors.js';

interface Problem {
  path: string;
  message: string;
  suggestion?: string;
}

/** The problems of the CONFIG_INVALID error that parsing `text` throws. */
function problems(text: string): Problem[] {
  try {
    parsePolicy(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TallyError);
    expect((e as TallyError).code).toBe('CONFIG_INVALID');
    return (e as TallyError).metadata.problems as Problem[];
  }
  return expect.unreachable('the policy was accepted');
}

/** Unknown keys only: path → the suggested key (null when there is none). */
function unknownKeys(text: string): Record<string, string | null> {
  return Object.fromEntries(
    problems(text)
      .filter((p) => p.message.startsWith('unknown key'))
      .map((p) => [p.path, p.suggestion ?? null]),
  );
}

const PEOPLE = `
approvals:
  people:
    alice: { slack: U0ALICE }
    bob: { slack: U0BOB }
  groups:
    finops: [alice, bob]
`;

const D = 24 * 3_600_000;

describe('policy file: unknown keys', () => {
  it('refuses a misspelt top-level key instead of dropping its guardrails, and suggests the right one', () => {
    const text = "guardrail:\n  protectedTags: ['env=prod']\n";
    expect(problems(text)).toEqual([
      { path: 'guardrail', message: expect.stringContaining('guardrails'), suggestion: 'guardrails' },
    ]);
    // Spelt right, the same section is in force.
    expect(parsePolicy(text.replace('guardrail:', 'guardrails:')).approvals.guardrails.protectedTags).toEqual([
      { key: 'env', value: 'prod' },
    ]);
  });

  it('names an unknown key by its own path at every depth, with the nearest known key', () => {
    expect(
      unknownKeys(`${PEOPLE.replace('  groups:', '    carol: { nmae: Carol }\n  groups:')}  quorumAfterEscalaton: true
  risk:
    low: { remind_after: 4h }
    medium:
      tiers:
        - { approvers: [alice], quorum: 1 }
        - { approvers: [bob], quorom: 2 }
channels:
  C1: { providers: [AWS], acounts: ['1'] }
guardrails:
  dailyLimit: 3
  changeWindows:
    - { from: '08:00', to: '18:00', TZ: UTC }
notifications:
  routes:
    - { channel: C0ALERTS, minSeverty: low }
  anomalies: { minimpact: 10 }
`),
    ).toEqual({
      'approvals.people.carol.nmae': 'name',
      'approvals.quorumAfterEscalaton': 'quorumAfterEscalation',
      'approvals.risk.low.remind_after': 'remindAfter',
      'approvals.risk.medium.tiers[1].quorom': 'quorum',
      'channels.C1.acounts': 'accounts',
      'guardrails.dailyLimit': null, // dailyLimitPerAccount is too far off to be a typo
      'guardrails.changeWindows[0].TZ': 'tz',
      'notifications.routes[0].minSeverty': 'minSeverity',
      'notifications.anomalies.minimpact': 'minImpact',
    });
  });

  it('names each of several unknown keys of one object, and lists the allowed keys when none is near', () => {
    const found = problems('approvals:\n  risk:\n    urgent: {}\n    hihg: {}\n');
    expect(found.map((p) => [p.path, p.suggestion])).toEqual([
      ['approvals.risk.urgent', undefined],
      ['approvals.risk.hihg', 'high'],
    ]);
    for (const level of ['low', 'medium', 'high']) expect(found[0]?.message).toContain(level);
  });

  it('treats only the keys of each object as known: a key of another section is not accepted', () => {
    // `quorum` is a key of a level, not of `approvals`; `routes` belongs to notifications.
    expect(unknownKeys('approvals:\n  quorum: 2\nroutes: []\n')).toEqual({ 'approvals.quorum': null, routes: null });
  });
});

describe('policy file: bounds', () => {
  const expireAfter = (v: string | number) => `approvals:\n  risk:\n    low: { expireAfter: ${JSON.stringify(v)} }\n`;
  const longest = APPROVAL_LIMITS.durationMs / D;

  it('bounds durations to 365 days', () => {
    expect(longest).toBe(365);
    expect(parsePolicy(expireAfter(`${longest}d`)).approvals.risk.low.expireAfterMs).toBe(longest * D);
    for (const v of [`${longest + 1}d`, '99999999d', APPROVAL_LIMITS.durationMs + 1]) {
      expect(problems(expireAfter(v)).map((p) => p.path)).toEqual(['approvals.risk.low.expireAfter']);
    }
  });

  it('bounds quorums, tiers and approver lists', () => {
    const q = APPROVAL_LIMITS.quorum;
    // A group's size is unknown, so only the bound can refuse these quorums.
    expect(parsePolicy(`${PEOPLE}  risk:\n    low: { approvers: ['@finops'], quorum: ${q} }\n`)).toBeDefined();
    expect(problems(`${PEOPLE}  risk:\n    low: { approvers: ['@finops'], quorum: ${q + 1} }\n`)).toEqual([
      expect.objectContaining({ path: 'approvals.risk.low.quorum' }),
    ]);
    const tier = "{ approvers: ['@finops'], quorum: 1 }";
    const tiers = (n: number) => `${PEOPLE}  risk:\n    low:\n      tiers: [${Array(n).fill(tier).join(', ')}]\n`;
    expect(parsePolicy(tiers(APPROVAL_LIMITS.tiers)).approvals.risk.low.tiers).toHaveLength(APPROVAL_LIMITS.tiers);
    expect(problems(tiers(APPROVAL_LIMITS.tiers + 1)).map((p) => p.path)).toEqual(['approvals.risk.low.tiers']);
    const ids = Array.from({ length: APPROVAL_LIMITS.approvers + 1 }, (_, i) => `U0X${i}`);
    expect(problems(`${PEOPLE}    big: ${JSON.stringify(ids)}\n`).map((p) => p.path)).toEqual(['approvals.groups.big']);
  });

  it('bounds the daily limit and the guardrail lists', () => {
    const limit = APPROVAL_LIMITS.dailyLimitPerAccount;
    expect(
      parsePolicy(`guardrails:\n  dailyLimitPerAccount: ${limit}\n`).approvals.guardrails.dailyLimitPerAccount,
    ).toBe(limit);
    expect(problems(`guardrails:\n  dailyLimitPerAccount: ${limit + 1}\n`).map((p) => p.path)).toEqual([
      'guardrails.dailyLimitPerAccount',
    ]);
    const tags = Array.from({ length: APPROVAL_LIMITS.guardrailList + 1 }, (_, i) => `t${i}`);
    expect(problems(`guardrails:\n  protectedTags: ${JSON.stringify(tags)}\n`).map((p) => p.path)).toEqual([
      'guardrails.protectedTags',
    ]);
  });

  it('bounds the notification thresholds and routes', () => {
    const { minImpact, minRelative, routes } = NOTIFICATION_LIMITS;
    const anomalies = (a: string) => `notifications:\n  anomalies: { ${a} }\n`;
    expect(
      parsePolicy(anomalies(`minImpact: ${minImpact}, minRelative: ${minRelative}`)).notifications.anomalies,
    ).toEqual({ minImpact, minRelative });
    expect(
      problems(anomalies(`minImpact: ${minImpact * 10}, minRelative: ${minRelative + 1}`)).map((p) => p.path),
    ).toEqual(['notifications.anomalies.minImpact', 'notifications.anomalies.minRelative']);
    expect(problems(anomalies('minImpact: .inf')).map((p) => p.path)).toEqual(['notifications.anomalies.minImpact']);
    const many = Array(routes + 1)
      .fill('{ channel: C0ALERTS }')
      .join(', ');
    expect(problems(`notifications:\n  routes: [${many}]\n`).map((p) => p.path)).toEqual(['notifications.routes']);
  });
});

describe('policy file: quorumAfterEscalation', () => {
  it('is false unless the file says true, and must be a boolean', () => {
    expect(parsePolicy('').approvals).toMatchObject({ quorumAfterEscalation: false });
    expect(parsePolicy('approvals:\n  quorumAfterEscalation: true\n').approvals).toMatchObject({
      quorumAfterEscalation: true,
    });
    expect(problems('approvals:\n  quorumAfterEscalation: sometimes\n').map((p) => p.path)).toEqual([
      'approvals.quorumAfterEscalation',
    ]);
  });
});

describe('reading the policy file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tally-policy-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The CONFIG_INVALID error of reading `path`. */
  async function readError(path: string): Promise<TallyError> {
    const e = await readPolicyFile(path).then(
      () => expect.unreachable('the file was read'),
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(TallyError);
    expect((e as TallyError).code).toBe('CONFIG_INVALID');
    return e as TallyError;
  }

  it('names the variable and the path of a missing file', async () => {
    const path = join(dir, 'missing.yml');
    const e = await readError(path);
    expect(e.metadata).toMatchObject({ variables: ['TALLY_POLICY_FILE'], path });
    expect(e.message).toContain(path);
  });

  it('names the variable and the path of a file it cannot read (a folder)', async () => {
    const e = await readError(dir);
    expect(e.metadata).toMatchObject({ variables: ['TALLY_POLICY_FILE'], path: dir });
  });

  it('refuses a file larger than the bound without parsing it', async () => {
    const big = join(dir, 'big.yml');
    await writeFile(big, `# ${'x'.repeat(MAX_POLICY_BYTES)}\n`);
    const e = await readError(big);
    expect(e.metadata).toMatchObject({ variables: ['TALLY_POLICY_FILE'], path: big });
    const atBound = join(dir, 'at-bound.yml');
    await writeFile(atBound, `# ${'x'.repeat(MAX_POLICY_BYTES - 3)}\n`);
    expect((await readPolicyFile(atBound)).channels.size).toBe(0);
  });

  it('reads a good file, and names the file of a bad one', async () => {
    const good = join(dir, 'good.yml');
    await writeFile(good, 'approvals:\n  quorumAfterEscalation: true\n');
    expect((await readPolicyFile(good)).approvals).toMatchObject({ quorumAfterEscalation: true });
    const bad = join(dir, 'bad.yml');
    await writeFile(bad, 'guardrail: {}\n');
    const e = await readError(bad);
    expect(e.metadata).toMatchObject({ variables: ['TALLY_POLICY_FILE'], paths: ['guardrail'] });
    expect(e.message).toContain(bad);
  });
});
