import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY, parsePolicy } from '../../../src/config/policy.js';
import { applyScope } from '../../../src/costs/view-scope.js';
import { TallyError } from '../../../src/shared/errors.js';

describe('policy file', () => {
  it('parses the example file', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../policy.example.yml', import.meta.url)), 'utf8');
    const policy = parsePolicy(text);
    expect(policy.channels.get('C0PAYMENTS')).toEqual({
      providers: ['AWS'],
      subAccountIds: ['483920175634'],
      of: 'channel',
    });
    expect(policy.access.admins).toEqual(['alice']);
    expect(policy.access.rules).toEqual([
      { who: ['dave', 'slack-group:S0PAYMENTS'], scope: { subAccountIds: ['483920175634'], of: 'you' } },
      { who: ['bob'], scope: { tags: [{ key: 'team', values: ['data', 'ml'] }], of: 'you' } },
    ]);
    expect(policy.access.others).toBe('all');
  });

  it('names each bad entry by its path', () => {
    try {
      parsePolicy('channels:\n  C1:\n    providers: []\n  C2:\n    colour: red\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TallyError);
      expect((e as TallyError).code).toBe('CONFIG_INVALID');
      const paths = (e as TallyError).metadata.paths as string[];
      expect(paths).toEqual(expect.arrayContaining(['channels.C1.providers', 'channels.C2']));
    }
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(() => parsePolicy('channels: [unclosed')).toThrow(/line \d+, column \d+/);
  });
});

const H = 3_600_000;
const D = 24 * H;

/** The paths named by the CONFIG_INVALID error that parsing `text` throws. */
function badPaths(text: string): string[] {
  try {
    parsePolicy(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TallyError);
    expect((e as TallyError).code).toBe('CONFIG_INVALID');
    return (e as TallyError).metadata.paths as string[];
  }
  return expect.unreachable('the policy was accepted');
}

const PEOPLE = `
approvals:
  people:
    alice: { name: Alice Ng, slack: U0ALICE }
    bob: { slack: U0BOB }
    carol: { teams: 0b7d6f1c-2a4e-4c55-9e0a-3d2f8b1c7a90 }
  groups:
    finops: [alice, bob]
`;

describe('policy file: approvals and guardrails', () => {
  it('parses a full file', () => {
    const policy = parsePolicy(`
approvals:
  channel: C0APPROVALS
  teamsChannel: 19:abc@thread.tacv2
  people:
    alice: { name: Alice Ng, slack: U0ALICE, teams: 6f1c2a4e-0b7d-4c55-9e0a-3d2f8b1c7a90, email: alice@example.com, phone: "+15550100" }
    bob: { slack: U0BOB }
    dave: {}
  groups:
    finops: [alice, bob]
    all: ['@finops', dave, slack-group:S0OPS]
  risk:
    low:
      approvers: ['@finops']
      quorum: 1
      onExpiry: approve
    medium:
      tiers:
        - { approvers: ['@finops', U0CAROL], quorum: 2 }
        - { approvers: [dave], quorum: 1 }
      requesterMayVote: true
      remindAfter: 90s
      escalateAfter: 30m
      expireAfter: 3d
guardrails:
  protectedTags: ['tally:protected', 'env=prod', 'owner=']
  changeWindows:
    - { days: [mon, tue, wed, thu, fri], from: '08:00', to: '18:00', tz: Europe/Berlin }
    - { days: [SAT], from: '9:30', to: '24:00' }
  dailyLimitPerAccount: 5
`);
    const a = policy.approvals;
    expect(a.channels).toEqual({ slack: 'C0APPROVALS', teams: '19:abc@thread.tacv2' });
    expect(a.people).toEqual([
      {
        key: 'alice',
        name: 'Alice Ng',
        slack: 'U0ALICE',
        teams: '6f1c2a4e-0b7d-4c55-9e0a-3d2f8b1c7a90',
        email: 'alice@example.com',
        phone: '+15550100',
      },
      { key: 'bob', slack: 'U0BOB' },
      { key: 'dave' },
    ]);
    expect(a.groups).toEqual({ finops: ['alice', 'bob'], all: ['@finops', 'dave', 'slack-group:S0OPS'] });
    expect(a.risk.low).toEqual({
      tiers: [{ approvers: ['@finops'], quorum: 1 }],
      requesterMayVote: false,
      remindAfterMs: 4 * H,
      escalateAfterMs: 24 * H,
      expireAfterMs: 72 * H,
      onExpiry: 'approve',
    });
    expect(a.risk.medium).toEqual({
      tiers: [
        { approvers: ['@finops', 'U0CAROL'], quorum: 2 },
        { approvers: ['dave'], quorum: 1 },
      ],
      requesterMayVote: true,
      remindAfterMs: 90_000,
      escalateAfterMs: 30 * 60_000,
      expireAfterMs: 3 * D,
      onExpiry: 'reject',
    });
    expect(a.risk.high).toEqual({
      tiers: [],
      requesterMayVote: false,
      remindAfterMs: 2 * H,
      escalateAfterMs: 8 * H,
      expireAfterMs: 48 * H,
      onExpiry: 'reject',
    });
    expect(a.guardrails).toEqual({
      protectedTags: [{ key: 'tally:protected' }, { key: 'env', value: 'prod' }, { key: 'owner', value: '' }],
      changeWindows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', tz: 'Europe/Berlin' },
        { days: ['sat'], from: '09:30', to: '24:00', tz: 'UTC' },
      ],
      dailyLimitPerAccount: 5,
    });
  });

  it('parses the approvals and guardrails of the example file', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../policy.example.yml', import.meta.url)), 'utf8');
    const { approvals } = parsePolicy(text);
    expect(approvals.risk.medium.tiers).toEqual([
      { approvers: ['@finops', 'U0CAROL'], quorum: 2 },
      { approvers: ['dave'], quorum: 1 },
    ]);
    expect(approvals.risk.high.tiers).toEqual([{ approvers: ['alice', 'dave'], quorum: 2 }]);
    expect(approvals.guardrails.protectedTags).toEqual([{ key: 'tally:protected' }, { key: 'env', value: 'prod' }]);
  });

  it('takes the documented defaults without approvals or guardrails', () => {
    const expected = {
      risk: {
        low: {
          tiers: [],
          requesterMayVote: false,
          remindAfterMs: 4 * H,
          escalateAfterMs: 24 * H,
          expireAfterMs: 72 * H,
          onExpiry: 'reject',
        },
        medium: {
          tiers: [],
          requesterMayVote: false,
          remindAfterMs: 4 * H,
          escalateAfterMs: 24 * H,
          expireAfterMs: 72 * H,
          onExpiry: 'reject',
        },
        high: {
          tiers: [],
          requesterMayVote: false,
          remindAfterMs: 2 * H,
          escalateAfterMs: 8 * H,
          expireAfterMs: 48 * H,
          onExpiry: 'reject',
        },
      },
      people: [],
      groups: {},
      channels: {},
      quorumAfterEscalation: false,
      guardrails: { protectedTags: [{ key: 'tally:protected' }], changeWindows: [], dailyLimitPerAccount: 20 },
    };
    expect(parsePolicy('channels: {}').approvals).toEqual(expected);
    expect(parsePolicy('').approvals).toEqual(expected);
    expect(parsePolicy('approvals:\nguardrails:\n').approvals).toEqual(expected);
    expect(EMPTY_POLICY.approvals).toEqual(expected);
    expect(EMPTY_POLICY.channels.size).toBe(0);
  });

  it("fills what a level leaves out from that level's defaults", () => {
    const { risk } = parsePolicy(
      `${PEOPLE}  risk:\n    medium: { approvers: [alice, bob, carol], expireAfter: 1500 }\n    high: { remindAfter: 1h }\n`,
    ).approvals;
    expect(risk.medium).toEqual({
      tiers: [{ approvers: ['alice', 'bob', 'carol'], quorum: 2 }],
      requesterMayVote: false,
      remindAfterMs: 4 * H,
      escalateAfterMs: 24 * H,
      expireAfterMs: 1500,
      onExpiry: 'reject',
    });
    expect(risk.high.tiers).toEqual([]);
    expect(risk.high.remindAfterMs).toBe(H);
    expect(risk.high.expireAfterMs).toBe(48 * H);
  });

  it('gives tiers without a quorum the level quorum, else the default', () => {
    const withLevel = parsePolicy(
      `${PEOPLE}  risk:\n    high:\n      quorum: 1\n      tiers: [{ approvers: [alice] }, { approvers: [bob], quorum: 2 }]\n`,
    );
    expect(withLevel.approvals.risk.high.tiers.map((t) => t.quorum)).toEqual([1, 2]);
    const withDefault = parsePolicy(`${PEOPLE}  risk:\n    high:\n      tiers: [{ approvers: ['@finops'] }]\n`);
    expect(withDefault.approvals.risk.high.tiers).toEqual([{ approvers: ['@finops'], quorum: 2 }]);
  });

  it('names every bad path of one file at once', () => {
    const paths = badPaths(`
channels:
  C1: { providers: [] }
approvals:
  people:
    alice: { slack: U0ALICE, email: not-an-email, phone: 15550100 }
  risk:
    low: { approvers: [alice], quorum: 0 }
    medium: { approvers: ['@nobody'], remindAfter: soon }
    high: { approvers: [alice], onExpiry: approve, colour: red }
guardrails:
  changeWindows:
    - { days: [mon, someday], from: '18:00', to: '08:00', tz: Mars/Olympus }
  dailyLimitPerAccount: 0
`);
    expect([...paths].sort()).toEqual(
      [
        'channels.C1.providers',
        'approvals.people.alice.email',
        'approvals.people.alice.phone',
        'approvals.risk.low.quorum',
        'approvals.risk.medium.approvers[0]',
        'approvals.risk.medium.remindAfter',
        'approvals.risk.high.onExpiry',
        'approvals.risk.high.colour',
        'approvals.risk.high.approvers', // [alice] cannot reach high's default quorum of 2
        'guardrails.changeWindows[0].days[1]',
        'guardrails.changeWindows[0].to',
        'guardrails.changeWindows[0].tz',
        'guardrails.dailyLimitPerAccount',
      ].sort(),
    );
  });

  it('refuses an unknown @group wherever it is used', () => {
    expect(badPaths(`${PEOPLE}    ops: ['@finops', '@sre']\n  risk:\n    low: { approvers: ['@finopz'] }\n`)).toEqual([
      'approvals.groups.ops[1]',
      'approvals.risk.low.approvers[0]',
    ]);
  });

  it('refuses an entry that is no person, group or user id (a misspelt key)', () => {
    expect(badPaths(`${PEOPLE}  risk:\n    low: { tiers: [{ approvers: [alcie] }] }\n`)).toEqual([
      'approvals.risk.low.tiers[0].approvers[0]',
    ]);
    // Lower-case words are never Slack ids, even when they start with u or w.
    expect(badPaths(`${PEOPLE}  risk:\n    low: { approvers: [walter, u0carol] }\n`)).toEqual([
      'approvals.risk.low.approvers[0]',
      'approvals.risk.low.approvers[1]',
    ]);
    expect(badPaths(`${PEOPLE}  risk:\n    low: { approvers: ['slack-group:finops'] }\n`)).toEqual([
      'approvals.risk.low.approvers[0]',
    ]);
  });

  it('accepts each form of approver entry', () => {
    const entries = [
      'alice',
      '@finops',
      'slack-group:S0OPS',
      'U0CAROL',
      'W0GRID',
      '3d2f8b1c-7a90-4c55-9e0a-0b7d6f1c2a4e',
      '29:1abcDEF',
    ];
    const { risk } = parsePolicy(`${PEOPLE}  risk:\n    low:\n      approvers: ${JSON.stringify(entries)}\n`).approvals;
    expect(risk.low.tiers).toEqual([{ approvers: entries, quorum: 1 }]);
  });

  it.each([
    ['4h', 4 * H],
    ['500ms', 500],
    ['30m', 30 * 60_000],
    ['3d', 3 * D],
    ['1.5h', 90 * 60_000],
    [2500, 2500],
  ])('reads the duration %j', (written, expected) => {
    const { risk } = parsePolicy(
      `approvals:\n  risk:\n    low: { escalateAfter: ${JSON.stringify(written)} }\n`,
    ).approvals;
    expect(risk.low.escalateAfterMs).toBe(expected);
  });

  it.each(['soon', '0', '-2h', '', 0, -5])('refuses the duration %j', (written) => {
    expect(badPaths(`approvals:\n  risk:\n    low: { expireAfter: ${JSON.stringify(written)} }\n`)).toEqual([
      'approvals.risk.low.expireAfter',
    ]);
  });

  it('allows onExpiry approve for low only', () => {
    expect(parsePolicy('approvals:\n  risk:\n    low: { onExpiry: approve }\n').approvals.risk.low.onExpiry).toBe(
      'approve',
    );
    expect(badPaths('approvals:\n  risk:\n    medium: { onExpiry: approve }\n')).toEqual([
      'approvals.risk.medium.onExpiry',
    ]);
    expect(badPaths('approvals:\n  risk:\n    high: { onExpiry: approve }\n')).toEqual([
      'approvals.risk.high.onExpiry',
    ]);
    expect(badPaths('approvals:\n  risk:\n    low: { onExpiry: maybe }\n')).toEqual(['approvals.risk.low.onExpiry']);
  });

  it('refuses a quorum more people than the tiers name, counting a person once', () => {
    // alice and U0ALICE are one person: two entries, one voter.
    expect(badPaths(`${PEOPLE}  risk:\n    low: { approvers: [alice, U0ALICE], quorum: 2 }\n`)).toEqual([
      'approvals.risk.low.quorum',
    ]);
    // medium's default quorum is 2: the entry list is named since no quorum is written.
    expect(badPaths(`${PEOPLE}  risk:\n    medium: { approvers: [alice] }\n`)).toEqual([
      'approvals.risk.medium.approvers',
    ]);
    // tier 1 may count the approvers of tier 0 too: alice, bob → 2.
    expect(
      parsePolicy(
        `${PEOPLE}  risk:\n    low:\n      tiers: [{ approvers: [alice], quorum: 1 }, { approvers: [bob], quorum: 2 }]\n`,
      ).approvals.risk.low.tiers,
    ).toHaveLength(2);
    expect(
      badPaths(
        `${PEOPLE}  risk:\n    low:\n      tiers: [{ approvers: [alice], quorum: 1 }, { approvers: [bob], quorum: 3 }]\n`,
      ),
    ).toEqual(['approvals.risk.low.tiers[1].quorum']);
  });

  it('does not check the quorum against a group, whose size is unknown', () => {
    const { risk } = parsePolicy(
      `${PEOPLE}  risk:\n    high: { approvers: ['@finops'], quorum: 5 }\n    medium: { approvers: [slack-group:S0OPS] }\n`,
    ).approvals;
    expect(risk.high.tiers).toEqual([{ approvers: ['@finops'], quorum: 5 }]);
    expect(risk.medium.tiers).toEqual([{ approvers: ['slack-group:S0OPS'], quorum: 2 }]);
  });

  it('refuses approvers with tiers, a quorum without approvers, and unknown keys', () => {
    expect(badPaths(`${PEOPLE}  risk:\n    low: { approvers: [alice], tiers: [{ approvers: [bob] }] }\n`)).toEqual([
      'approvals.risk.low.approvers',
    ]);
    expect(badPaths('approvals:\n  risk:\n    low: { quorum: 1 }\n')).toEqual(['approvals.risk.low.quorum']);
    expect(badPaths('approvals:\n  risk:\n    urgent: {}\n')).toEqual(['approvals.risk.urgent']);
    expect(badPaths('approvals:\n  risk:\n    low: { remind_after: 4h }\n')).toEqual([
      'approvals.risk.low.remind_after',
    ]);
  });

  it('refuses two people with the same platform id, and bad people keys', () => {
    expect(badPaths('approvals:\n  people:\n    a: { slack: U01 }\n    b: { slack: U01 }\n')).toEqual([
      'approvals.people.b.slack',
    ]);
    expect(badPaths("approvals:\n  people:\n    'slack:U1': { name: X }\n")).toEqual(['approvals.people.slack:U1']);
  });

  it('validates change windows: time zone, days, HH:MM, to after from', () => {
    const window = (w: string) => `guardrails:\n  changeWindows:\n    - ${w}\n`;
    expect(badPaths(window("{ from: '08:00', to: '18:00', tz: Europe/Berlln }"))).toEqual([
      'guardrails.changeWindows[0].tz',
    ]);
    expect(badPaths(window("{ days: [funday], from: '08:00', to: '18:00' }"))).toEqual([
      'guardrails.changeWindows[0].days[0]',
    ]);
    expect(badPaths(window("{ from: '8h', to: '18:00' }"))).toEqual(['guardrails.changeWindows[0].from']);
    expect(badPaths(window("{ from: '08:00', to: '24:30' }"))).toEqual(['guardrails.changeWindows[0].to']);
    expect(badPaths(window("{ from: '18:00', to: '18:00' }"))).toEqual(['guardrails.changeWindows[0].to']);
    const all = parsePolicy(window("{ from: '00:00', to: '24:00' }")).approvals.guardrails.changeWindows;
    expect(all).toEqual([
      { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00', tz: 'UTC' },
    ]);
  });

  it('lets protectedTags: [] switch tag protection off, and refuses a tag without a key', () => {
    expect(parsePolicy('guardrails:\n  protectedTags: []\n').approvals.guardrails.protectedTags).toEqual([]);
    expect(badPaths("guardrails:\n  protectedTags: ['=prod']\n")).toEqual(['guardrails.protectedTags[0]']);
  });
});

describe('channel scope', () => {
  const scope = { providers: ['AWS'] };
  it('narrows an open filter to the scope', () => {
    expect(applyScope({}, scope)).toEqual({ providers: ['AWS'] });
  });
  it('keeps what the scope allows and refuses what it does not', () => {
    expect(applyScope({ providers: ['AWS', 'Microsoft'] }, scope)).toEqual({ providers: ['AWS'] });
    expect(applyScope({ providers: ['Microsoft'] }, scope)).toBeNull();
  });
  it('leaves unscoped channels alone', () => {
    expect(applyScope({ regions: ['eu-west-1'] }, undefined)).toEqual({ regions: ['eu-west-1'] });
  });
});

describe('access policy', () => {
  const people = 'approvals:\n  people:\n    pat: { slack: U0PAT }\n  groups:\n    web: [pat]\n';
  it('reads rules, tag values as one or a list, admins and others', () => {
    const policy = parsePolicy(
      `${people}access:\n  admins: [pat]\n  scopes:\n    - { who: ["@web", "slack-group:S0OPS"], tags: { team: web, env: [prod, stage] } }\n  others: none\n`,
    );
    expect(policy.access).toEqual({
      admins: ['pat'],
      rules: [
        {
          who: ['@web', 'slack-group:S0OPS'],
          scope: {
            tags: [
              { key: 'team', values: ['web'] },
              { key: 'env', values: ['prod', 'stage'] },
            ],
            of: 'you',
          },
        },
      ],
      others: 'none',
    });
  });
  it('is open without `access:`', () => {
    expect(parsePolicy(people).access).toEqual({ admins: [], rules: [], others: 'all' });
  });
  it('names who entries that are nobody, rules without a limit, and unknown keys', () => {
    expect(
      badPaths(
        `${people}access:\n  admins: [patt]\n  scopes:\n    - { who: ["@nobody"], accounts: ["1"] }\n    - { who: [pat] }\n    - { who: [pat], acounts: ["1"] }\n  others: some\n`,
      ).sort(),
    ).toEqual(
      [
        'access.admins[0]',
        'access.others',
        'access.scopes[0].who[0]',
        'access.scopes[1]',
        'access.scopes[2]',
        'access.scopes[2].acounts',
      ].sort(),
    );
  });
  it('takes tags in channel scopes too', () => {
    expect(parsePolicy('channels:\n  C0WEB: { tags: { team: web } }\n').channels.get('C0WEB')).toEqual({
      tags: [{ key: 'team', values: ['web'] }],
      of: 'channel',
    });
  });
});
