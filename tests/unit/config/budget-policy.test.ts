import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { TallyError } from '../../../src/shared/errors.js';

const PEOPLE = `approvals:
  people:
    alice: { slack: U0ALICE }
    bob: { slack: U0BOB }
  groups:
    finance: [bob]
`;

/** The paths a policy text is refused with. */
function refusedPaths(text: string): string[] {
  try {
    parsePolicy(text);
  } catch (err) {
    expect(err).toBeInstanceOf(TallyError);
    expect((err as TallyError).code).toBe('CONFIG_INVALID');
    return (err as TallyError).metadata.paths as string[];
  }
  throw new Error('the policy was accepted');
}

describe('budgets: in the policy file', () => {
  it('reads a list of budgets with their defaults, read-only from chat', () => {
    const p = parsePolicy(`${PEOPLE}budgets:
  - name: Payments-Team
    amount: 12000 USD
    scope: { tags: { team: payments }, providers: [AWS], exclude: { charges: [Tax] } }
    owners: [alice, U0CAROL]
    channel: C0PAYMENTS
`);
    expect(p.budgets.admins).toBeUndefined();
    expect(p.budgets.budgets).toEqual([
      {
        name: 'payments-team',
        filter: { providers: ['AWS'], tags: [{ key: 'team', value: 'payments' }], exclude: { charges: ['Tax'] } },
        metric: 'effective',
        period: 'monthly',
        amount: 12000,
        currency: 'USD',
        owners: ['alice', 'U0CAROL'],
        channel: 'C0PAYMENTS',
        thresholds: { actual: [50, 80, 100], forecast: [100] },
        origin: 'policy',
        updatedBy: 'policy file',
        updatedAt: '',
      },
    ]);
  });

  it('takes admins and a list, with a fiscal period, a metric and thresholds', () => {
    const p = parsePolicy(`${PEOPLE}budgets:
  admins: [alice, "@finance"]
  list:
    - { name: platform, amount: 150000, currency: eur, period: fiscal-quarter, metric: billed, thresholds: { actual: [90, 75], forecast: [110] } }
`);
    expect(p.budgets.admins).toEqual(['alice', '@finance']);
    expect(p.budgets.budgets[0]).toMatchObject({
      period: 'fiscal-quarter',
      metric: 'billed',
      currency: 'EUR',
      thresholds: { actual: [75, 90], forecast: [110] },
    });
  });

  it('names each bad budget by its path: no currency, an unknown owner, a threshold out of range, a repeated name, an unknown admin', () => {
    const paths = refusedPaths(`${PEOPLE}budgets:
  admins: [zed]
  list:
    - { name: a, amount: 100 }
    - { name: b, amount: 100 USD, owners: [nobody] }
    - { name: c, amount: 100 USD, thresholds: { actual: [0] } }
    - { name: d, amount: 100 USD, thresholds: { forecast: [1001] } }
    - { name: e, amount: 100 USD }
    - { name: E, amount: 200 USD }
`);
    expect(paths).toEqual([
      'budgets.admins[0]',
      'budgets.list[0]',
      'budgets.list[1]',
      'budgets.list[2]',
      'budgets.list[3]',
      'budgets.list[5].name',
    ]);
  });
});
