import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EMPTY_POLICY, parsePolicy } from '../../../src/config/policy.js';
import { TallyError } from '../../../src/shared/errors.js';

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
    alice: { slack: U0ALICE, email: alice@example.com, phone: "+15550100" }
    bob: { slack: U0BOB, phone: "+15550101" }
    carol: { slack: U0CAROL }
`;

const DEFAULTS = { routes: [], onCall: [], anomalies: { minImpact: 50, minRelative: 0.3 } };

describe('policy file: notifications', () => {
  it('parses routes for Slack and Teams, on-call people and thresholds', () => {
    const policy = parsePolicy(`${PEOPLE}
notifications:
  routes:
    - { channel: C0ALERTS, minSeverity: high, providers: [AWS], accounts: [123456789012], services: [Amazon EC2] }
    - { teamsChannel: '19:abc@thread.tacv2' }
  onCall: [alice, bob]
  anomalies: { minImpact: 120.5, minRelative: 0 }
`);
    expect(policy.notifications).toStrictEqual({
      routes: [
        {
          platform: 'slack',
          channel: 'C0ALERTS',
          minSeverity: 'high',
          providers: ['AWS'],
          accounts: ['123456789012'],
          services: ['Amazon EC2'],
        },
        { platform: 'teams', channel: '19:abc@thread.tacv2', minSeverity: 'medium' },
      ],
      onCall: ['alice', 'bob'],
      anomalies: { minImpact: 120.5, minRelative: 0 },
    });
  });

  it('takes the defaults when the section, or a key of it, is left out', () => {
    expect(parsePolicy(PEOPLE).notifications).toStrictEqual(DEFAULTS);
    expect(parsePolicy('notifications:\n').notifications).toStrictEqual(DEFAULTS);
    expect(parsePolicy('notifications:\n  anomalies: { minImpact: 10 }\n').notifications.anomalies).toStrictEqual({
      minImpact: 10,
      minRelative: 0.3,
    });
    expect(parsePolicy('notifications:\n  routes:\n  anomalies:\n').notifications).toStrictEqual(DEFAULTS);
    expect(EMPTY_POLICY.notifications).toStrictEqual(DEFAULTS);
  });

  it('gives each parse its own default thresholds', () => {
    const a = parsePolicy('');
    a.notifications.anomalies.minImpact = 1;
    expect(parsePolicy('').notifications.anomalies.minImpact).toBe(50);
  });

  it('names each bad route by its path', () => {
    const paths = badPaths(`
notifications:
  routes:
    - { channel: C0OK }
    - { channel: '#alerts' }
    - { minSeverity: high }
    - { channel: C0X, teamsChannel: '19:x@thread.tacv2' }
    - { channel: C0Y, minSeverity: urgent, providers: [], colour: red }
`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'notifications.routes[1].channel',
        'notifications.routes[2]',
        'notifications.routes[3].teamsChannel',
        'notifications.routes[4].minSeverity',
        'notifications.routes[4].providers',
        'notifications.routes[4].colour',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('notifications.routes[0]'))).toEqual([]);
  });

  it('refuses negative or non-numeric thresholds and unknown keys', () => {
    expect(badPaths('notifications:\n  anomalies: { minImpact: -1, minRelative: lots }\n')).toEqual(
      expect.arrayContaining(['notifications.anomalies.minImpact', 'notifications.anomalies.minRelative']),
    );
    expect(badPaths('notifications:\n  onCal: [alice]\n')).toEqual(['notifications.onCal']);
  });

  it('requires on-call entries to be people with an email or a phone', () => {
    const paths = badPaths(`${PEOPLE}
notifications:
  onCall: [alice, mallory, carol, bob]
`);
    expect(paths).toEqual(['notifications.onCall[1]', 'notifications.onCall[2]']);
    expect(badPaths('notifications:\n  onCall: [alice]\n')).toEqual(['notifications.onCall[0]']);
  });

  it('names the on-call problem together with problems elsewhere in the file', () => {
    const paths = badPaths(`${PEOPLE}
    dave: { email: not-an-address }
notifications:
  routes:
    - { channel: c0lower }
  onCall: [zed]
`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'approvals.people.dave.email',
        'notifications.routes[0].channel',
        'notifications.onCall[0]',
      ]),
    );
  });

  it('parses the example file’s notifications', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../policy.example.yml', import.meta.url)), 'utf8');
    const { notifications } = parsePolicy(text);
    expect(notifications.onCall).toEqual(['alice']);
    expect(notifications.routes.map((r) => `${r.platform}/${r.channel}/${r.minSeverity}`)).toEqual([
      'slack/C0ALERTS/medium',
      'slack/C0PAYMENTS/low',
      'teams/19:abc@thread.tacv2/high',
    ]);
    expect(notifications.routes[1]?.accounts).toEqual(['483920175634']);
  });
});
