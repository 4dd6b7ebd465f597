import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { GROUP_CACHE_MS, ViewerScopes } from '../../../src/conversation/viewer-scope.js';

const POLICY = parsePolicy(`
channels:
  C0PAY: { accounts: ["111", "222"] }
approvals:
  people:
    pat: { slack: U0PAT, teams: 0a0a0a0a-0000-4000-8000-00000000000a }
    ann: { slack: U0ANN }
    ida: { slack: U0IDA }
access:
  admins: [ann]
  scopes:
    - { who: [pat], accounts: ["111"] }
    - { who: ["slack-group:S0WEB"], accounts: ["333"], tags: { team: web } }
    - { who: ["slack-group:S0API"], accounts: ["444"], tags: { team: api } }
  others: none
`);

function scopes(groups: Record<string, string[]> = {}, now = () => 0) {
  const asked: string[] = [];
  const viewer = new ViewerScopes(
    POLICY,
    async (_platform, group) => {
      asked.push(group);
      return groups[group] ?? [];
    },
    now,
  );
  return { viewer, asked };
}

describe('who sees what', () => {
  it("gives a person their rule's scope on every platform, and intersects it with a channel's", async () => {
    const { viewer } = scopes();
    expect(await viewer.of({ id: 'U0PAT' }, { platform: 'slack', channel: 'D0PAT' })).toEqual({
      subAccountIds: ['111'],
      of: 'you',
    });
    expect(
      await viewer.of({ id: '0A0A0A0A-0000-4000-8000-00000000000A' }, { platform: 'teams', channel: 'a:1' }),
    ).toEqual({ subAccountIds: ['111'], of: 'you' });
    expect(await viewer.of({ id: 'U0PAT' }, { platform: 'slack', channel: 'C0PAY' })).toEqual({
      subAccountIds: ['111'],
      of: 'both',
    });
  });
  it('gives admins the channel scope only, and nothing to people no rule names (others: none)', async () => {
    const { viewer } = scopes();
    expect(await viewer.of({ id: 'U0ANN' }, { platform: 'slack', channel: 'D0ANN' })).toBeUndefined();
    expect(await viewer.of({ id: 'U0ANN' }, { platform: 'slack', channel: 'C0PAY' })).toEqual({
      subAccountIds: ['111', '222'],
      of: 'channel',
    });
    expect(await viewer.isAdmin({ platform: 'slack', id: 'U0ANN' })).toBe(true);
    expect(await viewer.isAdmin({ platform: 'slack', id: 'U0PAT' })).toBe(false);
    const nobody = await viewer.of({ id: 'U0IDA' }, { platform: 'slack' });
    expect(nobody?.providers).toEqual([]);
  });
  it('unites the scopes of the Slack user groups a person is in: accounts of either, tag values of either', async () => {
    const { viewer } = scopes({ S0WEB: ['U0DEV'], S0API: ['U0DEV'] });
    expect(await viewer.personal({ platform: 'slack', id: 'U0DEV' })).toEqual({
      subAccountIds: ['333', '444'],
      tags: [{ key: 'team', values: ['web', 'api'] }],
      of: 'you',
    });
  });
  it('asks Slack for a group once a minute, and again after a failure', async () => {
    let t = 0;
    const { viewer, asked } = scopes({ S0WEB: ['U0DEV'] }, () => t);
    await viewer.personal({ platform: 'slack', id: 'U0DEV' });
    await viewer.personal({ platform: 'slack', id: 'U0OTHER' });
    expect(asked.filter((g) => g === 'S0WEB')).toHaveLength(1);
    t = GROUP_CACHE_MS;
    await viewer.personal({ platform: 'slack', id: 'U0DEV' });
    expect(asked.filter((g) => g === 'S0WEB')).toHaveLength(2);
    const failing = new ViewerScopes(POLICY, async () => {
      throw new Error('Slack is down');
    });
    await expect(failing.personal({ platform: 'slack', id: 'U0DEV' })).rejects.toThrow('Slack is down');
  });
  it('lets the operator at the server see everything, and `--as` a person see what they see', async () => {
    const { viewer } = scopes();
    expect(await viewer.of({ id: 'local' }, { platform: 'shell' })).toBeUndefined();
    expect(await viewer.of({ id: 'pat' }, { platform: 'cli' })).toEqual({ subAccountIds: ['111'], of: 'you' });
  });
});
