import { describe, expect, it } from 'vitest';
import { MemoryDeliveryLog } from '../../../adapters/memory/memory-delivery.log.js';
import type { Budget } from '../../../src/budgets/budget.types.js';
import { defaultApprovalPolicy } from '../../../src/config/approval-policy.schema.js';
import { budgetAlertTargets } from '../../../src/notifications/budget-alert-routing.js';
import { DeliveryService } from '../../../src/notifications/delivery.service.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { RecordingMessenger } from '../../support/recording-messenger.js';

const PEOPLE = {
  ...defaultApprovalPolicy(),
  people: [
    {
      key: 'alice',
      slack: 'U0ALICE',
      teams: 'a11ce000-0000-4000-8000-0000000000a1',
      email: 'a@example.com',
      phone: '+15550100001',
    },
    { key: 'bob', slack: 'U0BOB' },
  ],
};

function budget(over: Partial<Budget>): Budget {
  return {
    name: 'payments',
    filter: {},
    metric: 'effective',
    period: 'monthly',
    amount: 1000,
    currency: 'USD',
    owners: [],
    thresholds: { actual: [50, 80, 100], forecast: [100] },
    origin: 'chat',
    updatedBy: 'alice',
    updatedAt: '2026-06-01T00:00:00.000Z',
    ...over,
  };
}

describe('who a budget alert goes to', () => {
  it("the budget's channel and each owner by DM on every platform the policy knows them on", () => {
    const targets = budgetAlertTargets(budget({ channel: 'C0PAY', owners: ['alice', 'bob'] }), false, PEOPLE);
    expect(targets).toEqual([
      { channel: 'chat', to: 'slack/C0PAY' },
      { channel: 'chat', to: 'slack/@U0ALICE' },
      { channel: 'chat', to: 'teams/@a11ce000-0000-4000-8000-0000000000a1' },
      { channel: 'chat', to: 'slack/@U0BOB' },
    ]);
  });

  it('a Teams conversation as the channel, owners given as ids, and email and SMS when critical', () => {
    const teams = '19:finops@thread.tacv2';
    const b = budget({ channel: teams, owners: ['U0CAROL', '29:1user-dan', 'alice'] });
    expect(budgetAlertTargets(b, true, PEOPLE)).toEqual([
      { channel: 'chat', to: `teams/${teams}` },
      { channel: 'chat', to: 'slack/@U0CAROL' },
      { channel: 'chat', to: 'teams/@29:1user-dan' },
      { channel: 'chat', to: 'slack/@U0ALICE' },
      { channel: 'chat', to: 'teams/@a11ce000-0000-4000-8000-0000000000a1' },
      { channel: 'email', to: 'a@example.com' },
      { channel: 'sms', to: '+15550100001' },
    ]);
  });

  it('a chat delivery to `<platform>/@<user>` is a direct message', async () => {
    const slack = new RecordingMessenger();
    const deliveries = new DeliveryService({
      messengers: [slack],
      email: null,
      sms: null,
      renderEmail: () => ({ html: '', text: '' }),
      log: new MemoryDeliveryLog(),
      clock: fixedClock(new Date('2026-06-10T08:00:00Z')),
      logger: silentLogger,
    });
    const reply: Reply = { kind: 'answer', title: 'Budget payments: 80% spent', visibility: 'channel' };
    await deliveries.deliver({ id: 'd1', event: 'e', channel: 'chat', to: 'slack/@U0ALICE', reply }, 1, true);
    await deliveries.deliver({ id: 'd2', event: 'e', channel: 'chat', to: 'slack/C0PAY', reply }, 1, true);
    expect(slack.sent.map((m) => [m.op, m.channel])).toEqual([
      ['direct', 'U0ALICE'],
      ['post', 'C0PAY'],
    ]);
  });
});
