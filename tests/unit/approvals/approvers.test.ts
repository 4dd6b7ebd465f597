import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy, RiskRule } from '../../../src/approvals/approval-policy.types.js';
import {
  contactsOf,
  displayName,
  eligibleVoters,
  isPolicyPerson,
  isRequester,
  personOf,
  ruleForApproval,
  tierEntries,
} from '../../../src/approvals/approvers.js';

const ALICE_AAD = '6f1c2a4e-0b7d-4c55-9e0a-3d2f8b1c7a90';

function policy(overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy {
  const rule: RiskRule = {
    tiers: [],
    requesterMayVote: false,
    remindAfterMs: 1,
    escalateAfterMs: 2,
    expireAfterMs: 3,
    onExpiry: 'reject',
  };
  return {
    risk: { low: rule, medium: rule, high: rule },
    people: [
      {
        key: 'alice',
        name: 'Alice Ng',
        slack: 'U0ALICE',
        teams: ALICE_AAD,
        email: 'alice@example.com',
        phone: '+15550100',
      },
      { key: 'bob', slack: 'U0BOB' },
      { key: 'carol', name: 'Carol', teams: '29:1carol' },
      { key: 'shellonly' },
    ],
    groups: {
      finops: ['alice', 'bob'],
      leads: ['@finops', 'carol', '@leads'], // refers to itself
      ping: ['@pong', 'U0PING'],
      pong: ['@ping'],
      ops: ['slack-group:S0OPS'],
    },
    channels: {},
    guardrails: { protectedTags: [], changeWindows: [], dailyLimitPerAccount: 20 },
    ...overrides,
  };
}

/** A fake platform directory: group id → member ids; records each lookup. */
function directory(groups: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup = async (platform: 'slack' | 'teams', id: string) => {
    calls.push(`${platform}:${id}`);
    return groups[id] ?? [];
  };
  return { lookup, calls };
}

describe('personOf', () => {
  const p = policy();
  it('maps a Slack or Teams id to the person who has it', () => {
    expect(personOf(p, { platform: 'slack', id: 'U0ALICE' })).toBe('alice');
    expect(personOf(p, { platform: 'teams', id: ALICE_AAD })).toBe('alice');
    expect(personOf(p, { platform: 'teams', id: ALICE_AAD.toUpperCase() })).toBe('alice');
    expect(personOf(p, { platform: 'teams', id: '29:1carol' })).toBe('carol');
  });

  it('keeps the platform: a Slack id is not looked up among Teams ids', () => {
    expect(personOf(p, { platform: 'teams', id: 'U0ALICE' })).toBe('teams:U0ALICE');
    expect(personOf(p, { platform: 'slack', id: 'u0alice' })).toBe('slack:u0alice');
  });

  it('names people the policy does not know by platform and id', () => {
    expect(personOf(p, { platform: 'slack', id: 'U0ZED' })).toBe('slack:U0ZED');
    expect(personOf(p, { platform: 'agent', id: 'tally' })).toBe('agent:tally');
  });

  it('runs the shell and the CLI as a people key', () => {
    expect(personOf(p, { platform: 'shell', id: 'shellonly' })).toBe('shellonly');
    expect(personOf(p, { platform: 'cli', id: 'alice' })).toBe('alice');
    expect(personOf(p, { platform: 'shell', id: 'U0ALICE' })).toBe('shell:U0ALICE');
    expect(personOf(p, { platform: 'cli', id: 'root' })).toBe('cli:root');
  });
});

describe('eligibleVoters', () => {
  it('keeps people keys and expands groups, nested, once each', async () => {
    const { lookup, calls } = directory({});
    const voters = await eligibleVoters(policy(), ['@leads', 'alice'], lookup);
    expect([...voters].sort()).toEqual(['alice', 'bob', 'carol']);
    expect(calls).toEqual([]);
  });

  it('survives a cycle between groups', async () => {
    const { lookup } = directory({});
    const voters = await eligibleVoters(policy(), ['@ping'], lookup);
    expect([...voters].sort()).toEqual(['slack:U0PING']);
  });

  it('expands a Slack user group through the directory, mapping members to people', async () => {
    const { lookup, calls } = directory({ S0OPS: ['U0BOB', 'U0NEW'] });
    const voters = await eligibleVoters(policy(), ['@ops', 'slack-group:S0OPS'], lookup);
    expect([...voters].sort()).toEqual(['bob', 'slack:U0NEW']);
    expect(calls).toEqual(['slack:S0OPS']); // looked up once although named twice
  });

  it('maps a raw id to its person, or ties it to the one platform its shape names', async () => {
    const { lookup } = directory({});
    const voters = await eligibleVoters(
      policy(),
      ['U0ALICE', ALICE_AAD, '29:1carol', 'U0CAROL', 'W0GRID', '29:1zed', '0a1b2c3d-0000-4000-8000-00000000beef'],
      lookup,
    );
    expect([...voters].sort()).toEqual([
      'alice',
      'carol',
      'slack:U0CAROL',
      'slack:W0GRID',
      'teams:0a1b2c3d-0000-4000-8000-00000000beef',
      'teams:29:1zed',
    ]);
  });

  it('does not look a raw id up on the other platform: a Slack-shaped id is not a Teams id', async () => {
    const { lookup } = directory({});
    // Carol's Teams id is `29:1carol`; `U0CAROL` is nobody's Slack id in this policy, so it is a Slack person alone.
    const voters = await eligibleVoters(policy({ people: [{ key: 'carol', teams: 'U0CAROL' }] }), ['U0CAROL'], lookup);
    expect([...voters]).toEqual(['slack:U0CAROL']);
  });

  it('accepts persons in platform:id form', async () => {
    const { lookup } = directory({});
    const voters = await eligibleVoters(policy(), ['slack:U0BOB', 'teams:x-1'], lookup);
    expect([...voters].sort()).toEqual(['bob', 'teams:x-1']);
  });

  it('adds nobody for a group the policy no longer has', async () => {
    const { lookup } = directory({});
    expect((await eligibleVoters(policy(), ['@gone'], lookup)).size).toBe(0);
  });

  it('lets a directory failure through', async () => {
    const failing = async () => {
      throw new Error('slack down');
    };
    await expect(eligibleVoters(policy(), ['slack-group:S0OPS'], failing)).rejects.toThrow('slack down');
  });
});

describe('tierEntries', () => {
  const rule: RiskRule = {
    ...policy().risk.low,
    tiers: [
      { approvers: ['@finops', 'U0CAROL'], quorum: 2 },
      { approvers: ['dave', 'U0CAROL'], quorum: 1 },
      { approvers: ['erin'], quorum: 1 },
    ],
  };
  it('adds the approvers of each tier up to the current one, without repeats', () => {
    expect(tierEntries(rule, 0)).toEqual(['@finops', 'U0CAROL']);
    expect(tierEntries(rule, 1)).toEqual(['@finops', 'U0CAROL', 'dave']);
    expect(tierEntries(rule, 2)).toEqual(['@finops', 'U0CAROL', 'dave', 'erin']);
  });
  it('treats a tier past the last as the last, and a rule without tiers as nobody', () => {
    expect(tierEntries(rule, 7)).toEqual(['@finops', 'U0CAROL', 'dave', 'erin']);
    expect(tierEntries({ ...rule, tiers: [] }, 0)).toEqual([]);
  });
});

describe('contactsOf and displayName', () => {
  const p = policy();
  it('gives the policy contacts of a person, leaving out what is unknown', () => {
    expect(contactsOf(p, 'alice')).toEqual({
      name: 'Alice Ng',
      slack: 'U0ALICE',
      teams: ALICE_AAD,
      email: 'alice@example.com',
      phone: '+15550100',
    });
    expect(contactsOf(p, 'bob')).toEqual({ slack: 'U0BOB' });
  });
  it('gives the platform id of a person the policy does not name', () => {
    expect(contactsOf(p, 'slack:U1')).toEqual({ slack: 'U1' });
    expect(contactsOf(p, 'teams:abc')).toEqual({ teams: 'abc' });
    expect(contactsOf(p, 'shell:root')).toEqual({});
    expect(contactsOf(p, 'nobody')).toEqual({});
  });
  it('finds the person behind a platform:id the policy does know', () => {
    expect(contactsOf(p, 'slack:U0BOB')).toEqual({ slack: 'U0BOB' });
    expect(contactsOf(p, `teams:${ALICE_AAD}`).email).toBe('alice@example.com');
  });
  it('names a person by name, else key, else as written', () => {
    expect(displayName(p, 'alice')).toBe('Alice Ng');
    expect(displayName(p, 'bob')).toBe('bob');
    expect(displayName(p, 'slack:U9')).toBe('slack:U9');
  });
});

describe('isRequester', () => {
  const p = policy();
  const from = (platform: 'slack' | 'teams' | 'shell', id: string) => {
    const via = { platform, id };
    return { person: personOf(p, via), via };
  };

  it('is every identity of a requester the policy names, whichever platform they asked from', () => {
    const asked = from('teams', ALICE_AAD.toUpperCase());
    expect(asked.person).toBe('alice');
    expect(isRequester(p, asked, personOf(p, { platform: 'slack', id: 'U0ALICE' }))).toBe(true);
    expect(isRequester(p, asked, personOf(p, { platform: 'shell', id: 'alice' }))).toBe(true);
    expect(isRequester(p, asked, 'bob')).toBe(false);
    expect(isRequester(p, asked, 'slack:U0ZED')).toBe(false);
  });

  it('is the one identity of a requester the policy does not name', () => {
    const stranger = from('teams', '29:1stranger');
    expect(stranger.person).toBe('teams:29:1stranger');
    expect(isRequester(p, stranger, 'teams:29:1stranger')).toBe(true);
    expect(isRequester(p, stranger, 'carol')).toBe(false);
  });

  it('recognises a requester the policy has named since the proposal', () => {
    const asked = { person: 'slack:U0NEW', via: { platform: 'slack' as const, id: 'U0NEW' } };
    const later = policy({ people: [...p.people, { key: 'newton', teams: '29:1newton', slack: 'U0NEW' }] });
    expect(isRequester(later, asked, 'newton')).toBe(true);
    expect(isRequester(later, asked, 'carol')).toBe(false);
  });

  it('tells people of the policy from bare identities', () => {
    expect(isPolicyPerson(p, 'shellonly')).toBe(true);
    expect(isPolicyPerson(p, personOf(p, { platform: 'shell', id: 'local' }))).toBe(false);
    expect(isPolicyPerson(p, personOf(p, { platform: 'slack', id: 'U0BOB' }))).toBe(true);
  });
});

describe('ruleForApproval', () => {
  const base: RiskRule = {
    tiers: [
      { approvers: ['@finops', 'U0CAROL'], quorum: 2 },
      { approvers: ['dave'], quorum: 1 },
      { approvers: ['erin'], quorum: 3 },
    ],
    requesterMayVote: false,
    remindAfterMs: 1,
    escalateAfterMs: 2,
    expireAfterMs: 3,
    onExpiry: 'reject',
  };
  const quorums = (r: RiskRule) => r.tiers.map((t) => t.quorum);

  const known = { requesterKnown: true, lowerAfterEscalation: false };

  it("keeps the first tier's quorum after escalation by default; a later tier may only raise it", () => {
    const copied = ruleForApproval(base, known);
    expect(quorums(copied)).toEqual([2, 2, 3]);
    expect(copied.tiers.map((t) => t.approvers)).toEqual(base.tiers.map((t) => t.approvers));
    expect(quorums(base)).toEqual([2, 1, 3]); // the policy's rule is not changed
  });

  it("applies each tier's quorum as written when the policy says quorumAfterEscalation: true", () => {
    expect(quorums(ruleForApproval(base, { ...known, lowerAfterEscalation: true }))).toEqual(quorums(base));
  });

  it('asks one approval more on every tier when the requester is not a person of the policy', () => {
    const unknown = { ...known, requesterKnown: false };
    const expected = quorums(ruleForApproval(base, known)).map((q) => q + 1);
    expect(quorums(ruleForApproval(base, unknown))).toEqual(expected);
    // ...unless the requester may vote anyway.
    expect(quorums(ruleForApproval({ ...base, requesterMayVote: true }, unknown))).toEqual([2, 2, 3]);
  });
});
